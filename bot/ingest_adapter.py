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


TOTAL_NAMES = {  # the report's totals, in Indonesian, in the order they are shown
    "files": "berkas",
    "added": "baru",
    "updated": "diperbarui",
    "unchanged": "tidak berubah",
    "failed": "gagal",
    "provisions": "ketentuan (pasal/ayat)",
    "chunks": "potongan teks",
    "warnings": "peringatan",
}
KIND_NAMES = {
    "regulation": "teks peraturan resmi",
    "transcript": "transkrip/catatan sosialisasi (bukan teks peraturan)",
}
STATUS_NAMES = {
    "added": "ditambahkan",
    "updated": "diperbarui",
    "unchanged": "tidak berubah",
    "failed": "gagal",
    "removed": "dihapus",
}


def _file_line(result: dict[str, Any]) -> str:
    """One file: what it was taken to be, and how much of it went into the index."""
    name = Path(str(result.get("path", "?"))).name
    status = STATUS_NAMES.get(str(result.get("status")), str(result.get("status")))
    kind = KIND_NAMES.get(str(result.get("kind")), str(result.get("kind") or "jenis tidak dikenal"))
    if result.get("error"):
        return (
            f"• {name}: {status}, dibaca sebagai {kind} — {result['error']}. Bila ini peraturan atau "
            "laporan sosialisasi, kirim ulang dengan keterangan 'ingest peraturan' atau "
            "'ingest transkrip'"
        )
    regulation = f" ({result['regulation']})" if result.get("regulation") else ""
    line = (
        f"• {name}: {status}, dibaca sebagai {kind}{regulation}; "
        f"{result.get('provisions', 0)} ketentuan, {result.get('chunks', 0)} potongan teks"
    )
    if result.get("kind") == "transcript":
        line += ". Bila ini sebenarnya peraturan, kirim ulang dengan keterangan 'ingest peraturan'"
    return line


def summarise(report: Any) -> tuple[bool, str]:
    """Whether the ingest succeeded, and a short summary of its report in Indonesian."""
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
    counts = [
        f"{label}: {totals[key]}"
        for key, label in TOTAL_NAMES.items()
        if isinstance(totals.get(key), int) and totals[key]
    ]
    files = [_file_line(f) for f in data.get("files", []) if isinstance(f, dict)]
    summary = "\n".join(["Ringkasan: " + (", ".join(counts) or "tidak ada perubahan"), *files[:10]])
    return ok, summary[:1500]


def ingest_documents(
    settings: Settings, paths: list[Path], store: Any = None, kind: str = "auto"
) -> tuple[bool, str]:
    """Ingest files into a new index (the pipeline activates it atomically).

    Returns (ok, summary). ``store`` lets the pipeline share the engine's Chroma client;
    ``kind`` (regulation / transcript / auto) is what the admin's caption asked for.
    """
    function = _entry_point()
    parameters = inspect.signature(function).parameters
    kwargs: dict[str, Any] = {}
    if store is not None and "store" in parameters:
        kwargs["store"] = store
    if kind != "auto" and "kind" in parameters:
        kwargs["kind"] = kind
    report = function(settings, list(paths), **kwargs)
    return summarise(report)
