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

from bot import texts
from knowledge import phrases
from knowledge.models import OWN_WORDS_MARKER, Answer, Citation, Provision, Status, Verdict
from knowledge.present import section_text, verdict_name

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


def esc(text: object) -> str:
    """HTML-escape any user or document text for Telegram (``&``, ``<``, ``>``).

    Quotes are left alone: we never put text inside attributes, and Telegram's HTML parser
    supports only a few named entities.
    """
    return html.escape(str(text), quote=False)


def u16len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def disclaimer_html(en: bool) -> str:
    return f"<i>{esc(phrases.DISCLAIMER.text(en))}</i>"


def citation_text(citation: Citation, en: bool) -> str:
    """The citation's content statement in the answer's language (labels stay official)."""
    return (citation.text_en or citation.text) if en else citation.text


def legacy(answer: Answer) -> bool:
    """An answer cached before answers carried their sections: shown as its text (every
    answer composed since has at least one section, or parts)."""
    return not answer.sections and not answer.parts


def body_text(answer: Answer, en: bool) -> str:
    """The answer's sections as plain lines (the verdict line and the disclaimer are apart)."""
    if legacy(answer):
        return answer.answer.strip()
    return "\n".join(section_text(section, answer, en) for section in answer.sections).strip()


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def status_tag(status: Status, en: bool) -> str:
    if status is Status.BERLAKU:
        return ""
    return f" <i>[{phrases.STATUS_WORD[status.value].text(en)}]</i>"


def headline_html(answer: Answer, en: bool, act_chars: int | None = None) -> str:
    """The verdict line: emoji, the verdict in bold, and the act of a ruling (a sentence, or
    cut to ``act_chars`` for the short answer)."""
    line = f"{VERDICT_EMOJI[answer.verdict]} <b>{esc(verdict_name(answer.verdict, en))}</b>"
    if not answer.act:
        return line
    act = f"{answer.act}." if act_chars is None else shorten(answer.act, act_chars)
    return f"{line}: {esc(act)}"


def render_citations(citations: Iterable[Citation], en: bool, *, quote: bool = True) -> list[str]:
    """Label (bold) and, unless the answer already quotes them, a short quote per citation."""
    lines = []
    for citation in citations:
        line = f"• <b>{esc(citation.label)}</b>{status_tag(citation.status, en)}"
        if quote:
            line += f"\n  <i>{esc(shorten(citation_text(citation, en)))}</i>"
        lines.append(line)
    return lines


def render_answer(answer: Answer, *, preface: str | None = None, disclaimer: bool = True) -> str:
    """One answer as Telegram HTML (may exceed 4096 characters; split with :func:`split_html`).

    ``preface`` is already-escaped HTML put above the verdict (e.g. for forwarded questions).
    A message with several questions gets one section per part, each with its own verdict line
    and its own citations.
    """
    en = answer.english
    if answer.parts:
        return render_parts(answer, preface=preface, disclaimer=disclaimer)
    blocks = [preface] if preface else []
    blocks.append(headline_html(answer, en))
    if answer.truncated is not None:
        blocks.append(f"<i>{esc(answer.truncated.note)}</i>")
    rest = body_text(answer, en)
    if rest:
        blocks.append(esc(rest))
    if answer.citations:
        quote = answer.kind != "lookup"  # a look-up's body already quotes its provisions
        blocks.append(
            f"<b>{esc(phrases.LEGAL_BASIS.text(en))}</b>\n"
            + "\n".join(render_citations(answer.citations, en, quote=quote))
        )
    if answer.sanctions:
        blocks.append(
            f"<b>{esc(phrases.SANCTION.text(en))}</b>\n"
            + "\n".join(f"• {esc(s)}" for s in answer.sanctions)
        )
    if answer.sources:
        lines = []
        for source in answer.sources[:2]:
            when = f" ({esc(source.date)})" if source.date else ""
            lines.append(f"• {esc(source.title)}{when}: {esc(shorten(source.excerpt))}")
        blocks.append(f"<b>{esc(phrases.FROM_EVENTS.text(en))}</b>\n" + "\n".join(lines))
    if disclaimer and not legacy(answer):  # a legacy text carries its own disclaimer
        blocks.append(disclaimer_html(en))
    return "\n\n".join(blocks)


def render_parts(answer: Answer, *, preface: str | None = None, disclaimer: bool = True) -> str:
    """Each part of a several-question message in full, numbered, under its own verdict."""
    en = answer.english
    blocks = [preface] if preface else []
    if answer.truncated is not None:
        blocks.append(f"<i>{esc(answer.truncated.note)}</i>")
    for i, part in enumerate(answer.parts, 1):
        question = f"<b>{i}. {esc(shorten(part.question, 300))}</b>"
        blocks.append(question + "\n" + render_answer(part, disclaimer=False))
    notes = body_text(answer, en)
    if notes:
        blocks.append(esc(notes))
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
    labels: list[str],
    provisions: list[Provision | None],
    links: dict[str, str] | None = None,
    en: bool = False,
) -> str:
    """Text of the cited provisions (the "📖 Bunyi pasal" button): the official wording when it
    was ingested, otherwise our statement of its content, said plainly, with the official link."""
    links = links or {}
    blocks = []
    for label, provision in zip(labels, provisions, strict=True):
        if provision is None:
            blocks.append(f"<b>{esc(label)}</b>\n<i>{esc(texts.t('PROVISION_MISSING', en))}</i>")
            continue
        if provision.official:
            kind = texts.t("PROVISION_OFFICIAL", en)
            text = provision.full_text()
        else:
            kind = texts.t("PROVISION_OURS", en)
            text = provision.full_text().replace(OWN_WORDS_MARKER, "").strip()
        status = ""
        if provision.status is not Status.BERLAKU:
            note = f": {provision.status_note}" if provision.status_note else ""
            word = phrases.STATUS_WORD[provision.status.value].text(en)
            status = f"\n<i>Status: {esc(word)}{esc(note)}</i>"
        url = public_source(provision, links)
        source = f"\n<i>{esc(texts.t('OFFICIAL_TEXT_AT', en).format(url=url))}</i>" if url else ""
        blocks.append(f"📖 <b>{esc(label)}</b> <i>({esc(kind)})</i>{status}\n{esc(text)}{source}")
    return "\n\n".join(blocks) if blocks else esc(texts.t("NO_PROVISIONS", en))


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


def _formal_lines(answer: Answer) -> list[str]:
    """The answer's sections as lines with Indonesian labels: a nota dinas is Indonesian,
    whatever the question's language (the pack's English texts stay as they are)."""
    lines: list[str] = []
    for section in answer.sections:
        if section.kind == "lookup":
            lines += [f"{c.label}: {c.text}" for c in answer.citations]
        else:
            lines.append(section_text(section, answer, en=False))
    return [ln.strip() for line in lines for ln in line.splitlines() if ln.strip()]


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
    lines = _formal_lines(answer)
    question = formal_subject(answer)
    labels = [c.label for c in answer.citations]
    sentences: list[str] = []
    lookup = next((s.label for s in answer.sections if s.kind == "lookup"), None)
    if lookup:
        sentences.append(
            f"Sehubungan dengan pertanyaan mengenai {question}, dengan hormat "
            f"disampaikan isi {lookup} sebagai berikut: "
            + "; ".join(line.rstrip(".") for line in lines if line)
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
    sentences.append(f"({phrases.DISCLAIMER.id})")
    return " ".join(s for s in sentences if s)


def render_formal(answer: Answer) -> str:
    return "📄 <b>Versi formal</b> <i>(dapat disalin ke nota dinas)</i>\n\n" + esc(
        formal_text(answer)
    )


def render_batch_document(answers: list[Answer], en: bool) -> str:
    """Every full answer of a long batch as one plain-text document, one disclaimer at the end."""
    full = [
        render_answer(a, preface=f"{i}. {esc(a.question)}", disclaimer=False)
        for i, a in enumerate(answers, 1)
    ]
    return "\n\n".join(plain_text(r) for r in full) + f"\n\n{phrases.DISCLAIMER.text(en)}\n"


# --- informational commands -------------------------------------------------------------------
def render_about(regulations: int, documents: int, knowledge_version: str, en: bool = False) -> str:
    """``/tentang``: what Netra is, what it knows, and the disclaimer."""
    return texts.t("ABOUT", en).format(
        regulations=regulations,
        documents=documents,
        version=esc(knowledge_version),
        disclaimer=esc(phrases.DISCLAIMER.text(en)),
    )


def render_sources(pack: Any, documents: list[dict[str, Any]], en: bool = False) -> str:
    """``/sumber``: regulations in the knowledge pack and documents ingested into the index."""
    icon = {Status.BERLAKU: "🟢", Status.DIUBAH: "🟡", Status.DICABUT: "🔴"}
    lines = [texts.t("SOURCES_REGULATIONS", en)]
    for regulation in sorted(pack.regulations.values(), key=lambda r: (-r.year, r.id)):
        note = f" — {esc(shorten(regulation.status_note, 120))}" if regulation.status_note else ""
        lines.append(
            f"{icon.get(regulation.status, '•')} <b>{esc(regulation.id)}</b>: "
            f"{esc(shorten(regulation.title, 140))} "
            f"<i>({esc(phrases.STATUS_WORD[regulation.status.value].text(en))})</i>{note}"
        )
    if documents:
        lines.append("")
        lines.append(texts.t("SOURCES_DOCUMENTS", en))
        kinds = {
            "transcript": texts.t("SOURCES_TRANSCRIPT", en),
            "regulation": texts.t("SOURCES_OFFICIAL", en),
        }
        for doc in documents[:40]:
            title = (
                doc.get("title")
                or doc.get("regulation")
                or doc.get("doc_id")
                or texts.t("SOURCES_DOCUMENT", en)
            )
            details = [kinds.get(str(doc.get("kind")), str(doc.get("kind") or ""))]
            details += [str(doc[k]) for k in ("status", "date") if doc.get(k)]
            detail = ", ".join(d for d in details if d)
            lines.append(
                f"• {esc(shorten(str(title), 140))}"
                + (f" <i>({esc(detail)})</i>" if detail else "")
            )
        if len(documents) > 40:
            lines.append(esc(texts.t("SOURCES_MORE", en).format(n=len(documents) - 40)))
    lines.append("")
    lines.append(texts.t("SOURCES_LEGEND", en))
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
