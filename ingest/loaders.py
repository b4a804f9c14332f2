"""Read a document file (.txt, .md, .pdf, .docx, .html) into plain text.

Every failure is a :class:`LoadError` naming the file and the reason, so the pipeline can report
it and go on with the other files. Text files are decoded as UTF-8 when valid, otherwise with the
encoding charset-normalizer detects (JDIH and news exports are often cp1252/latin-1).
"""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass
from pathlib import Path

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".pdf", ".docx", ".html", ".htm"})
# Names that describe a folder rather than being a document of it; skipped when walking folders.
IGNORED_NAMES = frozenset({"readme", "sources", "license", "changelog"})
MAX_BYTES = 10 * 1024 * 1024
# Above this share of non-ASCII bytes a file is not Latin-script text in a Latin code page.
MAX_NON_ASCII_SHARE = 0.2
# Single-byte Latin code pages a detector confuses with each other (see ``_as_cp1252``).
LATIN_SINGLE_BYTE = frozenset({
    "cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_2", "iso8859_9", "iso8859_10",
    "iso8859_13", "iso8859_15", "iso8859_16", "mac_latin2", "mac_roman", "cp850", "cp437",
})  # fmt: skip
_HTML_DROP = ("script", "style", "nav", "footer", "header", "aside", "form", "noscript", "iframe")


class LoadError(RuntimeError):
    """A file could not be read as a document (message says why)."""


@dataclass
class LoadedDocument:
    path: Path
    text: str
    format: str
    encoding: str | None = None


def decode_text(data: bytes) -> tuple[str, str]:
    """Bytes -> (text, encoding): UTF-8 when valid, else the detected encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if b"\x00" in data[:65536]:
        raise LoadError("binary content, not a text document")
    from charset_normalizer import from_bytes

    mostly_ascii = sum(1 for byte in data if byte >= 0x80) <= len(data) * MAX_NON_ASCII_SHARE
    windows = _as_cp1252(data)
    if windows is not None and mostly_ascii:
        return windows, "cp1252"
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise LoadError("binary content or unknown text encoding")
    if windows is not None and best.encoding in LATIN_SINGLE_BYTE:
        return windows, "cp1252"
    return str(best), str(best.encoding)


def _as_cp1252(data: bytes) -> str | None:
    """``data`` as Windows-1252 when it is valid there. Detectors cannot tell the Latin code pages
    apart on short texts (cp1250 read "naïve" as "naďve", cp1006 as "naﺅve"); Indonesian text is
    mostly ASCII and its non-UTF-8 exports come from Windows tools, so cp1252 wins unless the
    bytes are mostly non-ASCII and the detector names a non-Latin script."""
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # one of the five bytes cp1252 leaves undefined
        return None


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f") or ch == "\ufffd")
    return bad > len(sample) * 0.02


def _load_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise LoadError(f"cannot read PDF: {error}") from error
    except Exception as error:  # pypdf raises assorted errors on damaged files
        raise LoadError(f"cannot read PDF: {type(error).__name__}: {error}") from error
    return "\n".join(pages)


def _load_docx(path: Path) -> str:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises zip/xml/key errors on damaged files
        raise LoadError(f"cannot read DOCX: {type(error).__name__}: {error}") from error
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells))
    return "\n".join(lines)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page, one block per line, without scripts and navigation."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(list(_HTML_DROP)):
        tag.decompose()
    title = soup.title.get_text(strip=True) if soup.title else ""
    if soup.title:
        soup.title.decompose()
    body = soup.find("article") or soup.body or soup
    text = body.get_text("\n")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    kept = [line for line in lines if line]
    if title and (not kept or kept[0] != title):
        kept.insert(0, title)
    return "\n".join(kept)


def load_document(path: Path) -> LoadedDocument:
    """Read ``path`` into text, or raise :class:`LoadError` with the reason."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(f"unsupported file type {suffix or '(none)'}")
    try:
        size = path.stat().st_size
    except OSError as error:
        raise LoadError(f"cannot read file: {error.strerror}") from error
    if size == 0:
        raise LoadError("the file is empty")
    if size > MAX_BYTES:
        raise LoadError(f"file too large ({size / 1e6:.1f} MB > {MAX_BYTES / 1e6:.0f} MB)")
    encoding: str | None = None
    if suffix == ".pdf":
        text = _load_pdf(path)
    elif suffix == ".docx":
        text = _load_docx(path)
    else:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise LoadError(f"cannot read file: {error.strerror}") from error
        text, encoding = decode_text(data)
        if suffix in {".html", ".htm"}:
            text = html_to_text(text)
    if _looks_binary(text):
        raise LoadError("binary content, not a text document")
    if not text.strip():
        raise LoadError("no text could be extracted (empty or scanned without OCR)")
    return LoadedDocument(path=path, text=text, format=suffix.lstrip("."), encoding=encoding)


def link_problem(path: Path) -> str | None:
    """Why a symbolic link cannot be read (a loop, a dangling target), or None."""
    try:
        path.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop"
        if path.is_symlink():
            return "broken symbolic link (its target does not exist)"
        return None
    except RuntimeError:  # pathlib's own loop detection on some versions
        return "symbolic link loop"
    return None


def safe_resolve(path: Path) -> Path:
    """``path`` made absolute with links resolved, or just absolute when a link loops."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def _walk(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    files: list[Path] = []
    bad: list[tuple[Path, str]] = []
    for child in sorted(folder.rglob("*")):
        if child.suffix.lower() not in SUPPORTED_SUFFIXES or child.stem.lower() in IGNORED_NAMES:
            continue
        if any(part.startswith(".") for part in child.relative_to(folder).parts):
            continue
        if child.is_file():
            files.append(child)
        elif (problem := link_problem(child)) is not None:
            bad.append((child, problem))
    return files, bad


def collect_files(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Expand folders (recursively) into supported files; missing paths and unreadable links are
    reported (path, reason) instead."""
    files: list[Path] = []
    missing: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            found, bad = _walk(path)
            files += found
            missing += bad
        elif path.is_file():
            files.append(path)
        else:
            missing.append((path, link_problem(path) or "no such file or folder"))
    unique = list(dict.fromkeys(safe_resolve(p) for p in files))
    return unique, missing
