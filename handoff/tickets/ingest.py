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
from handoff.db import bulk, locks
from handoff.lib import mime
from handoff.lib.noise import Verdict
from handoff.lib.reading import Own
from handoff.lib.subjects import desk_token, subject_key
from handoff.lib.thanks import only_thanks
from handoff.mailin.models import Mailbox, RawMessage
from handoff.tickets import timeline
from handoff.tickets.merging import merge
from handoff.tickets.models import (
    Attachment,
    Conversation,
    Event,
    Message,
    Participant,
    ThreadRef,
)
from handoff.tickets.threading import Links, fallback, is_list_mail, parent_ids

log = logging.getLogger(__name__)
THREADING_LOCK = 0x48414E44  # any constant shared by every worker
CLOCK_SKEW = timedelta(days=1)
SAME_MOMENT = timedelta(seconds=2)


PERSON = Verdict("", "")  # a person wrote it: no machine recognised
# What a solved conversation, or one waiting on the customer, needs an answer again for: the
# customer's own mail, or a bounce (our answer never reached them). Not their mail server's
# out-of-office reply, a list's mail or our own coming back (routing counts none as theirs).
REOPENING = ("", "bounce")


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


@dataclass(slots=True)
class Recorded:
    done: int = 0
    flagged: int = 0  # recorded with parse warnings: shown, but worth a look
    failed: int = 0  # could not be recorded: the raw bytes wait in the quarantine
    opened: list[int] = field(default_factory=list)  # messages that started a conversation
    messages: list[int] = field(default_factory=list)  # every message recorded
    by_raw: dict[int, int] = field(default_factory=dict)  # raw message id: message id
    history: set[int] = field(default_factory=set)  # conversations an import solved as history

    def add(self, other: Recorded) -> None:
        self.done += other.done
        self.flagged += other.flagged
        self.failed += other.failed
        self.opened += other.opened
        self.messages += other.messages
        self.by_raw |= other.by_raw
        self.history |= other.history


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


def lock_threading() -> None:
    """Within a transaction: wait for any other threading (or merge) to finish.

    Threading reads then writes; two workers threading a parent and its reply at
    once would each miss the other. SQLite's IMMEDIATE transactions already
    serialise writers."""
    locks.wait(THREADING_LOCK)


def _record(batch: Sequence[Parsed]) -> Recorded:
    result = Recorded()
    with transaction.atomic():
        lock_threading()
        claimed = _claim([item.raw_id for item in batch])
        items = [item for item in batch if item.raw_id in claimed]
        links = Links.load(
            (item.message.message_id for item in items),
            (p for item in items for p in _parents(item)),
            (item.message.subject for item in items),
        )
        writes = Pending(links)
        own = _own_addresses()
        added = []
        for item in items:
            message = _add(item, own, claimed[item.raw_id], writes)
            added.append((item.raw_id, message, message.conversation.message_count == 1))
            result.done += 1
            result.flagged += bool(item.message.warnings)
        writes.flush()
        for raw_id, message, opened in added:
            result.messages.append(message.pk)
            result.by_raw[raw_id] = message.pk
            if opened:
                result.opened.append(message.pk)
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


def _parents(item: Parsed) -> list[str]:
    # A bounce belongs with the mail it returns, though it names it only in its body.
    parsed = item.message
    return parent_ids(parsed.in_reply_to, parsed.references, item.verdict.bounced_ids)


class Pending:
    """A batch's writes, held until ``flush`` so that they go in a few bulk queries.

    Threading reads ``links`` (kept current) instead of the tables; a read that
    must see the tables (the subject fallback, a merge) flushes first."""

    def __init__(self, links: Links) -> None:
        self.links = links
        self.events: list[Event] = []
        self.messages: list[tuple[Message, list[mime.AttachmentInfo]]] = []
        self.bounces: list[tuple[Message, list[str], str]] = []
        self.refs: list[ThreadRef] = []
        self.people: dict[tuple[int, str], str] = {}
        self.touched: dict[int, Conversation] = {}

    def fallback(self, key: str, sender: str, recipients: set[str], at: datetime) -> int | None:
        unsaved = (*self.touched.values(), *self.links.fresh.values())
        if any(c.subject_key == key for c in unsaved):
            self.flush()  # the fallback reads subjects, times and people from the tables
        return fallback(key, sender, recipients, at)

    def flush(self) -> None:
        bulk.insert(self.links.fresh.values())
        ids = self.links.settle()
        bulk.insert(message for message, _ in self.messages)
        timeline.append_all(self.events)
        bulk.insert(
            Attachment(
                message=message,
                filename=a.filename[:500],
                content_type=a.content_type[:200],
                size=a.size,
                content_id=a.content_id[:500],
                inline=a.inline,
                part=a.part,
            )
            for message, attachments in self.messages
            for a in attachments
        )
        for bounce, bounced_ids, reason in self.bounces:
            # Only the mail stored before the bounce, as if it ran when the bounce came.
            Message.objects.filter(
                message_id__in=bounced_ids, direction=Message.Direction.OUT, pk__lte=bounce.pk
            ).update(delivery_state="failed", delivery_error=f"bounced: {reason}"[:2000])
        bulk.insert(self.refs)
        bulk.insert(
            (
                Participant(
                    conversation_id=ids.get(c, c),
                    address=a,
                    name=n,
                    domain=Participant.domain_of(a),
                )
                for (c, a), n in self.people.items()
            ),
            ignore_conflicts=True,
        )
        # Rows that exist: an upsert is one cheap statement where bulk_update builds a
        # CASE per row and field.
        bulk.insert(self.touched.values(), update=["message_count", "last_message_at", "status"])
        self.events, self.messages, self.bounces, self.refs = [], [], [], []
        self.people, self.touched = {}, {}


def _add(item: Parsed, own: set[str], received_at: datetime, writes: Pending) -> Message:
    parsed, verdict = item.message, item.verdict
    sender = parsed.sender.email.lower() if parsed.sender else ""
    recipients = [a.email.lower() for a in (*parsed.to, *parsed.cc)]
    # The Date header orders an imported history; a missing or future one (clock
    # skew, spam) gives way to the time we received the message.
    at = parsed.date if parsed.date and parsed.date <= received_at + CLOCK_SKEW else received_at
    if timedelta(0) <= received_at - at < SAME_MOMENT:
        at = received_at  # the Date header counts whole seconds: keep the timeline's order
    parents = _parents(item)
    links = writes.links
    token = desk_token(parsed.subject)
    if token is not None and token not in links.conversations and links.fresh:
        writes.flush()  # the token may name a conversation of this batch: give it its id
    found, key = links.candidates(
        message_id=parsed.message_id,
        parents=parents,
        subject=parsed.subject,
        sender=sender,
        recipients=set(recipients) - {""},
        at=at,
        is_list=is_list_mail(parsed.headers),
    )
    if key:
        match = writes.fallback(key, sender, set(recipients) - {""}, at)
        if match is not None:
            links.fetch([match])
            found = [match]
    if len(found) > 1:
        # A merge moves rows: they must all be in the tables, and the oldest
        # conversation (the lowest id) known by its id.
        writes.flush()
        found = links.resolve(found)
        for other in found[1:]:
            merge(links.conversations[other], into=links.conversations[found[0]])
            links.merged(other, into=found[0])
    if found:
        number = found[0]
        conversation = links.conversations[number]
    else:
        conversation = Conversation(
            subject=parsed.subject[:500],
            subject_key=subject_key(parsed.subject),
            created_at=at,
            last_message_at=at,
        )
        number = links.new(conversation)
        writes.events.append(timeline.entry(conversation, Event.Kind.CREATED, at=at))
    direction = Message.Direction.OUT if sender in own else Message.Direction.IN
    message = Message(
        conversation=conversation,
        raw_id=item.raw_id,
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
        thanks=direction == Message.Direction.IN
        and not verdict.kind
        and not any(not a.inline for a in parsed.attachments)  # a file is something to read
        and only_thanks(parsed.text),
    )
    writes.messages.append((message, list(parsed.attachments)))
    writes.events.append(
        timeline.entry(
            conversation,
            Event.Kind.MESSAGE,
            at=at,
            message=message,
            direction=direction,
            sender=message.from_address,
        )
    )
    if verdict.kind == "bounce" and verdict.bounced_ids:
        writes.bounces.append((message, list(verdict.bounced_ids), verdict.reason))
    writes.refs += [ThreadRef(key=k[:500], conversation=conversation) for k in parents]
    people = [
        (a.email.lower(), a.name)
        for a in (*(p for p in [parsed.sender] if p), *parsed.to, *parsed.cc)
    ]
    for address, name in dict(people).items():
        writes.people.setdefault((number, address[:320]), name[:300])
    links.add(parsed.message_id, parents, number)
    _touch(conversation, at, direction, verdict.kind, thanks=message.thanks)
    if number > 0:  # a fresh conversation is saved whole
        writes.touched[number] = conversation
    return message


def _touch(
    conversation: Conversation, at: datetime, direction: str, noise: str, *, thanks: bool
) -> None:
    conversation.message_count += 1
    conversation.last_message_at = max(conversation.last_message_at, at)
    status, inbound = conversation.status, direction == Message.Direction.IN
    # The customer wrote: solved or waiting on them, it needs an answer again (not for a
    # reply that only thanks).
    waiting = (Conversation.Status.SOLVED, Conversation.Status.PENDING)
    if (inbound and noise in REOPENING and not thanks and status in waiting) or (
        not inbound and not noise and status == Conversation.Status.NEW
    ):
        conversation.status = Conversation.Status.OPEN


def pending_ids(limit: int | None = None) -> Iterable[int]:
    rows = RawMessage.objects.filter(state=RawMessage.State.PENDING).order_by("pk")
    return rows.values_list("pk", flat=True)[:limit] if limit else rows.values_list("pk", flat=True)
