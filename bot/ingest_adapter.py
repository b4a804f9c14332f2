"""The one place the bot calls the ingest pipeline (``ingest.pipeline``), defensively.

The pipeline is developed separately; this adapter keeps the bot working (with a clear message)
when it is missing or its signature differs, and turns its report into a short summary.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from typing import Any

from knowledge.config import Settings


class IngestUnavailableError(RuntimeError):
    """The ingest pipeline is not installed or exposes no usable entry point."""


_ENTRY_POINTS = ("ingest_paths", "ingest_files", "ingest")


def _entry_point() -> Any:
    try:
        module = importlib.import_module("ingest.pipeline")
    except ImportError as error:
        raise IngestUnavailableError(
            "the ingest pipeline (ingest.pipeline) is not available"
        ) from error
    for name in _ENTRY_POINTS:
        function = getattr(module, name, None)
        if callable(function):
            return function
    raise IngestUnavailableError("ingest.pipeline has no ingest_paths() function")


def summarise(report: Any) -> tuple[bool, str]:
    """Whether the ingest succeeded, and a short human-readable summary of its report."""
    if report is None:
        return True, "selesai"
    ok = bool(getattr(report, "ok", True))
    to_dict = getattr(report, "to_dict", None)
    data: Any = to_dict() if callable(to_dict) else report
    if hasattr(data, "__dataclass_fields__"):
        data = {k: getattr(data, k) for k in data.__dataclass_fields__}
    if not isinstance(data, dict):
        return ok, str(data)[:1500]
    totals = data.get("totals", data)
    parts = [
        f"{key}: {value}"
        for key, value in totals.items()
        if isinstance(value, int | float | str) and value not in (0, "")
    ]
    errors = [
        f"{f.get('path', '?')}: {f.get('error')}"
        for f in data.get("files", [])
        if isinstance(f, dict) and f.get("error")
    ]
    summary = "; ".join(parts)
    if errors:
        summary += "\n" + "\n".join(errors[:5])
    return ok, summary[:1500]


def ingest_documents(settings: Settings, paths: list[Path], store: Any = None) -> tuple[bool, str]:
    """Ingest files into a new index (the pipeline activates it atomically).

    Returns (ok, summary). ``store`` lets the pipeline share the engine's Chroma client.
    """
    function = _entry_point()
    parameters = inspect.signature(function).parameters
    kwargs: dict[str, Any] = {}
    if store is not None and "store" in parameters:
        kwargs["store"] = store
    report = function(settings, list(paths), **kwargs)
    return summarise(report)
