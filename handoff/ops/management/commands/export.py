"""handoff export messages: one JSON object a line per message."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from handoff.tickets.models import Message


class Command(BaseCommand):
    help = "Export data as JSON lines. Only `messages` for now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["messages"], help="what to export: messages")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = (
            Message.objects.order_by("pk")
            .values_list(
                "message_id",
                "conversation_id",
                "direction",
                "from_address",
                "subject",
                "received_at",
                "conversation__status",
                "triage__lane",
                "triage__category",
                "triage__language",
                "triage__confidence",
                "conversation__clock__assignee__email",
                "conversation__clock__first_response_due",
                "conversation__lane__lane",
            )
            .iterator(chunk_size=2000)
        )
        write = self.stdout.write
        for (
            message_id,
            ticket,
            direction,
            sender,
            subject,
            received_at,
            status,
            lane,
            category,
            language,
            confidence,
            assignee,
            first_response_due,
            conversation_lane,
        ) in rows:
            write(
                json.dumps(
                    {
                        # As the header writes it, so that it joins with other tools' lists.
                        "message_id": f"<{message_id}>",
                        "ticket": ticket,
                        "direction": direction,
                        "from": sender,
                        "subject": subject,
                        "received_at": received_at.isoformat(),
                        # None until triage decided (a message being imported right now).
                        "lane": lane,
                        "category": category,
                        "language": language,
                        "confidence": confidence,
                        "assignee": assignee,
                        "first_response_due": first_response_due.isoformat()
                        if first_response_due
                        else None,
                        "status": status,
                        # Triage's one answer for the whole conversation (founder, team, noise).
                        "conversation_lane": conversation_lane,
                    },
                    ensure_ascii=False,
                )
            )
