"""Parsing and validating a model's reply: anything doubtful is rejected, never repaired.

The reply is plain JSON in the message text (not a provider's tool-calling / structured-output
feature) because that is what every OpenAI-compatible server, Ollama and langchain's fake chat
models all support; code fences and stray prose around the object are tolerated. A rejection
carries a short ``reason`` the answerer counts in its fallback statistics.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from knowledge.llm_prompt import PASAL_MENTION, Prompt, regulations_in
from knowledge.models import Citation, Provision, Verdict

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL | re.IGNORECASE)
_REF = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
# Prose that opens with the opposite of the verdict ("Boleh." under a "dilarang" verdict).
_OPENS_ALLOWED = re.compile(r"^\W*(boleh|diperbolehkan|dibolehkan|allowed)\b", re.IGNORECASE)
_OPENS_FORBIDDEN = re.compile(r"^\W*(tidak\s+boleh|dilarang|not\s+allowed)\b", re.IGNORECASE)


class Rejected(ValueError):
    """The reply cannot be used; ``reason`` is a short counter key."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class LLMReply(BaseModel):
    """The structured output the prompt asks for."""

    model_config = ConfigDict(extra="ignore")

    verdict: str
    answer: str
    sources: list[int] = Field(default_factory=list)

    @field_validator("verdict", mode="before")
    @classmethod
    def _verdict_key(cls, value: object) -> object:
        if isinstance(value, str):
            return re.sub(r"[\s-]+", "_", value.strip().lower())
        return value

    @field_validator("sources", mode="before")
    @classmethod
    def _numbers(cls, value: object) -> object:
        """Accept ``[1, "2", "[3]"]``; anything else is left for pydantic to reject."""
        if isinstance(value, list):
            out: list[object] = []
            for item in value:
                if isinstance(item, str) and re.fullmatch(r"\s*\[?\s*\d{1,3}\s*\]?\s*", item):
                    out.append(int(item.strip(" []")))
                else:
                    out.append(item)
            return out
        return value


def message_text(content: object) -> str:
    """The text of a chat message's content (a string or a list of content blocks)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for block in content:
            if isinstance(block, str):
                parts.append(block)
            elif isinstance(block, dict) and block.get("type") == "text":
                parts.append(str(block.get("text", "")))
        return "".join(parts)
    return ""


def parse_reply(raw: str) -> LLMReply:
    """The JSON object in ``raw`` (fenced or not), validated against :class:`LLMReply`."""
    text = raw.strip()
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced.group(1).strip()
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        raise Rejected("malformed", "no JSON object in the reply")
    try:
        data = json.loads(text[start : end + 1])
    except json.JSONDecodeError as error:
        raise Rejected("malformed", f"invalid JSON ({error.msg})") from None
    if not isinstance(data, dict):
        raise Rejected("malformed", "the JSON is not an object")
    try:
        return LLMReply.model_validate(data)
    except ValidationError as error:
        raise Rejected("malformed", f"schema: {error.error_count()} error(s)") from None


@dataclass
class Validated:
    """An accepted reply: the text with ``[n]`` resolved to labels, and its citations."""

    text: str
    citations: list[Citation]
    provisions: list[Provision]


def validate(reply: LLMReply, prompt: Prompt) -> Validated:
    """Check a reply against the prompt's sources and verdict; raise :class:`Rejected`.

    Rejected: an unknown verdict or one that differs from the matched ruling's (even
    ``boleh`` for ``boleh_bersyarat``: dropping conditions is a contradiction), text that opens
    with the opposite verdict ("Boleh ..." under ``dilarang``), empty text, a cited number (in
    ``sources`` or as ``[n]`` in the text) that is not a provided source, a "Pasal N" or a
    regulation ("UU 5/2014") in the text that the sources do not name, no citation at all, or no
    citation of the matched ruling's basis when the sources contain it.
    """
    try:
        verdict = Verdict(reply.verdict)
    except ValueError:
        raise Rejected("malformed", f"unknown verdict {reply.verdict[:30]!r}") from None
    if verdict is not prompt.verdict:
        raise Rejected("verdict_mismatch", f"{verdict.value} != {prompt.verdict.value}")
    text = reply.answer.strip()
    if not text:
        raise Rejected("empty_text")
    opener = _OPENS_FORBIDDEN if verdict is not Verdict.DILARANG else _OPENS_ALLOWED
    if opener.search(text):
        raise Rejected("verdict_mismatch", "the text opens with the opposite verdict")
    in_text = [int(n) for group in _REF.findall(text) for n in group.split(",")]
    cited = list(dict.fromkeys([*reply.sources, *in_text]))
    allowed = range(1, len(prompt.provisions) + 1)
    invented = [n for n in cited if n not in allowed]
    if invented:
        raise Rejected("invented_citation", f"source numbers {invented} were not provided")
    unknown_pasal = sorted(
        {p for p in PASAL_MENTION.findall(text) if p.lower() not in prompt.pasals}
    )
    if unknown_pasal:
        raise Rejected("invented_citation", f"text names Pasal {', '.join(unknown_pasal)}")
    unknown_regulation = sorted(regulations_in(text, prompt.names) - prompt.regulations)
    if unknown_regulation:
        raise Rejected("invented_citation", f"text names {', '.join(unknown_regulation)}")
    if not cited:
        raise Rejected("no_citation")
    if prompt.basis_numbers and not prompt.basis_numbers & set(cited):
        raise Rejected("basis_not_cited")
    provisions = [prompt.provisions[n - 1] for n in cited]
    labelled = _REF.sub(
        lambda m: (
            "("
            + "; ".join(prompt.provisions[int(n) - 1].label for n in m.group(1).split(","))
            + ")"
        ),
        text,
    )
    return Validated(labelled, [Citation.from_provision(p) for p in provisions], provisions)


__all__ = ["LLMReply", "Rejected", "Validated", "message_text", "parse_reply", "validate"]
