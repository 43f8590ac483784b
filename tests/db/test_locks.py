"""``handoff.db.locks.wait`` on PostgreSQL: per-id callers go on side by side, a caller of
the key alone or of many ids waits for them all (and they for it), and no transaction fills
the server's lock table, however many ids it locks."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from handoff.db import locks
from handoff.tickets.models import Conversation
from handoff.triage import lanes
from handoff.triage.models import ConversationLane
from tests.helpers import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

KEY = 0x54455354
# Past what the default lock table holds (twelve thousand advisory locks fit here).
BEYOND = 20_000


def held() -> int:
    """The advisory locks this session holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        )
        (count,) = cursor.fetchone()
    return int(count)


def test_many_ids_take_the_key_alone() -> None:
    with transaction.atomic():
        locks.wait(KEY, range(1, BEYOND + 1))
        assert held() == 1
    with transaction.atomic():
        locks.wait(KEY, range(1, locks.MANY + 1))
        assert held() == locks.MANY + 1  # the key shared, and each id


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ([5], range(1, locks.MANY + 2)),  # an id held: the whole waits
        (range(1, locks.MANY + 2), [5]),  # the whole held: an id waits
        ([5], []),  # the key alone waits for an id, as threading does
        ([5], [5]),  # the same id
    ],
    ids=["id then many", "many then id", "id then key", "same id"],
)
def test_who_waits_for_whom(first: list[int], second: list[int]) -> None:
    def second_worker() -> None:
        with transaction.atomic():
            locks.wait(KEY, second)

    # race() fails unless the second worker is seen waiting for the first.
    assert race(lambda: locks.wait(KEY, first), second_worker) == []


def test_other_ids_do_not_wait() -> None:
    with transaction.atomic():
        locks.wait(KEY, [1, 2])
        done = []

        def other() -> None:
            try:
                with transaction.atomic():
                    locks.wait(KEY, [3, 4])
                done.append(True)
            finally:
                connection.close()

        thread = threading.Thread(target=other)
        thread.start()
        thread.join(10)
        assert done == [True]  # while the first still holds its ids
    thread.join(10)


def test_a_label_import_refreshes_thousands_of_lanes_in_one_transaction() -> None:
    """As ``triage.labels.store`` does: the lanes of every labelled conversation, within
    the import's transaction (each chunk's per-id locks stayed until its end)."""
    Conversation.objects.bulk_create(Conversation(subject=f"c{n}") for n in range(BEYOND))
    ids = list(Conversation.objects.values_list("pk", flat=True))
    with transaction.atomic():
        lanes.refresh(ids)
        assert held() == 1
    assert ConversationLane.objects.count() == BEYOND
