from django.contrib import admin

from handoff.routing.models import (
    Absence,
    Calendar,
    Clock,
    Notification,
    Person,
    Policy,
    Rule,
    Team,
)


class AbsenceInline(admin.TabularInline[Absence, Person]):
    model = Absence
    fk_name = "person"
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ("name", "strategy", "sticky", "handover", "answers_per_hour")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ("user", "team", "time_zone", "languages", "categories", "capacity", "load")
    list_filter = ("team",)
    readonly_fields = ("load", "last_assigned_at")
    inlines = (AbsenceInline,)


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin[Calendar]):
    list_display = ("name", "time_zone", "hours", "holiday_country", "holiday_region")


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin[Policy]):
    list_display = (
        "name",
        "position",
        "conditions",
        "calendar",
        "first_response",
        "next_response",
        "resolution",
        "remind_at",
    )


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin[Rule]):
    list_display = ("name", "position", "conditions", "team", "assignee", "skip")


@admin.register(Clock)
class ClockAdmin(admin.ModelAdmin[Clock]):
    list_display = ("conversation", "assignee", "policy", "respond_by", "at_risk", "breached_at")
    list_filter = ("at_risk", "is_open", "team")
    raw_id_fields = ("conversation",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ("kind", "user", "conversation", "created_at", "sent_at")
    list_filter = ("kind",)
    raw_id_fields = ("conversation",)
