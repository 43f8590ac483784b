"""Quote and signature folding's no-loss invariant, on anything (with hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handoff.lib.quotes import fold
from tests.lib.no_loss import assert_no_loss

# --- the invariant, on anything ----------------------------------------------

LINES = [
    "",
    " ",
    "Hello,",
    "Thanks a lot for the quick answer.",
    "> quoted",
    ">",
    ">> deeper",
    "| piped",
    "C> tagged",
    "-- ",
    "____",
    "ᐧ",
    "```",
    "On Mon, Feb 3, 2025 at 10:12 AM Bob <b@x.com> wrote:",
    "On Mon, Feb 3, 2025 at 10:12 AM Bob <b@x.com>",
    "wrote:",
    "Le lun. 3 févr. 2025 à 10:12, Marie <m@x.fr> a écrit :",
    "-----Original Message-----",
    "-----Message d'origine-----",
    "From: Bob <b@x.com>",
    "Sent: Monday",
    "Subject: Hi",
    "De : Marie",
    "Objet : Test",
    "Sent from my iPhone",
    "Envoyé de mon iPhone",
    "2016-03-03 17:21 GMT+01:00 Some One <",
    "\u200b",
    "\u00a0",
]
email_like = st.lists(st.one_of(st.sampled_from(LINES), st.text(max_size=30)), max_size=40).flatmap(
    lambda parts: st.sampled_from(["\n", "\r\n", "\r"]).map(lambda nl: nl.join(parts))
)


@given(st.text())
def test_no_loss_on_any_text(text: str) -> None:
    assert_no_loss(text, fold(text))


@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=200))
def test_no_loss_with_surrogates_and_controls(text: str) -> None:
    assert_no_loss(text, fold(text))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(email_like)
def test_no_loss_on_email_like_text(text: str) -> None:
    assert_no_loss(text, fold(text))
