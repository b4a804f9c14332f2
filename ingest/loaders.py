"""Read a document file (.txt, .md, .pdf, .docx, .html) into plain text.

Every failure is a :class:`LoadError` naming the file and the reason, so the pipeline can report
it and go on with the other files. Text files are decoded as UTF-8 when valid, otherwise with the
encoding charset-normalizer detects (JDIH and news exports are often cp1252/latin-1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".pdf", ".docx", ".html", ".htm"})
# Names that describe a folder rather than being a document of it; skipped when walking folders.
IGNORED_NAMES = frozenset({"readme", "sources", "license", "changelog"})
MAX_BYTES = 10 * 1024 * 1024
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

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise LoadError("binary content or unknown text encoding")
    return str(best), str(best.encoding)


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


def collect_files(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Expand folders (recursively) into supported files; missing paths are reported."""
    files: list[Path] = []
    missing: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if (
                    child.is_file()
                    and child.suffix.lower() in SUPPORTED_SUFFIXES
                    and child.stem.lower() not in IGNORED_NAMES
                    and not any(part.startswith(".") for part in child.relative_to(path).parts)
                ):
                    files.append(child)
        elif path.is_file():
            files.append(path)
        else:
            missing.append((path, "no such file or folder"))
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return unique, missing
