"""The learned layer of triage: TF-IDF over words and character n-grams, a linear
model, calibrated probabilities. Pure Python and scikit-learn, no Django.

What the model reads is :func:`handoff.triage.engine.text.prepare`'s text.

Features are hashed (no vocabulary to build, hold or store): words and pairs of
words over the first BODY_CHARS characters, character 3- and 5-grams inside the
words of the first CHAR_CHARS, each TF-IDF weighted; and a column for each
family of buying words (``triage_cues``), so that pre-sales, the rarest
category, generalises across languages. The classifier is a linear
SVM on features scaled by how telling they are of each category (NB-SVM,
``handoff.triage.engine.svm``), its scores calibrated (sigmoid, cross-validated)
into probabilities.
"""

from __future__ import annotations

import io
import pickle
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC
from sklearn.utils import murmurhash3_32

from handoff.triage.engine.cue_words import CUES
from handoff.triage.engine.cues import Cues
from handoff.triage.engine.labels import CATEGORIES, Prediction
from handoff.triage.engine.svm import ScaledSVC
from handoff.triage.engine.text import QUESTION, SUBJECT_MARK, word_grams

CHAR_CHARS = 600  # what the character n-grams read: the subject and the opening
CHAR_SIZES = (3, 5)  # with 4-grams too: 30% more columns (memory, time), scores no better
WORD_BITS = 17
CHAR_BITS = 16
MIN_PER_CLASS = 3  # a category with fewer examples is left out of training
CALIBRATION_FOLDS = 3
SVC_TOLERANCE = 1e-3
# The scaled SVMs stop sooner: on the public mailbox their probabilities stay within 0.001 of
# what 1e-3 gives, no category changes, and training 10,000 messages takes 14.6 s, not 22.2.
SCALED_TOLERANCE = 1e-2


def char_grams(word: str, sizes: Sequence[int] = CHAR_SIZES) -> list[str]:
    """Character n-grams of a word padded with a space on each side."""
    padded = f" {word[:40]} "
    return [padded[i : i + size] for size in sizes for i in range(max(1, len(padded) - size + 1))]


def _char_columns(word: str, bits: int, sizes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(murmurhash3_32(g, positive=True) % 2**bits for g in char_grams(word, sizes))


# The columns of words already seen, for each way of hashing: a plain dict read in the
# loop (a third faster than a functools cache's three-argument key), emptied when full.
_CHAR_CACHE: dict[tuple[int, tuple[int, ...]], dict[str, tuple[int, ...]]] = {}
CHAR_CACHE_WORDS = 200_000


class CharHasher(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Counts of hashed character n-grams of the words of each text's opening.

    The columns of a word are computed once and cached: words repeat from one
    message to the next, and this is what keeps prediction fast.
    """

    sizes: tuple[int, ...] = (3, 4, 5)  # what models stored before ``sizes`` was kept used

    def __init__(
        self, bits: int = 17, chars: int = 600, sizes: tuple[int, ...] = CHAR_SIZES
    ) -> None:
        self.bits = bits
        self.chars = chars
        self.sizes = sizes  # kept with a stored model, which must hash as it was trained

    def fit(self, texts: Sequence[str], y: Any = None) -> CharHasher:
        return self

    def transform(self, texts: Sequence[str]) -> csr_matrix:
        cache = _CHAR_CACHE.setdefault((self.bits, self.sizes), {})
        if len(cache) > CHAR_CACHE_WORDS:
            cache.clear()
        known = cache.get
        columns: list[int] = []
        rows = [0]
        for text in texts:
            for word in text[: self.chars].split():
                found = known(word)
                if found is None:
                    found = cache[word] = _char_columns(word, self.bits, self.sizes)
                columns.extend(found)
            rows.append(len(columns))
        matrix = csr_matrix(
            (
                np.ones(len(columns), dtype=np.float32),
                np.array(columns, dtype=np.int32),
                np.array(rows, dtype=np.int64),
            ),
            shape=(len(texts), 2**self.bits),
        )
        matrix.sum_duplicates()
        return matrix


def _features() -> FeatureUnion:
    # Hashing: no vocabulary to build (memory) or to store (model size).
    words = HashingVectorizer(
        analyzer=word_grams,
        n_features=2**WORD_BITS,
        alternate_sign=False,
        norm=None,
        dtype=np.float32,
    )
    return FeatureUnion(
        [
            ("words", Pipeline([("hash", words), ("tfidf", TfidfTransformer(sublinear_tf=True))])),
            (
                "chars",
                Pipeline(
                    [
                        ("hash", CharHasher(CHAR_BITS, CHAR_CHARS, CHAR_SIZES)),
                        ("tfidf", TfidfTransformer(sublinear_tf=True)),
                    ]
                ),
            ),
            ("cues", Cues()),  # words of buying intent, across languages
        ]
    )


@lru_cache(maxsize=200_000)
def _word_column(token: str) -> int:
    """The column HashingVectorizer gives ``token`` (signed murmurhash, absolute value)."""
    return int(abs(murmurhash3_32(token, seed=0))) % (1 << WORD_BITS)


_MARKED = re.compile(rf"\b{SUBJECT_MARK}(?=\w)")


def _readable(token: str) -> str:
    """A feature's name as a person reads it: the subject's mark and the question's token undone."""
    return _MARKED.sub("", token).replace(QUESTION, "?")


@dataclass(slots=True)
class Model:
    """A fitted classifier and what it was trained on."""

    features: FeatureUnion
    classifier: CalibratedClassifierCV
    classes: tuple[str, ...]
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        categories: Sequence[str],
        weights: Sequence[float] | None = None,
        *,
        c: float = 0.5,
        scaled: bool = True,
    ) -> Model:
        """Fit on prepared texts. Categories with fewer than MIN_PER_CLASS examples are left out.

        ``scaled``: the SVM reads features scaled by how telling they are of each category
        (``handoff.triage.engine.svm``), for a desk's own mail; the starter model, trained on
        a few hundred invented messages, is better without (public founder mailbox, fresh
        desk: team macro-F1 0.593 plain, 0.572 scaled, and one noise message in the founder
        lane)."""
        counts = Counter(categories)
        keep = [i for i, category in enumerate(categories) if counts[category] >= MIN_PER_CLASS]
        kept = Counter(categories[i] for i in keep)
        if len(kept) < 2:
            raise ValueError("training needs at least two categories with examples")
        unknown = set(kept) - set(CATEGORIES)
        if unknown:
            raise ValueError(f"unknown categories: {sorted(unknown)}")
        features = _features()
        matrix = features.fit_transform([texts[i] for i in keep])
        labels = np.array([categories[i] for i in keep])
        sample_weight = np.array([weights[i] for i in keep]) if weights is not None else None
        # One final model on all the data, calibrated on cross-validated scores:
        # a third of the size and prediction time of an ensemble of three.
        classifier = CalibratedClassifierCV(
            # A fixed seed: the same set trains the same model in every process.
            ScaledSVC(C=c, class_weight="balanced", tol=SCALED_TOLERANCE, random_state=0)
            if scaled
            else LinearSVC(C=c, class_weight="balanced", tol=SVC_TOLERANCE, random_state=0),
            method="sigmoid",
            cv=min(CALIBRATION_FOLDS, min(kept.values())),
            ensemble=False,
        )
        classifier.fit(matrix, labels, sample_weight=sample_weight)
        for calibrated in classifier.calibrated_classifiers_:
            estimator = calibrated.estimator
            estimator.coef_ = estimator.coef_.astype(np.float32)  # half the bytes, same answers
        return cls(
            features=features,
            classifier=classifier,
            classes=tuple(str(x) for x in classifier.classes_),
            counts=dict(kept),
        )

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        return self.analyse(texts)[0]

    def analyse(self, texts: Sequence[str]) -> tuple[list[Prediction], csr_matrix]:
        """Predictions, and the feature rows :meth:`explain` reads."""
        if not texts:
            return [], csr_matrix((0, 2**WORD_BITS + 2**CHAR_BITS + len(CUES)), dtype=np.float32)
        matrix = csr_matrix(self.features.transform(texts))
        probabilities = self.classifier.predict_proba(matrix)
        predictions = [
            Prediction(dict(zip(self.classes, map(float, row), strict=True)))
            for row in probabilities
        ]
        return predictions, matrix

    def explain(
        self, matrix: csr_matrix, row: int, text: str, category: str, count: int = 4
    ) -> list[str]:
        """The words (and pairs of words) of ``text`` that weighed most towards ``category``;
        ``matrix`` and ``row`` are where :meth:`analyse` left its features."""
        if category not in self.classes:
            return []
        coef = self.classifier.calibrated_classifiers_[0].estimator.coef_
        index = self.classes.index(category)
        weights = (coef[0] if index == 1 else -coef[0]) if coef.shape[0] == 1 else coef[index]
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        columns, values = matrix.indices[start:end], matrix.data[start:end]
        words = columns < 2**WORD_BITS  # the character n-grams come after, and have no name
        columns, scores = columns[words], values[words] * weights[columns[words]]
        wanted = {
            int(columns[i]): float(scores[i])
            for i in np.argsort(scores)[::-1][:count]
            if scores[i] > 0
        }
        names: dict[int, str] = {}
        for token in word_grams(text):
            column = _word_column(token)
            if column in wanted and column not in names:
                names[column] = token
                if len(names) == len(wanted):
                    break
        ranked = sorted(wanted, key=wanted.__getitem__, reverse=True)
        # A subject word and the same word in the body read alike: name it once.
        return list(dict.fromkeys(_readable(names[c]) for c in ranked if c in names))

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        pickle.dump(
            (self.features, self.classifier, self.classes, self.counts),
            buffer,
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Model:
        # Only ever bytes this desk wrote itself (its own database), never uploaded data.
        features, classifier, classes, counts = pickle.loads(data)  # noqa: S301
        return cls(features=features, classifier=classifier, classes=classes, counts=counts)
