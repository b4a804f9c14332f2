"""Presenters on the knowledge side: an :class:`Answer`'s structure as plain text.

:func:`answer_text` is the ``answer`` string of the JSON contract (verdict line, sections with
their labels, notes, disclaimer); :func:`render_terminal` is what ``netra ask`` and ``netra chat``
print. The Telegram HTML and the formal nota dinas are rendered in ``bot/``; every renderer
reads the same structure and takes its words from :mod:`knowledge.phrases`.
"""

from __future__ import annotations

from knowledge import phrases
from knowledge.models import Answer, Section, Verdict


def verdict_name(verdict: Verdict, en: bool) -> str:
    """ "Tidak boleh (dilarang)" / "Not allowed" ..."""
    return phrases.VERDICT[verdict].text(en)


def headline(answer: Answer, en: bool | None = None) -> str | None:
    """The verdict line that opens an answer from a ruling ("Boleh: <act>."), else None."""
    if answer.kind != "ruling" or not answer.act:
        return None
    en = answer.english if en is None else en
    return phrases.RULING_HEADLINE.format(
        en, verdict=verdict_name(answer.verdict, en), act=answer.act
    )


def _status(section: Section, en: bool) -> str:
    """ "Catatan: PP 53/2010 berstatus dicabut; lihat penggantinya PP 94/2021. <note>" """
    status = phrases.STATUS_WORD[section.status.value].text(en) if section.status else ""
    line = phrases.STATUS.format(en, regulation=section.label, status=status)
    if section.replacements:
        line += phrases.STATUS_REPLACED.format(en, replacements=", ".join(section.replacements))
    detail = section.text.strip()
    return phrases.NOTE.text(en) + line + (f". {detail}" if detail else ".")


def section_text(section: Section, answer: Answer, en: bool) -> str:
    """One section as one line (or, for a look-up, the provisions it quotes)."""
    kind = section.kind
    if kind == "lookup":
        quoted = "\n".join(
            f"{c.label}: {(c.text_en or c.text) if en else c.text}" for c in answer.citations
        )
        return phrases.LOOKUP.format(en, label=section.label) + "\n" + quoted
    if kind == "status":
        return _status(section, en)
    if kind == "cautious" and section.verdict is not None:
        return phrases.CAUTIOUS.format(en, verdict=verdict_name(section.verdict, en))
    if kind == "alternative" and section.verdict is not None:
        return phrases.DIFFERENT_CASE.format(
            en, scope=section.text, verdict=verdict_name(section.verdict, en), act=section.act
        )
    label = _LABELS.get(kind)
    return (label.text(en) if label else "") + section.text


_LABELS = {
    "unsettled": phrases.UNSETTLED,
    "conditions": phrases.CONDITIONS,
    "scope": phrases.APPLIES_TO,
    "note": phrases.NOTE,
    "notice": phrases.NOTE,
    "report": phrases.WHERE_TO_REPORT,
}


def body_lines(answer: Answer, en: bool | None = None) -> list[str]:
    """The answer's own lines (verdict line, sections), without parts, truncation or disclaimer.

    ``en`` chooses the language of the labels (the formal version is always Indonesian).
    """
    en = answer.english if en is None else en
    first = headline(answer, en)
    lines = [first] if first else []
    return lines + [section_text(section, answer, en) for section in answer.sections]


def answer_text(answer: Answer) -> str:
    """The ``answer`` string of the JSON contract: the whole answer as plain text."""
    lines = body_lines(answer)
    if answer.parts:
        numbered = [
            f"{i}. {part.question}\n" + "\n".join(body_lines(part))
            for i, part in enumerate(answer.parts, 1)
        ]
        lines = ["\n\n".join(numbered), *lines]
    body = "\n".join(lines)
    if answer.truncated is not None:
        body = f"{answer.truncated.note}\n\n{body}"
    return f"{body}\n\n{phrases.DISCLAIMER.text(answer.english)}"


def rendered(answer: Answer) -> Answer:
    """``answer`` with its ``answer`` text rendered from its (possibly changed) structure."""
    return answer.model_copy(update={"answer": answer_text(answer)})


# --- the terminal ----------------------------------------------------------------------------
def render_terminal(answer: Answer) -> str:
    """The readable terminal form of an answer; several questions get one section each, with
    their own verdict line and their own citations. Headings follow the answer's language."""
    if answer.parts:
        knowledge = phrases.KNOWLEDGE.text(answer.english)
        sections = [
            f"{i}. {part.question}\n{_details(part)}" for i, part in enumerate(answer.parts, 1)
        ]
        return "\n\n".join([*sections, f"({knowledge} {answer.knowledge_version})"])
    return _details(answer)


def _details(answer: Answer) -> str:
    en = answer.english
    lines = [answer.answer.rstrip()]
    if answer.citations:
        lines.append("")
        lines.append(f"{phrases.LEGAL_BASIS.text(en)}:")
        for citation in answer.citations:
            status = "" if citation.status.value == "berlaku" else f" [{citation.status.value}]"
            lines.append(f"  - {citation.label}{status}: {citation.text}")
    if answer.sanctions:
        lines.append(f"{phrases.SANCTION.text(en)}:")
        lines.extend(f"  - {s}" for s in answer.sanctions)
    if answer.sources:
        lines.append(f"{phrases.FROM_EVENTS.text(en)}:")
        lines.extend(
            f"  - {s.title}{f' ({s.date})' if s.date else ''}: {s.excerpt}" for s in answer.sources
        )
    confidence, knowledge = phrases.CONFIDENCE.text(en), phrases.KNOWLEDGE.text(en)
    lines.append(f"({confidence} {answer.confidence:.2f}; {knowledge} {answer.knowledge_version})")
    return "\n".join(lines)


__all__ = [
    "answer_text",
    "body_lines",
    "headline",
    "render_terminal",
    "rendered",
    "section_text",
    "verdict_name",
]
