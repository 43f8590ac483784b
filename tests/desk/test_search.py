"""The desk's search, on the database the suite runs on (SQLite's FTS5 or PostgreSQL's
tsvector): a word of the body, the sender's name or address, the subject, a note; only what
the person may read; filters combined in the URL; query syntax typed by a person is only
text; matching words marked, everything else escaped; the index follows merges and is filled
for mail recorded before it existed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from handoff.desk import actions
from handoff.desk.views import PAGE_SIZE
from handoff.pipeline import indexing
from handoff.tickets import search
from handoff.tickets.models import Conversation
from handoff.triage import lanes
from handoff.triage.models import Tag
from tests.helpers import decided, deliver, logged_in, mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(people):
    invoice = deliver(
        mail(
            "inv@client.example",
            subject="Question about my invoice",
            sender="Ana Pereira <ana@client.example>",
            body="Hello, the invoice for October shows the wrong VAT number.",
        )
    )[0].conversation
    export = deliver(
        mail(
            "csv@other.example",
            subject="CSV export",
            sender="Bo Lindqvist <bo@other.example>",
            body="The export stops at 10,000 rows. <script>alert(1)</script> zebra",
        )
    )[0].conversation
    board = deliver(
        mail(
            "vc@fund.example",
            subject="Term sheet",
            sender="Vera Capital <vera@fund.example>",
            body="Attached is the term sheet for the seed round; zebra clause inside.",
        )
    )[0]
    decided(board, lane="founder", category="founder")
    return {"invoice": invoice, "export": export, "board": board.conversation, **people}


def found(client, query: str, **filters: str) -> list[int]:
    response = client.get("/search/", {"q": query, **filters})
    assert response.status_code == 200
    page = response.content.decode()
    return [c.pk for c in Conversation.objects.order_by("pk") if f'href="/c/{c.pk}/"' in page]


def test_a_word_of_the_body_the_senders_name_or_address_the_subject(desk) -> None:
    sophie = logged_in(desk["sophie"])
    assert found(sophie, "VAT") == [desk["invoice"].pk]
    assert found(sophie, "pereira") == [desk["invoice"].pk]
    assert found(sophie, "bo@other.example") == [desk["export"].pk]
    assert found(sophie, "term sheet") == [desk["board"].pk]
    assert found(sophie, "nothing like this") == []


def test_notes_are_found_and_agents_never_see_the_founders_mail(desk) -> None:
    actions.note(desk["export"], "Customer is on the legacy plan, ask Chris", desk["sophie"])
    chris = logged_in(desk["chris"])
    assert found(chris, "legacy plan") == [desk["export"].pk]
    assert found(chris, "zebra") == [desk["export"].pk]  # not the founder's term sheet
    assert found(logged_in(desk["camille"]), "zebra") == sorted(
        [desk["export"].pk, desk["board"].pk]
    )


def test_matches_are_marked_and_everything_else_escaped(desk) -> None:
    page = logged_in(desk["sophie"]).get("/search/", {"q": "export zebra"}).content.decode()
    snippet = page[page.index('<p class="snippet">') :]
    snippet = snippet[: snippet.index("</p>")]
    assert "<mark>zebra</mark>" in snippet
    assert "<script>" not in page  # escaped (SQLite), or left out of the snippet (PostgreSQL)
    assert "alert(1)" in snippet


@pytest.mark.parametrize(
    "typed",
    ['"', '"invoice', "invoice*", "NEAR(invoice VAT)", "(invoice", "invoice OR", "-VAT",
     "subject:invoice", "AND", "^", "{}", "'; DROP TABLE tickets_search; --", "\x00"],
)  # fmt: skip
def test_query_syntax_a_person_types_is_only_text(desk, typed: str) -> None:
    response = logged_in(desk["sophie"]).get("/search/", {"q": typed})
    assert response.status_code == 200
    assert Conversation.objects.count() == 3


def test_filters_combine_in_the_url(desk) -> None:
    sophie = logged_in(desk["sophie"])
    actions.set_status(desk["invoice"], Conversation.Status.SOLVED, desk["sophie"])
    assert found(sophie, "invoice", status="solved") == [desk["invoice"].pk]
    assert found(sophie, "zebra", lane="team") == [desk["export"].pk]
    assert found(sophie, "", lane="founder") == [desk["board"].pk]  # filters alone
    assert found(sophie, "zebra", **{"from": "2099-01-01"}) == []
    actions.assign(desk["export"], desk["chris"], desk["sophie"])
    assert found(logged_in(desk["chris"]), "export", assignee="me") == [desk["export"].pk]
    for bad in ({"status": "lost"}, {"lane": "vip"}, {"from": "yesterday"}, {"assignee": "x"}):
        response = sophie.get("/search/", {"q": "x", **bad})
        assert response.status_code == 400


def test_the_index_follows_a_merge(desk) -> None:
    actions.merge(desk["export"], desk["invoice"], desk["sophie"])
    assert found(logged_in(desk["chris"]), "zebra") == [desk["invoice"].pk]


def test_mail_recorded_before_the_index_is_indexed_once(desk) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {search.TABLE}")
    assert found(logged_in(desk["sophie"]), "VAT") == []
    assert indexing.populate() == 3
    assert indexing.populate() == 0
    assert found(logged_in(desk["sophie"]), "VAT") == [desk["invoice"].pk]
    if search.postgres():  # filled in bulk, then its words' statistics for the planner
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stats WHERE tablename = %s AND attname = 'document'",
                [search.TABLE],
            )
            assert cursor.fetchone()[0] == 1


def test_the_search_page_reads_the_same_number_of_queries_however_many_results(
    desk, django_assert_num_queries
) -> None:
    sophie = logged_in(desk["sophie"])
    sophie.get("/search/", {"q": "zebra"})
    # session, user, the index, the conversations (with clock, assignee, lane), the count
    # for the page, the snippets, the people of the assignee filter, the tags and the
    # mailboxes of the filters, "For you" in the nav.
    with django_assert_num_queries(10):
        sophie.get("/search/", {"q": "zebra"})
    Tag.objects.create(name="vip", colour="purple")
    for n in range(5):
        (message,) = deliver(
            mail(f"z{n}@client.example", subject=f"Zebra {n}", body="zebra crossing")
        )
        lanes.choose(message.conversation_id, tags=["vip", "unlisted"], priority="urgent")
    with django_assert_num_queries(10):
        response = sophie.get("/search/", {"q": "zebra"})
    page = response.content.decode()
    assert page.count("<mark>") >= 7
    assert page.count('<span class="tag tag-purple">vip</span>') == 5
    assert page.count('<span class="tag tag-grey">unlisted</span>') == 5
    assert page.count('class="priority priority-urgent"') == 5


def test_filters_alone_page_through_the_newest_first(people) -> None:
    """A filter without words lists every match newest first, a page at a time, read by the
    database a page at a time."""
    count = PAGE_SIZE + 3
    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    delivered = deliver(
        *(
            mail(f"p{n}@c.example", sender=f"p{n}@c.example", date=start + timedelta(minutes=n))
            for n in range(count)
        )
    )
    for message, n in zip(delivered, range(count), strict=True):
        Conversation.objects.filter(pk=message.conversation_id).update(
            last_message_at=start + timedelta(minutes=n)
        )
    newest_first = [m.conversation_id for m in reversed(delivered)]
    client = logged_in(people["sophie"])

    def listed(page: int) -> list[int]:
        response = client.get("/search/", {"status": "new", "page": str(page)})
        assert response.status_code == 200
        return [r.conversation.pk for r in response.context["rows"]]

    assert listed(1) == newest_first[:PAGE_SIZE]
    assert listed(2) == newest_first[PAGE_SIZE:]
    assert listed(3) == newest_first[PAGE_SIZE:]  # past the end: the last page


def test_nothing_asked_lists_nothing(desk) -> None:
    response = logged_in(desk["sophie"]).get("/search/")
    assert response.status_code == 200
    assert response.context["rows"] == []
