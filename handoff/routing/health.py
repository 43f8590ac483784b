"""Misconfiguration found while running (the admin can edit what the file would refuse).

Each problem is one plain sentence for the head of customer happiness. Nothing
here stops the desk: a person who cannot be scheduled gets no conversations, a
negative target is replaced by the standard one, a conversation nobody can take
waits in the queue with its clock running and is flagged at risk.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from handoff.routing.policies import calendar_of, standard_target
from handoff.routing.strategies import STRATEGIES
from handoff.routing.time.calendar import format_duration, next_open

if TYPE_CHECKING:
    from handoff.routing.actions import Context

WEEK = timedelta(days=7)


def problems(context: Context) -> list[str]:
    found: list[str] = []
    roster = context.roster
    for member in sorted(roster.members.values(), key=lambda m: m.email):
        if member.problem:
            found.append(f"person {member.email} {member.problem}")
    for policy in context.book.policies:
        for name in ("first_response", "next_response", "resolution"):
            value = getattr(policy, name)
            if value is not None and value <= 0:
                standard = format_duration(standard_target(policy.name, name))
                found.append(
                    f"policy {policy.name}: {name.replace('_', ' ')} target {value} min is not "
                    f"positive; the standard {standard} is used instead"
                )
        try:
            calendar_of(policy.calendar)
        except ValueError as error:
            found.append(f"policy {policy.name}: {error}; counting 24/7 instead")
    for team in sorted(roster.teams.values(), key=lambda t: t.name):
        if team.strategy not in STRATEGIES:
            found.append(f"team {team.name}: unknown strategy {team.strategy!r}; least_loaded used")
        members = [m for m in roster.of_team(team.pk) if m.availability is not None]
        if not members:
            found.append(f"team {team.name} has nobody who can be scheduled")
            continue
        if not any(
            m.on_shift or next_open(m.availability, context.now, horizon=WEEK) is not None
            for m in members
            if m.availability is not None
        ):
            found.append(
                f"team {team.name}: nobody is on shift in the coming week; "
                "conversations wait unassigned and will breach"
            )
    if not roster.teams:
        found.append("no team is configured: every conversation waits unassigned")
    return found
