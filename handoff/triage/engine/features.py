"""What triage reads from a message's text alone (its language, the classifier's
probabilities, the words behind them), computed where the text is: in the processes of an
import's pool, so that the process that writes never loads the classifier.

The same functions serve triage in one process (``handoff.triage.pipeline``) and in the
pool (``handoff.pipeline.read``): the same text in, the same features out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from handoff.triage.engine.labels import Prediction
from handoff.triage.engine.language import detect
from handoff.triage.engine.text import BODY_CHARS, prepare

if TYPE_CHECKING:  # scikit-learn loads with the first model, in the process that predicts
    from handoff.triage.engine.classify import Model

SUBJECT_CHARS = 1000  # as the message row keeps it


@dataclass(frozen=True, slots=True)
class Text:
    subject: str
    body: str
    noise: str = ""  # the noise layer's verdict (auto-reply, bounce...), a token for the model

    @classmethod
    def of(cls, subject: str, body: str, noise: str = "") -> Text:
        return cls(subject[:SUBJECT_CHARS], body[:BODY_CHARS], noise)


@dataclass(frozen=True, slots=True)
class Features:
    language: str
    prediction: Prediction
    top: str  # the most probable category
    words: tuple[str, ...] = field(default=())  # what weighed most towards ``top``


def languages_of(texts: Sequence[Text], languages: Sequence[str]) -> list[str]:
    return detect([f"{t.subject}\n{t.body}" for t in texts], languages)


def compute(texts: Sequence[Text], model: Model, languages: Sequence[str]) -> list[Features]:
    found = languages_of(texts, languages)
    prepared = [prepare(t.subject, t.body, t.noise) for t in texts]
    predictions, matrix = model.analyse(prepared)
    result = []
    for n, (language, prediction) in enumerate(zip(found, predictions, strict=True)):
        top = max(prediction.probabilities, key=prediction.probabilities.__getitem__)
        words = tuple(model.explain(matrix, n, prepared[n], top))
        result.append(Features(language, prediction, top, words))
    return result
