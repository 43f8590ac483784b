from django.contrib import admin

from handoff.mailin.models import ImapCursor, Mailbox, RawMessage


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin[Mailbox]):
    list_display = ("address", "name", "active", "imap_host", "acknowledge")


@admin.register(ImapCursor)
class ImapCursorAdmin(admin.ModelAdmin[ImapCursor]):
    list_display = ("mailbox", "folder", "uidvalidity", "last_uid", "checked_at", "error")
    readonly_fields = ("uidvalidity", "last_uid", "checked_at", "error")


@admin.register(RawMessage)
class RawMessageAdmin(admin.ModelAdmin[RawMessage]):
    list_display = ("pk", "message_id", "channel", "source", "state", "flag", "received_at")
    list_filter = ("state", "channel")
    search_fields = ("message_id", "source")
    exclude = ("data",)
    readonly_fields = ("content_hash", "message_id", "derived_id", "size", "channel", "source")
