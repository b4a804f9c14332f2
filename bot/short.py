"""The short first message of an answer, readable on a phone without scrolling.

Verdict, one or two sentences, the main citation, the sanction in one line and the disclaimer,
in at most :data:`SHORT_LIMIT` characters; everything else sits behind the "Selengkapnya"
button (:func:`bot.formatting.render_answer`). Built from the structured fields of
:class:`Answer` (``act``, ``summary``, ``citations``, ``sanctions``, ``parts``); answers without
them (older caches, the generative mode) fall back to the first lines of the text.
"""

from __future__ import annotations

from bot.formatting import (
    VERDICT_EMOJI,
    _status_tag,
    answer_body,
    disclaimer_html,
    esc,
    is_english,
    shorten,
)
from knowledge.compose import VERDICT_LINE
from knowledge.models import Answer, Verdict

SHORT_LIMIT = 1200
SUMMARY_CHARS = 330
SANCTION_CHARS = 170
ACT_CHARS = 200
PART_ACT_CHARS = 110
LABELS = {
    "basis": ("Dasar utama", "Main basis"),
    "sanction": ("Sanksi", "Sanction"),
    "closest": ("Ketentuan terdekat", "Closest provision"),
    "questions": ("{n} pertanyaan dalam pesan Anda", "{n} questions in your message"),
}


def label(name: str, en: bool) -> str:
    return LABELS[name][1 if en else 0]


def _verdict_line(answer: Answer, en: bool, act_chars: int) -> str:
    emoji = VERDICT_EMOJI[answer.verdict]
    verdict = VERDICT_LINE[answer.verdict][1 if en else 0]
    if answer.act:
        return f"{emoji} <b>{esc(verdict)}</b>: {esc(shorten(answer.act, act_chars))}"
    first = answer_body(answer).partition("\n")[0]
    tail = first.split(":", 1)[1].strip() if first.startswith(verdict + ":") else ""
    return f"{emoji} <b>{esc(verdict)}</b>" + (f": {esc(shorten(tail, act_chars))}" if tail else "")


def _summary(answer: Answer, limit: int) -> str:
    """The composer's one-or-two-sentence summary, else the text's first sentences."""
    if answer.summary:
        return shorten(answer.summary, limit)
    lines = [ln.strip() for ln in answer_body(answer).splitlines() if ln.strip()]
    verdict = VERDICT_LINE[answer.verdict][1 if is_english(answer) else 0]
    if lines and lines[0].startswith(verdict):
        lines = lines[1:]
    return shorten(" ".join(lines[:2]), limit) if lines else ""


def _main_citation(answer: Answer, en: bool) -> str | None:
    if not answer.citations:
        return None
    citation = answer.citations[0]
    name = "closest" if answer.verdict is Verdict.TIDAK_DIKETAHUI else "basis"
    return f"📌 {label(name, en)}: <b>{esc(citation.label)}</b>{_status_tag(citation.status, en)}"


def _sanction(answer: Answer, en: bool) -> str | None:
    if not answer.sanctions:
        return None
    return f"⚖️ {label('sanction', en)}: {esc(shorten(answer.sanctions[0], SANCTION_CHARS))}"


def short_single(answer: Answer, summary_chars: int = SUMMARY_CHARS) -> list[str]:
    """The blocks of a short answer to one question (no disclaimer)."""
    en = is_english(answer)
    if answer.verdict in (Verdict.DITOLAK, Verdict.DI_LUAR_CAKUPAN):
        return [_verdict_line(answer, en, ACT_CHARS), esc(_summary(answer, summary_chars))]
    blocks = [_verdict_line(answer, en, ACT_CHARS)]
    summary = _summary(answer, summary_chars)
    if summary:
        blocks.append(esc(summary))
    extra = [line for line in (_main_citation(answer, en), _sanction(answer, en)) if line]
    if extra:
        blocks.append("\n".join(extra))
    return blocks


def short_parts(answer: Answer) -> list[str]:
    """One verdict line and main citation per part of a several-question message."""
    en = is_english(answer)
    lines = [f"🗂 <b>{esc(label('questions', en).format(n=len(answer.parts)))}</b>"]
    for i, part in enumerate(answer.parts, 1):
        line = f"{i}. {_verdict_line(part, en, PART_ACT_CHARS)}"
        citation = _main_citation(part, en)
        if citation:
            line += f"\n    {citation}"
        lines.append(line)
    return ["\n".join(lines)]


def render_short(answer: Answer, *, preface: str | None = None, disclaimer: bool = True) -> str:
    """The first message of an answer (HTML, at most :data:`SHORT_LIMIT` characters)."""
    en = is_english(answer)
    summary_chars = SUMMARY_CHARS
    while True:
        blocks = [preface] if preface else []
        blocks += short_parts(answer) if answer.parts else short_single(answer, summary_chars)
        if disclaimer:
            blocks.append(disclaimer_html(en))
        text = "\n\n".join(blocks)
        if len(text) <= SHORT_LIMIT or summary_chars <= 60:
            return text if len(text) <= SHORT_LIMIT else _hard_cut(text)
        summary_chars -= 60


def _hard_cut(text: str) -> str:
    """Last resort for an unusually long preface: keep whole lines up to the limit."""
    kept: list[str] = []
    for line in text.split("\n"):
        if len("\n".join([*kept, line])) > SHORT_LIMIT - 2:
            break
        kept.append(line)
    return "\n".join(kept) + "\n…"
