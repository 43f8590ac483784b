"""What triage decides between: the lanes, their categories, and a model's answer.

Apart from the classifier (``classify``) so that what only needs these names
(the database, the rules, the desk) does not load scikit-learn: importing it
cost every command and every web process two seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LANES = ("founder", "team", "noise")
TEAM_CATEGORIES = ("presales", "support", "bug", "billing", "feedback")
NOISE_CATEGORIES = ("spam", "bulk", "bounce", "autoreply")
CATEGORIES = (*TEAM_CATEGORIES, "founder", *NOISE_CATEGORIES)
LANE_OF = {
    **{c: "team" for c in TEAM_CATEGORIES},
    "founder": "founder",
    **{c: "noise" for c in NOISE_CATEGORIES},
}


@dataclass(frozen=True, slots=True)
class Prediction:
    """Calibrated probabilities of one message over the model's categories."""

    probabilities: dict[str, float]

    def lane(self, lane: str) -> float:
        return sum(p for c, p in self.probabilities.items() if LANE_OF[c] == lane)

    def without(self, categories: Sequence[str]) -> Prediction:
        """The probabilities with ``categories`` left out, the rest scaled back to one."""
        kept = {c: p for c, p in self.probabilities.items() if c not in categories}
        total = sum(kept.values())
        return Prediction({c: p / total for c, p in kept.items()}) if total > 0 else self

    def best(self, categories: Sequence[str]) -> tuple[str, float]:
        found = [(self.probabilities.get(c, 0.0), c) for c in categories]
        probability, category = max(found)
        return category, probability
