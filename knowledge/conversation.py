"""One user's conversation: what the next question may lean on.

A short follow-up ("kalau cuma komen?") is read with the subject of the question before it
(:func:`knowledge.analysis.carry_subject`), and keeps that subject for the next one; a full
question starts afresh. The bot keeps one per (chat, user) in its database for a few minutes;
``netra chat`` keeps one in memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.analysis import FOLLOW_UP_TOKENS
from knowledge.lexicon import tokens

# The context kept is at most this long (the end of it: the latest question).
CONTEXT_CHARS = 600


@dataclass
class Conversation:
    """The context for the next question: None before the first."""

    context: str | None = None

    def remember(self, question: str) -> None:
        """After ``question`` was answered: a short follow-up adds to the context it leaned on,
        anything longer replaces it."""
        follow_up = self.context is not None and len(tokens(question)) <= FOLLOW_UP_TOKENS
        remembered = f"{self.context} {question}" if follow_up else question
        self.context = remembered[-CONTEXT_CHARS:]
