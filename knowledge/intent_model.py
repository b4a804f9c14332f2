"""The trained part of intent reading: TF-IDF features and a linear classifier, without pickles.

Why this shape: the model must hold paraphrases that no regex lists, start fast, and never load
code from disk. Training uses scikit-learn (character n-grams 2-5 inside word boundaries plus
word 1-2-grams, each TF-IDF weighted and L2-normalised, then a LinearSVC) and takes well under a
second; its probabilities come from temperature scaling of the SVC margins, the temperature fitted
on cross-validated margins. The fitted numbers (vocabularies, idf, weights, temperature) are
saved as plain arrays (``.npz`` without pickle) plus JSON, keyed by a hash of the training file
and the feature settings, so a warm start reads them back and scores with numpy alone: scikit-learn
is imported only when a model has to be trained.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge.normalise import normalise

FORMAT_VERSION = 1
_WHITE_SPACES = re.compile(r"\s\s+")
WORD_PATTERN = r"(?u)\b\w+\b"  # scikit-learn's token pattern, single letters kept
_WORD = re.compile(WORD_PATTERN)


@dataclass(frozen=True)
class ModelSettings:
    """Feature and classifier settings; part of the cache key."""

    char_ngrams: tuple[int, int] = (2, 5)
    word_ngrams: tuple[int, int] = (1, 2)
    svc_c: float = 0.5
    calibration_folds: int = 5
    seed: int = 0


def prepare(text: str) -> str:
    """The form the model sees: normalised, lower case, single spaces."""
    return _WHITE_SPACES.sub(" ", normalise(text).lower())


def char_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams inside padded words, exactly as scikit-learn's ``char_wb`` analyser."""
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        for n in range(low, high + 1):
            starts = len(padded) - n + 1
            grams.extend(padded[i : i + n] for i in range(max(1, starts)))
            if starts <= 1:  # a word shorter than n counts once, as in scikit-learn
                break
    return grams


def word_ngrams(text: str, low: int, high: int) -> list[str]:
    """Word n-grams, as scikit-learn's ``word`` analyser with the token pattern ``\\b\\w+\\b``."""
    found = _WORD.findall(text)
    return [
        " ".join(found[i : i + n]) for n in range(low, high + 1) for i in range(len(found) - n + 1)
    ]


@dataclass
class Vocabulary:
    """One TF-IDF block: term -> column, and the idf of each column."""

    index: dict[str, int]
    idf: np.ndarray

    def weights(self, terms: list[str], offset: int) -> tuple[list[int], list[float]]:
        """Columns and sublinear, L2-normalised TF-IDF values of ``terms`` (unknown ones dropped)."""
        counts = Counter(t for t in terms if t in self.index)
        columns = [self.index[t] for t in counts]
        values = [(1.0 + math.log(c)) * float(self.idf[self.index[t]]) for t, c in counts.items()]
        norm = math.sqrt(sum(v * v for v in values)) or 1.0
        return [offset + c for c in columns], [v / norm for v in values]


@dataclass
class IntentModel:
    """A fitted linear intent classifier that scores with numpy alone."""

    classes: list[str]
    chars: Vocabulary
    words: Vocabulary
    coef: np.ndarray  # (classes, features)
    intercept: np.ndarray
    temperature: float
    settings: ModelSettings

    def features(self, text: str) -> tuple[list[int], list[float]]:
        prepared = prepare(text)
        char_cols, char_vals = self.chars.weights(
            char_ngrams(prepared, *self.settings.char_ngrams), 0
        )
        word_terms = word_ngrams(prepared, *self.settings.word_ngrams)
        word_cols, word_vals = self.words.weights(word_terms, len(self.chars.index))
        return char_cols + word_cols, char_vals + word_vals

    def margins(self, text: str) -> np.ndarray:
        columns, values = self.features(text)
        return self.coef[:, columns] @ np.asarray(values) + self.intercept

    def probabilities(self, text: str) -> dict[str, float]:
        """Calibrated probability of each label for one clause."""
        scaled = self.margins(text) / self.temperature
        exp = np.exp(scaled - scaled.max())
        return dict(zip(self.classes, (exp / exp.sum()).tolist(), strict=True))

    def save(self, stem: Path) -> None:
        """Write ``stem.npz`` (arrays, no pickle) and ``stem.json`` atomically."""
        stem.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "format": FORMAT_VERSION,
            "classes": self.classes,
            "chars": sorted(self.chars.index, key=self.chars.index.__getitem__),
            "words": sorted(self.words.index, key=self.words.index.__getitem__),
            "temperature": self.temperature,
        }
        tmp = stem.with_name(f"{stem.name}.{os.getpid()}.tmp")
        with open(f"{tmp}.npz", "wb") as handle:
            np.savez(
                handle,
                char_idf=self.chars.idf,
                word_idf=self.words.idf,
                coef=self.coef,
                intercept=self.intercept,
            )
        Path(f"{tmp}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        os.replace(f"{tmp}.npz", f"{stem}.npz")
        os.replace(f"{tmp}.json", f"{stem}.json")

    @classmethod
    def load(cls, stem: Path, settings: ModelSettings) -> IntentModel:
        meta = json.loads(Path(f"{stem}.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"intent model cache {stem} has another format")
        with np.load(f"{stem}.npz", allow_pickle=False) as arrays:
            return cls(
                classes=list(meta["classes"]),
                chars=Vocabulary({t: i for i, t in enumerate(meta["chars"])}, arrays["char_idf"]),
                words=Vocabulary({t: i for i, t in enumerate(meta["words"])}, arrays["word_idf"]),
                coef=arrays["coef"],
                intercept=arrays["intercept"],
                temperature=float(meta["temperature"]),
                settings=settings,
            )


def read_examples(path: Path) -> tuple[list[str], list[str]]:
    """Texts and labels of a JSON-lines file of ``{"text": ..., "label": ...}``."""
    rows = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    return [row["text"] for row in rows], [row["label"] for row in rows]


def cache_key(
    training: Path, settings: ModelSettings, extra: Sequence[tuple[str, str]] = ()
) -> str:
    """Hash of the training file's bytes, any extra examples, the feature settings and the
    format."""
    digest = hashlib.sha256(training.read_bytes())
    digest.update(repr(list(extra)).encode())
    digest.update(repr((FORMAT_VERSION, settings)).encode())
    return digest.hexdigest()[:20]
