from django.urls import path

from handoff.desk import (
    bulk_views,
    ledger_views,
    presence,
    rating_views,
    saved_views,
    search_views,
    views,
)

app_name = "desk"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("c/<int:pk>/", views.conversation, name="conversation"),
    path("c/<int:pk>/status/", views.change_status, name="change_status"),
    path("c/<int:pk>/assign/", views.assign, name="assign"),
    path("c/<int:pk>/snooze/", views.snooze, name="snooze"),
    path("c/<int:pk>/merge/", views.merge_into, name="merge"),
    path("c/<int:pk>/note/", views.note, name="note"),
    path("c/<int:pk>/reply/", views.reply, name="reply"),
    path("c/<int:pk>/undo/<int:outgoing_pk>/", views.undo, name="undo"),
    path("c/<int:pk>/escalate/", views.escalate, name="escalate"),
    path("c/<int:pk>/hand-to-team/", views.hand_to_team, name="hand_to_team"),
    path("c/<int:pk>/m/<int:message_pk>/triage/", views.correct_triage, name="correct_triage"),
    path("c/<int:pk>/m/<int:message_pk>/html/", views.message_html, name="message_html"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("search/", search_views.search_page, name="search"),
    path("bulk/", bulk_views.bulk, name="bulk"),
    path("replies/", saved_views.replies, name="replies"),
    path("replies/<int:pk>/", saved_views.replies, name="reply_edit"),
    path("replies/<int:pk>/delete/", saved_views.delete, name="reply_delete"),
    path("c/<int:pk>/not-noise/", bulk_views.not_noise, name="not_noise"),
    path("c/<int:pk>/presence/", presence.presence, name="presence"),
    path("quarantine/", views.quarantine, name="quarantine"),
    path("ledger/", ledger_views.ledger, name="ledger"),
    path("ledger/new/", ledger_views.new, name="task_new"),
    path("ledger/bands/", ledger_views.bands, name="bands"),
    path("ledger/<int:pk>/", ledger_views.task, name="task"),
    path("ledger/<int:pk>/<str:what>/", ledger_views.change, name="task_change"),
    path("rate/<str:token>/", rating_views.rate, name="rate"),
]
