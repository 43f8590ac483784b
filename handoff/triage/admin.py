from django.contrib import admin

from handoff.triage.models import (
    AdminRule,
    Decision,
    FounderContact,
    FounderRule,
    Label,
    ModelVersion,
    TriageSettings,
)


@admin.register(FounderRule)
class FounderRuleAdmin(admin.ModelAdmin[FounderRule]):
    list_display = ("kind", "value", "note", "created_at")
    list_filter = ("kind",)
    search_fields = ("value", "note")


@admin.register(FounderContact)
class FounderContactAdmin(admin.ModelAdmin[FounderContact]):
    list_display = ("address", "messages", "last_at")
    search_fields = ("address",)


@admin.register(AdminRule)
class AdminRuleAdmin(admin.ModelAdmin[AdminRule]):
    list_display = ("name", "position", "enabled")
    list_editable = ("position", "enabled")


@admin.register(TriageSettings)
class TriageSettingsAdmin(admin.ModelAdmin[TriageSettings]):
    list_display = ("__str__", "languages", "threshold", "noise_threshold", "founder_threshold")


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin[Decision]):
    list_display = (
        "message",
        "lane",
        "category",
        "language",
        "confidence",
        "needs_triage",
        "layer",
    )
    list_filter = ("lane", "needs_triage", "layer", "category")
    raw_id_fields = ("message", "version")
    readonly_fields = ("scores", "decided_at")


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin[Label]):
    list_display = ("message", "lane", "category", "source", "by", "at")
    list_filter = ("source", "lane")
    raw_id_fields = ("message", "by")


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin[ModelVersion]):
    list_display = (
        "pk",
        "kind",
        "active",
        "examples",
        "held_back",
        "score",
        "replaced_score",
        "created_at",
    )
    exclude = ("data",)
    readonly_fields = (
        "kind",
        "active",
        "examples",
        "held_back",
        "score",
        "replaced_score",
        "seconds",
        "report",
        "created_at",
    )
