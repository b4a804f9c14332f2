"""Fitting the intent classifier with scikit-learn (imported only here, only when training).

The features are built by scikit-learn's own vectorisers so that training is the reference; the
numpy scorer in ``knowledge.intent_model`` reproduces them (a test checks the two agree).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from knowledge.intent_model import WORD_PATTERN, IntentModel, ModelSettings, Vocabulary, prepare

_TEMPERATURE_BOUNDS = (0.02, 20.0)


def _vectorisers(settings: ModelSettings) -> tuple:
    from sklearn.feature_extraction.text import TfidfVectorizer

    common = {"sublinear_tf": True, "lowercase": False, "dtype": np.float64}
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=settings.char_ngrams, **common)
    words = TfidfVectorizer(
        analyzer="word", ngram_range=settings.word_ngrams, token_pattern=WORD_PATTERN, **common
    )
    return chars, words


def _fit_svc(texts: list[str], labels: Sequence[str], settings: ModelSettings) -> tuple:
    from scipy.sparse import hstack
    from sklearn.svm import LinearSVC

    chars, words = _vectorisers(settings)
    matrix = hstack([chars.fit_transform(texts), words.fit_transform(texts)]).tocsr()
    svc = LinearSVC(C=settings.svc_c, random_state=settings.seed).fit(matrix, list(labels))
    return chars, words, svc


def _held_out_margins(
    texts: list[str], labels: Sequence[str], settings: ModelSettings
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """SVC margins of each example from a model that did not see it (k-fold)."""
    from scipy.sparse import hstack
    from sklearn.model_selection import StratifiedKFold

    classes = sorted(set(labels))
    margins = np.zeros((len(texts), len(classes)))
    folds = StratifiedKFold(settings.calibration_folds, shuffle=True, random_state=settings.seed)
    for train, test in folds.split(texts, labels):
        chars, words, svc = _fit_svc(
            [texts[i] for i in train], [labels[i] for i in train], settings
        )
        held = [texts[i] for i in test]
        matrix = hstack([chars.transform(held), words.transform(held)]).tocsr()
        margins[test] = svc.decision_function(matrix)
    truth = np.array([classes.index(label) for label in labels])
    return margins, truth, classes


def fit_temperature(margins: np.ndarray, truth: np.ndarray) -> float:
    """The softmax temperature that minimises the negative log-likelihood of ``truth``."""
    from scipy.optimize import minimize_scalar

    def loss(temperature: float) -> float:
        scaled = margins / temperature
        scaled -= scaled.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(scaled).sum(axis=1))
        return float((log_norm - scaled[np.arange(len(truth)), truth]).mean())

    result = minimize_scalar(loss, bounds=_TEMPERATURE_BOUNDS, method="bounded")
    return float(result.x)


def train(texts: Sequence[str], labels: Sequence[str], settings: ModelSettings) -> IntentModel:
    """Fit the classifier on labelled clauses and return its numpy form."""
    prepared = [prepare(text) for text in texts]
    margins, truth, classes = _held_out_margins(prepared, labels, settings)
    chars, words, svc = _fit_svc(prepared, labels, settings)
    assert list(svc.classes_) == classes
    return IntentModel(
        classes=classes,
        chars=Vocabulary({t: int(i) for t, i in chars.vocabulary_.items()}, chars.idf_),
        words=Vocabulary({t: int(i) for t, i in words.vocabulary_.items()}, words.idf_),
        coef=np.asarray(svc.coef_),
        intercept=np.asarray(svc.intercept_),
        temperature=fit_temperature(margins, truth),
        settings=settings,
    )
