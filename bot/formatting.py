"""Rendering answers for Telegram: HTML with every piece of text escaped, safe splitting, and
the formal paragraph an HR officer can paste into a nota dinas.

Everything that comes from a user or a document goes through :func:`esc` (``html.escape``);
only the tags written here are live. :func:`split_html` cuts long messages at line breaks and
never inside a tag or an entity, closing and reopening tags around each cut.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from knowledge.compose import VERDICT_LINE
from knowledge.models import (
    DISCLAIMER_EN,
    DISCLAIMER_ID,
    OWN_WORDS_MARKER,
    Answer,
    Citation,
    Provision,
    Status,
    Verdict,
)

TELEGRAM_LIMIT = 4096
QUOTE_CHARS = 220

VERDICT_EMOJI = {
    Verdict.DILARANG: "❌",
    Verdict.BOLEH: "✅",
    Verdict.BOLEH_BERSYARAT: "⚠️",
    Verdict.TIDAK_DIKETAHUI: "❔",
    Verdict.DI_LUAR_CAKUPAN: "🧭",
    Verdict.DITOLAK: "🚫",
}
# Verdict phrases the composer puts at the start of its first line ("Boleh: <act>.").
# Longest first, so "Boleh, dengan syarat" is tried before "Boleh".
_VERDICT_PREFIXES = tuple(
    sorted({phrase for pair in VERDICT_LINE.values() for phrase in pair}, key=len, reverse=True)
)


def esc(text: object) -> str:
    """HTML-escape any user or document text for Telegram (``&``, ``<``, ``>``).

    Quotes are left alone: we never put text inside attributes, and Telegram's HTML parser
    supports only a few named entities.
    """
    return html.escape(str(text), quote=False)


def u16len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def is_english(answer: Answer) -> bool:
    return answer.language == "en" or answer.answer.rstrip().endswith(DISCLAIMER_EN)


def disclaimer_html(en: bool) -> str:
    return f"<i>{esc(DISCLAIMER_EN if en else DISCLAIMER_ID)}</i>"


def citation_text(citation: Citation, en: bool) -> str:
    """The citation's content statement in the answer's language (labels stay official)."""
    return (citation.text_en or citation.text) if en else citation.text


def answer_body(answer: Answer) -> str:
    """The composer's text without the trailing disclaimer (the bot prints it separately)."""
    body = answer.answer.rstrip()
    for disclaimer in (DISCLAIMER_ID, DISCLAIMER_EN):
        if body.endswith(disclaimer):
            body = body[: -len(disclaimer)].rstrip()
    return body


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _status_tag(status: Status, en: bool) -> str:
    if status is Status.BERLAKU:
        return ""
    words = {Status.DIUBAH: ("diubah", "amended"), Status.DICABUT: ("dicabut", "revoked")}
    return f" <i>[{words[status][1 if en else 0]}]</i>"


def _headline(answer: Answer, body: str, en: bool) -> tuple[str, str]:
    """The verdict line (emoji + bold) and the rest of the body."""
    emoji = VERDICT_EMOJI[answer.verdict]
    first, _, rest = body.partition("\n")
    for prefix in _VERDICT_PREFIXES:
        if first.startswith(prefix + ":") or first == prefix:
            tail = first[len(prefix) :].lstrip(":").strip()
            line = f"{emoji} <b>{esc(prefix)}</b>" + (f": {esc(tail)}" if tail else "")
            return line, rest.strip()
    label = VERDICT_LINE[answer.verdict][1 if en else 0]
    return f"{emoji} <b>{esc(label)}</b>", body


def render_citations(citations: Iterable[Citation], en: bool, body: str = "") -> list[str]:
    """Label (bold) and a short quote per citation; no quote when the body already has it."""
    lines = []
    for citation in citations:
        line = f"• <b>{esc(citation.label)}</b>{_status_tag(citation.status, en)}"
        if f"{citation.label}:" not in body:
            line += f"\n  <i>{esc(shorten(citation_text(citation, en)))}</i>"
        lines.append(line)
    return lines


def render_answer(answer: Answer, *, preface: str | None = None, disclaimer: bool = True) -> str:
    """One answer as Telegram HTML (may exceed 4096 characters; split with :func:`split_html`).

    ``preface`` is already-escaped HTML put above the verdict (e.g. for forwarded questions).
    A message with several questions gets one section per part, each with its own verdict line
    and its own citations.
    """
    en = is_english(answer)
    if answer.parts:
        return render_parts(answer, preface=preface, disclaimer=disclaimer)
    body = answer_body(answer)
    headline, rest = _headline(answer, body, en)
    blocks = [preface] if preface else []
    blocks.append(headline)
    if rest:
        blocks.append(esc(rest))
    if answer.citations:
        blocks.append(
            ("<b>Legal basis</b>\n" if en else "<b>Dasar hukum</b>\n")
            + "\n".join(render_citations(answer.citations, en, rest))
        )
    if answer.sanctions:
        blocks.append(
            ("<b>Sanction</b>\n" if en else "<b>Sanksi</b>\n")
            + "\n".join(f"• {esc(s)}" for s in answer.sanctions)
        )
    if answer.sources:
        lines = []
        for source in answer.sources[:2]:
            when = f" ({esc(source.date)})" if source.date else ""
            lines.append(f"• {esc(source.title)}{when}: {esc(shorten(source.excerpt))}")
        blocks.append(
            ("<b>From socialisation events</b>\n" if en else "<b>Dari sosialisasi</b>\n")
            + "\n".join(lines)
        )
    if disclaimer:
        blocks.append(disclaimer_html(en))
    return "\n\n".join(blocks)


def render_parts(answer: Answer, *, preface: str | None = None, disclaimer: bool = True) -> str:
    """Each part of a several-question message in full, numbered, under its own verdict."""
    en = is_english(answer)
    blocks = [preface] if preface else []
    for i, part in enumerate(answer.parts, 1):
        question = f"<b>{i}. {esc(shorten(part.question, 300))}</b>"
        blocks.append(question + "\n" + render_answer(part, disclaimer=False))
    if disclaimer:
        blocks.append(disclaimer_html(en))
    return "\n\n".join(blocks)


_URL = re.compile(r"https?://[^\s;,()]+")


def public_source(provision: Provision, links: dict[str, str]) -> str | None:
    """Where the official text can be read: the regulation's official address, else a web
    address from the provision's sources; never a file path of ours."""
    url = links.get(provision.regulation)
    if url:
        return url
    found = _URL.findall(provision.source)
    return found[0] if found else None


def render_provisions(
    labels: list[str], provisions: list[Provision | None], links: dict[str, str] | None = None
) -> str:
    """Text of the cited provisions (the "📖 Bunyi pasal" button): the official wording when it
    was ingested, otherwise our statement of its content, said plainly, with the official link."""
    links = links or {}
    blocks = []
    for label, provision in zip(labels, provisions, strict=True):
        if provision is None:
            blocks.append(f"<b>{esc(label)}</b>\n<i>Teks ketentuan ini tidak tersedia.</i>")
            continue
        if provision.official:
            kind = "bunyi resmi, dari dokumen yang diingest"
            text = provision.full_text()
        else:
            kind = "ringkasan isi dalam rumusan Netra — bukan bunyi resmi pasal"
            text = provision.full_text().replace(OWN_WORDS_MARKER, "").strip()
        status = ""
        if provision.status is not Status.BERLAKU:
            note = f": {provision.status_note}" if provision.status_note else ""
            status = f"\n<i>Status: {esc(provision.status.value)}{esc(note)}</i>"
        url = public_source(provision, links)
        source = f"\n<i>Teks resmi: {esc(url)}</i>" if url else ""
        blocks.append(f"📖 <b>{esc(label)}</b> <i>({kind})</i>{status}\n{esc(text)}{source}")
    return "\n\n".join(blocks) if blocks else "Jawaban ini tidak mengutip pasal."


# --- the formal version ----------------------------------------------------------------------
_FORMAL_VERDICT = {
    Verdict.DILARANG: "tidak diperbolehkan (dilarang) bagi Aparatur Sipil Negara",
    Verdict.BOLEH: "pada dasarnya diperbolehkan bagi Aparatur Sipil Negara",
    Verdict.BOLEH_BERSYARAT: "diperbolehkan bagi Aparatur Sipil Negara dengan syarat tertentu",
}


def _join_labels(labels: list[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " serta " + labels[-1]


def _sentence(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if text and text[-1] not in ".!?…":
        text += "."
    return text


_EN_LABELS = {
    "Applies to: ": "Berlaku bagi: ",
    "Conditions: ": "Syarat/keadaan: ",
    "Note: ": "Catatan: ",
    "Different case — ": "Kasus lain — ",
}


def _indonesian_label(line: str) -> str:
    """The formal version is always Indonesian (a nota dinas), whatever the question's language."""
    for english, indonesian in _EN_LABELS.items():
        if line.startswith(english):
            return indonesian + line[len(english) :]
    return line


def formal_subject(answer: Answer) -> str:
    """The question restated formally (never the user's own words, which may be slang)."""
    if answer.act:
        act = answer.act.strip().rstrip(".")
        return f"boleh tidaknya Aparatur Sipil Negara {act[:1].lower()}{act[1:]}"
    if answer.citations and answer.verdict is not Verdict.TIDAK_DIKETAHUI:
        return f"ketentuan {answer.citations[0].label}"
    if answer.citations:
        return f"perbuatan yang berkaitan dengan ketentuan {answer.citations[0].label}"
    return "hal yang Bapak/Ibu sampaikan"


def formal_text(answer: Answer) -> str:
    """The answer as one formal paragraph (plain text) for a nota dinas or a forwarded reply."""
    if answer.parts:
        return "\n\n".join(f"{i}. {formal_text(part)}" for i, part in enumerate(answer.parts, 1))
    body = answer_body(answer)
    lines = [ln.strip() for ln in body.splitlines() if ln.strip()]
    first = lines[0] if lines else ""
    for prefix in _VERDICT_PREFIXES:
        if first.startswith(prefix + ":"):
            lines = lines[1:]
            break
    lines = [_indonesian_label(line) for line in lines]
    question = formal_subject(answer)
    labels = [c.label for c in answer.citations]
    sentences: list[str] = []
    lookup = re.match(r"^(?:Isi|Text of) (.+):$", first)
    if lookup:
        sentences.append(
            f"Sehubungan dengan pertanyaan mengenai {question}, dengan hormat "
            f"disampaikan isi {lookup.group(1)} sebagai berikut: "
            + "; ".join(line.rstrip(".") for line in lines[1:] if line)
            + "."
        )
    elif answer.verdict in _FORMAL_VERDICT:
        sentences.append(
            f"Sehubungan dengan pertanyaan mengenai {question}, dengan hormat "
            f"disampaikan bahwa perbuatan tersebut {_FORMAL_VERDICT[answer.verdict]}."
        )
        sentences.extend(_sentence(line) for line in lines)
        if labels:
            sentences.append(f"Hal ini didasarkan pada ketentuan {_join_labels(labels)}.")
        if answer.sanctions:
            sentences.append(
                "Atas pelanggaran ketentuan tersebut dapat dijatuhkan sanksi sebagai berikut: "
                + "; ".join(s.strip().rstrip(".") for s in answer.sanctions)
                + "."
            )
    elif answer.verdict is Verdict.TIDAK_DIKETAHUI:
        sentences.append(
            f"Sehubungan dengan pertanyaan mengenai {question}, dengan hormat "
            "disampaikan bahwa hal tersebut belum dapat dipastikan berdasarkan peraturan yang "
            "tersedia pada Netra."
        )
        if labels:
            sentences.append(f"Ketentuan yang paling terkait antara lain {_join_labels(labels)}.")
        sentences.append(
            "Disarankan agar hal ini dikonsultasikan kepada BKPSDM/bagian kepegawaian, BKN, "
            "atau Bawaslu setempat."
        )
    else:
        sentences.append(
            f"Sehubungan dengan pertanyaan mengenai {question}, dengan hormat "
            "disampaikan bahwa hal tersebut berada di luar cakupan layanan Netra, yang terbatas "
            "pada netralitas ASN dalam pemilu dan pilkada."
        )
    sentences.append("Demikian disampaikan untuk menjadi perhatian.")
    sentences.append(f"({DISCLAIMER_ID})")
    return " ".join(s for s in sentences if s)


def render_formal(answer: Answer) -> str:
    return "📄 <b>Versi formal</b> <i>(dapat disalin ke nota dinas)</i>\n\n" + esc(
        formal_text(answer)
    )


# --- informational commands -------------------------------------------------------------------
def render_sources(pack: Any, documents: list[dict[str, Any]]) -> str:
    """``/sumber``: regulations in the knowledge pack and documents ingested into the index."""
    icon = {Status.BERLAKU: "🟢", Status.DIUBAH: "🟡", Status.DICABUT: "🔴"}
    lines = ["<b>Peraturan yang dikenal Netra</b>"]
    for regulation in sorted(pack.regulations.values(), key=lambda r: (-r.year, r.id)):
        note = f" — {esc(shorten(regulation.status_note, 120))}" if regulation.status_note else ""
        lines.append(
            f"{icon.get(regulation.status, '•')} <b>{esc(regulation.id)}</b>: "
            f"{esc(shorten(regulation.title, 140))} <i>({esc(regulation.status.value)})</i>{note}"
        )
    if documents:
        lines.append("")
        lines.append("<b>Dokumen yang diingest (teks resmi/transkrip)</b>")
        kinds = {"transcript": "transkrip sosialisasi", "regulation": "teks resmi"}
        for doc in documents[:40]:
            title = doc.get("title") or doc.get("regulation") or doc.get("doc_id") or "dokumen"
            details = [kinds.get(str(doc.get("kind")), str(doc.get("kind") or ""))]
            details += [str(doc[k]) for k in ("status", "date") if doc.get(k)]
            detail = ", ".join(d for d in details if d)
            lines.append(
                f"• {esc(shorten(str(title), 140))}"
                + (f" <i>({esc(detail)})</i>" if detail else "")
            )
        if len(documents) > 40:
            lines.append(f"… dan {len(documents) - 40} dokumen lain")
    lines.append("")
    lines.append("🟢 berlaku · 🟡 diubah · 🔴 dicabut")
    return "\n".join(lines)


# --- splitting ---------------------------------------------------------------------------------
_ATOM = re.compile(r"<[^>]*>|&#?\w+;|[^<&]", re.DOTALL)
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9-]+)")


def _units(atom: str) -> int:
    """UTF-16 length without encoding (fast path for the one-character atoms)."""
    if len(atom) == 1:
        return 2 if ord(atom) > 0xFFFF else 1
    return u16len(atom)


_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9-]+)[^>]*>")


def _balanced(block: str) -> bool:
    depth: list[str] = []
    for closing_tag, name in _TAG.findall(block):
        if not closing_tag:
            depth.append(name.lower())
        elif not depth or depth.pop() != name.lower():
            return False
    return not depth


def _pack_blocks(text: str, limit: int) -> list[str] | None:
    """Fast path: whole paragraphs (each valid on its own) packed greedily; None if not possible."""
    blocks = text.split("\n\n")
    if any(u16len(b) > limit or not _balanced(b) for b in blocks):
        return None
    chunks: list[str] = []
    current = ""
    for block in blocks:
        candidate = f"{current}\n\n{block}" if current else block
        if u16len(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current)
            current = block
    if current:
        chunks.append(current)
    return [c for c in chunks if c.strip()]


def split_html(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split Telegram HTML into chunks of at most ``limit`` UTF-16 units.

    Cuts fall on atom boundaries (a whole tag, a whole entity or one character), preferably at
    a blank line, then a line break, then a space, in the second half of the chunk; open tags
    are closed at the end of a chunk and reopened at the start of the next, so every chunk is
    valid on its own.
    """
    if u16len(text) <= limit:
        return [text]
    packed = _pack_blocks(text, limit)
    if packed is not None:
        return packed
    Stack = tuple[tuple[str, str], ...]  # (name, opening tag); immutable so snapshots are free

    def closing(tags: Stack) -> str:
        return "".join(f"</{name}>" for name, _ in reversed(tags))

    def opening(tags: Stack) -> str:
        return "".join(tag for _, tag in tags)

    chunks: list[str] = []
    stack: Stack = ()
    closing_len = 0
    current: list[str] = []
    size = 0
    cuts: list[tuple[int, int, Stack]] = []  # (index in current, priority, stack there)
    for atom in _ATOM.findall(text):
        atom_len = _units(atom)
        # 8: room for the closing tag this atom may open
        if size + atom_len > limit - closing_len - 8 and current:
            late = [c for c in cuts if c[0] * 2 >= len(current)]
            if late:
                index, _, snapshot = max(late, key=lambda c: (c[1], c[0]))
            elif cuts:
                index, _, snapshot = cuts[-1]
            else:
                index, snapshot = len(current), stack
            head = "".join(current[:index]).rstrip()
            if head:
                chunks.append(head + closing(snapshot))
            tail = current[index:]
            while tail and tail[0] in ("\n", " "):
                tail = tail[1:]
            reopened = opening(snapshot)
            current = [reopened, *tail] if reopened else list(tail)
            size = sum(_units(a) for a in current)
            cuts = []
        current.append(atom)
        size += atom_len
        if atom[0] == "<":
            match = _TAG_NAME.match(atom)
            if match:
                name = match.group(2).lower()
                if match.group(1):
                    for i in range(len(stack) - 1, -1, -1):
                        if stack[i][0] == name:
                            stack = stack[:i]
                            break
                elif not atom.rstrip().endswith("/>"):
                    stack = (*stack, (name, atom))
                closing_len = len(closing(stack))
        elif atom == "\n" or atom == " ":
            previous = current[-2] if len(current) > 1 else ""
            priority = 3 if atom == "\n" and previous == "\n" else 2 if atom == "\n" else 1
            cuts.append((len(current), priority, stack))
    last = "".join(current).strip()
    if last and last != opening(stack):
        chunks.append(last + closing(stack))
    return [c for c in chunks if c.strip()]


def plain_text(html_text: str) -> str:
    """Strip tags and unescape (for .txt documents built from rendered answers)."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))
