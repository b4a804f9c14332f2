"""The readable terminal form of an answer (``netra ask``, ``netra chat``)."""

from __future__ import annotations

from knowledge.models import DISCLAIMER_EN, Answer

ANSWER_LABELS = {
    "id": ("Dasar hukum:", "Sanksi:", "Dari sosialisasi:", "keyakinan", "pengetahuan"),
    "en": ("Legal basis:", "Sanction:", "From socialisation events:", "confidence", "knowledge"),
}


def answer_labels(answer: Answer) -> tuple[str, str, str, str, str]:
    """Headings in the answer's own language: an answer follows its user, the CLI does not."""
    return ANSWER_LABELS["en" if answer.answer.rstrip().endswith(DISCLAIMER_EN) else "id"]


def render_answer(answer: Answer) -> str:
    """The readable terminal form of an answer; several questions get one section each, with
    their own verdict line and their own citations."""
    if answer.parts:
        knowledge = answer_labels(answer)[4]
        sections = [
            f"{i}. {part.question}\n{_details(part)}" for i, part in enumerate(answer.parts, 1)
        ]
        return "\n\n".join([*sections, f"({knowledge} {answer.knowledge_version})"])
    return _details(answer)


def _details(answer: Answer) -> str:
    basis, sanction, events, confidence, knowledge = answer_labels(answer)
    lines = [answer.answer.rstrip()]
    if answer.citations:
        lines.append("")
        lines.append(basis)
        for citation in answer.citations:
            status = "" if citation.status.value == "berlaku" else f" [{citation.status.value}]"
            lines.append(f"  - {citation.label}{status}: {citation.text}")
    if answer.sanctions:
        lines.append(sanction)
        lines.extend(f"  - {s}" for s in answer.sanctions)
    if answer.sources:
        lines.append(events)
        lines.extend(
            f"  - {s.title}{f' ({s.date})' if s.date else ''}: {s.excerpt}" for s in answer.sources
        )
    lines.append(f"({confidence} {answer.confidence:.2f}; {knowledge} {answer.knowledge_version})")
    return "\n".join(lines)
