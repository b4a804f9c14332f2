"""The admin upload's ingest report, summarised in Indonesian for the chat.

The bot never runs the pipeline itself: the application injects an ingest function
(:data:`bot.protocols.IngestFunction`); this module only turns its report into a short summary.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.protocols import IngestReportView

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


def summarise(report: IngestReportView) -> tuple[bool, str]:
    """Whether the ingest succeeded, and a short summary of its report in Indonesian."""
    data = report.to_dict()
    totals = data.get("totals", {})
    counts = [
        f"{label}: {totals[key]}"
        for key, label in TOTAL_NAMES.items()
        if isinstance(totals.get(key), int) and totals[key]
    ]
    files = [_file_line(f) for f in data.get("files", []) if isinstance(f, dict)]
    summary = "\n".join(["Ringkasan: " + (", ".join(counts) or "tidak ada perubahan"), *files[:10]])
    return report.ok, summary[:1500]
