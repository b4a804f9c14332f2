"""The short first message of an answer, readable on a phone without scrolling.

Verdict, one or two sentences, the main citation, the sanction in one line and the disclaimer,
in at most :data:`SHORT_LIMIT` characters; everything else sits behind the "Selengkapnya"
button (:func:`bot.formatting.render_answer`). Built from the structure of :class:`Answer`
(``act``, ``summary``, ``sections``, ``citations``, ``sanctions``, ``parts``); an answer without a
summary shows the first lines of its sections.
"""

from __future__ import annotations

from bot.formatting import body_text, disclaimer_html, esc, headline_html, shorten, status_tag
from knowledge import phrases
from knowledge.models import Answer, Verdict

SHORT_LIMIT = 1200
SUMMARY_CHARS = 330
SANCTION_CHARS = 170
ACT_CHARS = 200
PART_ACT_CHARS = 110


def _summary(answer: Answer, limit: int) -> str:
    """The composer's one-or-two-sentence summary, else the first lines of the sections."""
    if answer.summary:
        return shorten(answer.summary, limit)
    lines = [ln.strip() for ln in body_text(answer, answer.english).splitlines() if ln.strip()]
    return shorten(" ".join(lines[:2]), limit) if lines else ""


def _main_citation(answer: Answer, en: bool) -> str | None:
    if not answer.citations:
        return None
    citation = answer.citations[0]
    closest = answer.verdict is Verdict.TIDAK_DIKETAHUI
    name = (phrases.CLOSEST_PROVISION if closest else phrases.MAIN_BASIS).text(en)
    return f"📌 {esc(name)}: <b>{esc(citation.label)}</b>{status_tag(citation.status, en)}"


def _sanction(answer: Answer, en: bool) -> str | None:
    if not answer.sanctions:
        return None
    sanction = esc(shorten(answer.sanctions[0], SANCTION_CHARS))
    return f"⚖️ {esc(phrases.SANCTION.text(en))}: {sanction}"


def short_single(answer: Answer, summary_chars: int = SUMMARY_CHARS) -> list[str]:
    """The blocks of a short answer to one question (no disclaimer)."""
    en = answer.english
    if answer.verdict in (Verdict.DITOLAK, Verdict.DI_LUAR_CAKUPAN):
        return [headline_html(answer, en, ACT_CHARS), esc(_summary(answer, summary_chars))]
    blocks = [headline_html(answer, en, ACT_CHARS)]
    summary = _summary(answer, summary_chars)
    if summary:
        blocks.append(esc(summary))
    extra = [line for line in (_main_citation(answer, en), _sanction(answer, en)) if line]
    if extra:
        blocks.append("\n".join(extra))
    return blocks


def short_parts(answer: Answer) -> list[str]:
    """One verdict line and main citation per part of a several-question message."""
    en = answer.english
    count = phrases.QUESTIONS_IN_MESSAGE.format(en, n=len(answer.parts))
    lines = [f"🗂 <b>{esc(count)}</b>"]
    for i, part in enumerate(answer.parts, 1):
        line = f"{i}. {headline_html(part, en, PART_ACT_CHARS)}"
        citation = _main_citation(part, en)
        if citation:
            line += f"\n    {citation}"
        lines.append(line)
    return ["\n".join(lines)]


def render_short(answer: Answer, *, preface: str | None = None, disclaimer: bool = True) -> str:
    """The first message of an answer (HTML, at most :data:`SHORT_LIMIT` characters)."""
    en = answer.english
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
