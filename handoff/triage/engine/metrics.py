"""How well triage did against labels: what `handoff triage eval` and the benchmark print."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from handoff.triage.engine.labels import CATEGORIES, LANES, TEAM_CATEGORIES


@dataclass(frozen=True, slots=True)
class Outcome:
    lane: str  # labelled
    category: str
    language: str  # labelled; "und" or "" when the label has none
    predicted_lane: str
    predicted_category: str
    predicted_language: str
    needs_triage: bool = False


def wilson(successes: int, total: int, z: float = 1.96) -> list[float] | None:
    """95 % confidence interval of a proportion (Wilson score)."""
    if total == 0:
        return None
    p = successes / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return [round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)]


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def per_class(
    truth: Sequence[str], predicted: Sequence[str], classes: Iterable[str]
) -> dict[str, dict[str, Any]]:
    pairs = Counter(zip(truth, predicted, strict=True))
    true_counts, predicted_counts = Counter(truth), Counter(predicted)
    report = {}
    for name in classes:
        hit = pairs[(name, name)]
        precision = _ratio(hit, predicted_counts[name])
        recall = _ratio(hit, true_counts[name])
        f1 = (
            round(2 * precision * recall / (precision + recall), 4) if precision and recall else 0.0
        )
        report[name] = {
            "support": true_counts[name],
            "predicted": predicted_counts[name],
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "recall_ci95": wilson(hit, true_counts[name]),
        }
    return report


def report(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """Per-class precision/recall/F1, lane figures, founder figures, per language."""
    total = len(outcomes)
    lanes = [(o.lane, o.predicted_lane) for o in outcomes]
    lane_pairs = Counter(lanes)
    founder_hit = lane_pairs[("founder", "founder")]
    founder_true = sum(1 for lane, _ in lanes if lane == "founder")
    founder_predicted = sum(1 for _, lane in lanes if lane == "founder")
    team_true = sum(1 for lane, _ in lanes if lane == "team")
    categories = per_class(
        [o.category for o in outcomes], [o.predicted_category for o in outcomes], CATEGORIES
    )
    team_f1 = [categories[c]["f1"] for c in TEAM_CATEGORIES if categories[c]["support"]]
    labelled = [o for o in outcomes if o.language not in ("", "und")]
    language_hits = sum(o.language == o.predicted_language for o in labelled)
    return {
        "messages": total,
        "lane_accuracy": _ratio(sum(a == b for a, b in lanes), total),
        "lane_confusion": {
            f"{a}->{b}": lane_pairs[(a, b)] for a in LANES for b in LANES if lane_pairs[(a, b)]
        },
        "founder": {
            "recall": _ratio(founder_hit, founder_true),
            "recall_ci95": wilson(founder_hit, founder_true),
            "precision": _ratio(founder_hit, founder_predicted),
            "precision_ci95": wilson(founder_hit, founder_predicted),
            "share": _ratio(founder_predicted, total),
            "true_share": _ratio(founder_true, total),
            "share_ratio": _ratio(founder_predicted, founder_true),
        },
        "team_to_noise": _ratio(lane_pairs[("team", "noise")], team_true),
        "noise_to_founder": lane_pairs[("noise", "founder")],
        "needs_triage": sum(o.needs_triage for o in outcomes),
        "category_accuracy": _ratio(
            sum(o.category == o.predicted_category for o in outcomes), total
        ),
        "team_macro_f1": round(sum(team_f1) / len(team_f1), 4) if team_f1 else None,
        "classes": {
            name: value
            for name, value in categories.items()
            if value["support"] or value["predicted"]
        },
        "language_accuracy": _ratio(language_hits, len(labelled)),
        "languages": _per_language(outcomes),
    }


def _per_language(outcomes: Sequence[Outcome]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.language or "und"].append(outcome)
    result = {}
    for language, group in sorted(groups.items()):
        team = [o for o in group if o.lane == "team"]
        f1 = per_class(
            [o.category for o in team], [o.predicted_category for o in team], TEAM_CATEGORIES
        )
        present = [v["f1"] for v in f1.values() if v["support"]]
        result[language] = {
            "messages": len(group),
            "lane_accuracy": _ratio(sum(o.lane == o.predicted_lane for o in group), len(group)),
            "category_accuracy": _ratio(
                sum(o.category == o.predicted_category for o in group), len(group)
            ),
            "team_macro_f1": round(sum(present) / len(present), 4) if present else None,
            "language_accuracy": None
            if language == "und"
            else _ratio(sum(o.predicted_language == language for o in group), len(group)),
        }
    return result
