"""Turn stored raw messages into conversation messages: parse, thread, record.

Every raw row is processed exactly once: its state moves from pending to done
in the same transaction that writes its message, and a row another worker
holds is skipped. A message whose processing raises is marked failed with the
reason, so it shows in the quarantine instead of blocking the others.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from handoff.accounts.models import User
from handoff.lib import mime
from handoff.lib.noise import Verdict
from handoff.lib.reading import Own, read
from handoff.lib.subjects import subject_key
from handoff.mailin.models import Mailbox, RawMessage
from handoff.tickets.models import (
    Attachment,
    Conversation,
    Event,
    Message,
    Participant,
    ThreadRef,
)
from handoff.tickets.threading import candidates, is_list_mail, parent_ids

log = logging.getLogger(__name__)
THREADING_LOCK = 0x48414E44  # any constant shared by every worker
CLOCK_SKEW = timedelta(days=1)


PERSON = Verdict("", "")  # a person wrote it: no machine recognised


@dataclass(frozen=True, slots=True)
class Parsed:
    raw_id: int
    message: mime.ParsedMessage
    verdict: Verdict = PERSON


def own_context() -> Own:
    addresses = Mailbox.objects.filter(active=True).values_list("address", flat=True)
    return Own(frozenset({settings.DESK_DOMAIN}), frozenset(a.lower() for a in addresses))


def pending_rows(raw_ids: Sequence[int]) -> list[tuple[int, bytes, str]]:
    return [
        (pk, bytes(data), message_id)
        for pk, data, message_id in RawMessage.objects.filter(
            pk__in=raw_ids, state=RawMessage.State.PENDING
        ).values_list("pk", "data", "message_id")
    ]


def process(raw_ids: Sequence[int]) -> Recorded:
    """Parse and record the pending messages among ``raw_ids``."""
    own = own_context()
    return record([Parsed(*read(row, own)) for row in pending_rows(raw_ids)])


@dataclass(slots=True)
class Recorded:
    done: int = 0
    flagged: int = 0  # recorded with parse warnings: shown, but worth a look
    failed: int = 0  # could not be recorded: the raw bytes wait in the quarantine
    opened: list[int] = field(default_factory=list)  # messages that started a conversation
    messages: list[int] = field(default_factory=list)  # every message recorded

    def add(self, other: Recorded) -> None:
        self.done += other.done
        self.flagged += other.flagged
        self.failed += other.failed
        self.opened += other.opened
        self.messages += other.messages


def record(batch: Sequence[Parsed]) -> Recorded:
    """Record a batch in one transaction; on failure, one by one so a bad one stands alone."""
    if not batch:
        return Recorded()
    try:
        return _record(batch)
    except IntegrityError:
        pass  # another worker threaded the same conversation meanwhile: one by one sees it
    except Exception:  # noqa: BLE001 - isolate the message that fails, below
        log.warning("batch of %d failed, recording one by one", len(batch))
    result = Recorded()
    for item in batch:
        result.add(_record_alone(item))
    return result


def _record_alone(item: Parsed) -> Recorded:
    for attempt in (1, 2):
        try:
            return _record([item])
        except IntegrityError:
            if attempt == 1:
                continue
            error: Exception = RuntimeError("conflicting concurrent writes")
        except Exception as caught:  # noqa: BLE001 - kept, flagged and shown, never lost
            error = caught
        log.exception("processing raw message %s failed", item.raw_id, exc_info=error)
        RawMessage.objects.filter(pk=item.raw_id).update(
            state=RawMessage.State.FAILED, error=f"{type(error).__name__}: {error}"[:5000]
        )
        return Recorded(failed=1)
    raise AssertionError("unreachable")


def _record(batch: Sequence[Parsed]) -> Recorded:
    result = Recorded()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Threading reads then writes; two workers threading a parent and its
            # reply at once would each miss the other. SQLite's IMMEDIATE
            # transactions already serialise writers.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [THREADING_LOCK])
        claimed = _claim([item.raw_id for item in batch])
        own = _own_addresses()
        for item in batch:
            if item.raw_id in claimed:
                message = _add(item, own, claimed[item.raw_id])
                result.done += 1
                result.messages.append(message.pk)
                if message.conversation.message_count == 1:
                    result.opened.append(message.pk)
                result.flagged += bool(item.message.warnings)
        RawMessage.objects.filter(pk__in=list(claimed)).update(state=RawMessage.State.DONE)
    return result


def _claim(raw_ids: list[int]) -> dict[int, datetime]:
    rows = RawMessage.objects.filter(pk__in=raw_ids, state=RawMessage.State.PENDING)
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    return dict(rows.values_list("pk", "received_at"))


def _own_addresses() -> set[str]:
    addresses = set(Mailbox.objects.values_list("address", flat=True))
    addresses.update(User.objects.values_list("email", flat=True))
    return {a.lower() for a in addresses}


def _add(item: Parsed, own: set[str], received_at: datetime) -> Message:
    raw_id, parsed, verdict = item.raw_id, item.message, item.verdict
    sender = parsed.sender.email.lower() if parsed.sender else ""
    recipients = [a.email.lower() for a in (*parsed.to, *parsed.cc)]
    # The Date header orders an imported history; a missing or future one (clock
    # skew, spam) gives way to the time we received the message.
    at = parsed.date if parsed.date and parsed.date <= received_at + CLOCK_SKEW else received_at
    # A bounce belongs with the mail it returns, though it names it only in its body.
    parents = parent_ids(parsed.in_reply_to, parsed.references, verdict.bounced_ids)
    found = candidates(
        message_id=parsed.message_id,
        parents=parents,
        subject=parsed.subject,
        sender=sender,
        recipients=set(recipients) - {""},
        at=at,
        is_list=is_list_mail(parsed.headers),
    )
    if found:
        conversation = Conversation.objects.get(pk=found[0])
        for other in found[1:]:
            merge(Conversation.objects.get(pk=other), into=conversation)
    else:
        conversation = Conversation.objects.create(
            subject=parsed.subject[:500],
            subject_key=subject_key(parsed.subject),
            created_at=at,
            last_message_at=at,
        )
        Event.objects.create(conversation=conversation, kind=Event.Kind.CREATED, at=at)
    direction = Message.Direction.OUT if sender in own else Message.Direction.IN
    message = Message.objects.create(
        conversation=conversation,
        raw_id=raw_id,
        message_id=parsed.message_id,
        direction=direction,
        from_name=(parsed.sender.name if parsed.sender else "")[:300],
        from_address=sender[:320],
        to=[[a.name, a.email] for a in parsed.to],
        cc=[[a.name, a.email] for a in parsed.cc],
        subject=parsed.subject[:1000],
        sent_at=parsed.date,
        received_at=received_at,
        in_reply_to=parsed.in_reply_to,
        references=parsed.references[-50:],
        text=parsed.text,
        html=parsed.html,
        headers=parsed.headers,
        warnings=parsed.warnings,
        noise=verdict.kind,
        noise_reason=verdict.reason[:300],
    )
    if verdict.kind == "bounce" and verdict.bounced_ids:
        Message.objects.filter(
            message_id__in=verdict.bounced_ids, direction=Message.Direction.OUT
        ).update(delivery_state="failed", delivery_error=f"bounced: {verdict.reason}"[:2000])
    ThreadRef.objects.bulk_create(
        ThreadRef(key=k[:500], conversation=conversation) for k in parents
    )
    people = [
        (a.email.lower(), a.name)
        for a in (*(p for p in [parsed.sender] if p), *parsed.to, *parsed.cc)
    ]
    Participant.objects.bulk_create(
        (
            Participant(conversation=conversation, address=a[:320], name=n[:300])
            for a, n in dict(people).items()
        ),
        ignore_conflicts=True,
    )
    Attachment.objects.bulk_create(
        Attachment(
            message=message,
            filename=a.filename[:500],
            content_type=a.content_type[:200],
            size=a.size,
            content_id=a.content_id[:500],
            inline=a.inline,
            part=a.part,
        )
        for a in parsed.attachments
    )
    _touch(conversation, at, direction)
    return message


def _touch(conversation: Conversation, at: datetime, direction: str) -> None:
    conversation.message_count += 1
    conversation.last_message_at = max(conversation.last_message_at, at)
    if direction == Message.Direction.IN and conversation.status == Conversation.Status.SOLVED:
        conversation.status = Conversation.Status.OPEN
    conversation.save(update_fields=["message_count", "last_message_at", "status"])


def merge(source: Conversation, *, into: Conversation, actor_id: int | None = None) -> None:
    """Move everything of ``source`` into ``into``; ``source`` stays as a pointer."""
    if source.pk == into.pk:
        return
    Message.objects.filter(conversation=source).update(conversation=into)
    ThreadRef.objects.filter(conversation=source).update(conversation=into)
    Event.objects.filter(conversation=source).update(conversation=into)
    existing = set(Participant.objects.filter(conversation=into).values_list("address", flat=True))
    Participant.objects.filter(conversation=source, address__in=existing).delete()
    Participant.objects.filter(conversation=source).update(conversation=into)
    Conversation.objects.filter(merged_into=source).update(merged_into=into)
    source.merged_into = into
    source.message_count = 0
    source.save(update_fields=["merged_into", "message_count"])
    first = min(into.created_at, source.created_at)
    last = max(into.last_message_at, source.last_message_at)
    count = Message.objects.filter(conversation=into).count()
    Conversation.objects.filter(pk=into.pk).update(
        created_at=first, last_message_at=last, message_count=count
    )
    into.created_at, into.last_message_at, into.message_count = first, last, count
    Event.objects.create(
        conversation=into, kind=Event.Kind.MERGED, actor_id=actor_id, data={"from": source.pk}
    )


def pending_ids(limit: int | None = None) -> Iterable[int]:
    rows = RawMessage.objects.filter(state=RawMessage.State.PENDING).order_by("pk")
    return rows.values_list("pk", flat=True)[:limit] if limit else rows.values_list("pk", flat=True)
