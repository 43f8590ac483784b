from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from handoff.triage.engine.svm import ScaledSVC, ratios

# Columns: 0 only in billing mail, 1 only in support mail, 2 in every message alike.
ROWS = [[1, 0, 1], [1, 0, 1], [0, 1, 1], [0, 1, 1], [0, 0, 1], [0, 0, 1]]
LABELS = ["billing", "billing", "support", "support", "bug", "bug"]


def _sums(category: str) -> tuple[np.ndarray, np.ndarray]:
    rows, inside = np.array(ROWS, dtype=float), np.array(LABELS) == category
    return rows[inside].sum(axis=0), rows[~inside].sum(axis=0)


def test_a_feature_weighs_by_how_much_more_its_category_writes_it() -> None:
    scale = ratios(*_sums("billing"), 0.05, 0.5)
    assert scale[0] > 1  # telling, each way
    assert scale[1] < -1
    assert abs(scale[2]) < 0.6  # everybody writes it: it says little
    # The power dampens the magnitude and keeps the sign.
    raw = ratios(*_sums("billing"), 0.05, 1.0)
    assert scale[0] == pytest.approx(raw[0] ** 0.5)
    assert scale[1] == pytest.approx(-((-raw[1]) ** 0.5))


def test_the_scaled_svm_is_a_linear_model_of_the_features() -> None:
    matrix = csr_matrix(ROWS, dtype=float)
    model = ScaledSVC(C=1.0).fit(matrix, LABELS)
    assert list(model.classes_) == ["billing", "bug", "support"]
    assert model.coef_.shape == (3, 3)
    scores = model.decision_function(matrix)
    assert np.allclose(scores, matrix.toarray() @ model.coef_.T + model.intercept_)
    assert list(model.predict(matrix)) == LABELS
    # Two categories: one SVM, for the second, and one score per message.
    two = ScaledSVC().fit(matrix[:4], LABELS[:4])
    assert two.coef_.shape == (1, 3)
    assert two.decision_function(matrix[:4]).shape == (4,)
    assert list(two.predict(matrix[:4])) == LABELS[:4]


def test_one_category_is_not_enough_to_train() -> None:
    with pytest.raises(ValueError, match="two categories"):
        ScaledSVC().fit(csr_matrix(ROWS[:2], dtype=float), LABELS[:2])
