"""Optional generative answers (``NETRA_ANSWER_MODE=llm``): an LLM rephrases, the composer decides.

The deterministic composer always runs first and stays the safety net. Only its ruling verdicts
(``dilarang``/``boleh``/``boleh_bersyarat``) are handed to the model; refusals, out-of-scope
replies, abstentions, law look-ups and messages with detected prompt injection stay extractive.
A multi-question message is phrased part by part (one call per ruling part); each part that fails
keeps its extractive text, so one bad reply never costs the others.

The verdict line that opens each phrased answer is the composer's, not the model's; the model's
prose replaces the explanation sections of the extractive answer (its notes on the message stay),
and the answer is rendered again from that structure. The chain per part is: evidence from the
same hybrid retriever (``Composer.evidence``) -> prompt with numbered sources
(:mod:`knowledge.llm_prompt`) -> chat model -> JSON reply -> validation
(:mod:`knowledge.llm_output`). Any rejection, timeout or provider error returns the extractive
answer unchanged and is counted by reason in :meth:`GenerativeAnswerer.stats`.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING, Any

from knowledge.analysis import Analysis
from knowledge.compose import Composer, pack_text
from knowledge.config import LLMSetupError, Settings
from knowledge.models import RULING_VERDICTS, Answer, Citation, Section
from knowledge.present import rendered

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger(__name__)

EXTRA_HINT = "pip install 'netra[llm]'"
# Extra seconds the wall-clock deadline allows beyond the client's own timeout.
DEADLINE_SLACK = 0.5


def _chat_model(settings: Settings) -> BaseChatModel:
    """The langchain chat model the settings describe; a missing extra names what to install."""
    if settings.llm_provider == "ollama":
        try:
            from langchain_ollama import ChatOllama
        except ImportError:
            raise LLMSetupError(
                f"NETRA_LLM_PROVIDER=ollama needs langchain-ollama: {EXTRA_HINT}"
            ) from None
        return ChatOllama(
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            temperature=settings.llm_temperature,
            num_predict=settings.llm_max_tokens,
            format="json",
            client_kwargs={"timeout": settings.llm_timeout},
        )
    try:
        from langchain_openai import ChatOpenAI
    except ImportError:
        raise LLMSetupError(f"NETRA_ANSWER_MODE=llm needs langchain-openai: {EXTRA_HINT}") from None
    key = settings.llm_api_key.get_secret_value().strip() if settings.llm_api_key else ""
    if not key and settings.llm_base_url:
        key = "not-needed"  # local OpenAI-compatible servers usually ignore the key
    if not key:
        raise LLMSetupError(
            "NETRA_ANSWER_MODE=llm needs NETRA_LLM_API_KEY, or NETRA_LLM_BASE_URL pointing at an "
            "OpenAI-compatible server"
        )
    # api.openai.com gets max_completion_tokens (langchain-openai's mapping of max_tokens); other
    # OpenAI-compatible servers get the classic max_tokens field, which vLLM, llama.cpp's server,
    # Ollama's /v1 and hosted gateways all understand.
    limit: dict[str, Any] = (
        {"extra_body": {"max_tokens": settings.llm_max_tokens}}
        if settings.llm_base_url
        else {"max_tokens": settings.llm_max_tokens}
    )
    return ChatOpenAI(
        base_url=settings.llm_base_url,
        api_key=key,  # type: ignore[arg-type]
        model=settings.llm_model,
        temperature=settings.llm_temperature,
        timeout=settings.llm_timeout,
        max_retries=0,
        use_responses_api=False,  # chat completions: what every compatible server implements
        **limit,
    )


class GenerativeAnswerer:
    """Phrases ruling answers with a chat model, validates them, and falls back when in doubt."""

    def __init__(
        self,
        chat_model: BaseChatModel,
        settings: Settings,
        *,
        timeout: float | None = None,
        max_workers: int = 4,
    ) -> None:
        self.model = chat_model
        self.settings = settings
        self.timeout = (timeout if timeout is not None else settings.llm_timeout) + DEADLINE_SLACK
        self._executor = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="netra-llm")
        self._lock = threading.Lock()
        self._calls = 0
        self._accepted = 0
        self._fallbacks: Counter[str] = Counter()
        self._skipped: Counter[str] = Counter()
        self._chain = self._build_chain()

    @classmethod
    def from_settings(
        cls, settings: Settings, *, chat_model: BaseChatModel | None = None
    ) -> GenerativeAnswerer:
        """Build from ``NETRA_LLM_*`` (``chat_model`` replaces the provider's client in tests)."""
        return cls(chat_model if chat_model is not None else _chat_model(settings), settings)

    def _build_chain(self) -> Any:
        from langchain_core.runnables import RunnableLambda

        from knowledge.llm_output import message_text, parse_reply

        return (
            RunnableLambda(lambda prompt: prompt.messages)
            | self.model
            | RunnableLambda(lambda message: parse_reply(message_text(message.content)))
        )

    # --- statistics ---------------------------------------------------------------------------
    def stats(self) -> dict[str, object]:
        """Counters for the bot's /stats: model calls, accepted replies, fallbacks by reason."""
        with self._lock:
            return {
                "provider": self.settings.llm_provider,
                "model": self.settings.llm_model,
                "calls": self._calls,
                "accepted": self._accepted,
                "fallbacks": sum(self._fallbacks.values()),
                "fallback_reasons": dict(self._fallbacks),
                "skipped": dict(self._skipped),
            }

    def _count(self, counter: Counter[str], reason: str) -> None:
        with self._lock:
            counter[reason] += 1

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    # --- answering ----------------------------------------------------------------------------
    def answer(
        self, question: str, analysis: Analysis, extractive: Answer, composer: Composer
    ) -> Answer:
        """The phrased answer, or ``extractive`` itself when anything is doubtful.

        The model sees the analysed question parts (injection phrases removed, follow-ups with
        their subject), not the raw ``question``.
        """
        del question
        skip = self._skip_reason(analysis, extractive)
        if skip:
            self._count(self._skipped, skip)
            return extractive
        try:
            return self._answer(analysis, extractive, composer)
        except Exception as error:  # a bug here must never cost the user the extractive answer
            log.exception("generative answering failed; using the extractive answer")
            self._fallback("internal_error", type(error).__name__)
            return extractive

    def _answer(self, analysis: Analysis, extractive: Answer, composer: Composer) -> Answer:
        if not extractive.parts:
            if len(analysis.parts) != 1:
                self._count(self._skipped, "unexpected_parts")
                return extractive
            phrased = self._phrase(analysis.parts[0], analysis, extractive, composer)
            return extractive if phrased is None else phrased
        parts = []
        for part in extractive.parts:
            phrased = None
            if part.verdict in RULING_VERDICTS:
                phrased = self._phrase(part.question, analysis, part, composer)
            parts.append(part if phrased is None else phrased)
        if all(new is old for new, old in zip(parts, extractive.parts, strict=True)):
            return extractive
        citations: list[Citation] = []
        for part in parts:
            citations += [c for c in part.citations if c.label not in {x.label for x in citations}]
        return rendered(extractive.model_copy(update={"citations": citations, "parts": parts}))

    @staticmethod
    def _skip_reason(analysis: Analysis, extractive: Answer) -> str | None:
        if extractive.verdict not in RULING_VERDICTS:
            return f"verdict_{extractive.verdict.value}"
        if analysis.injection or analysis.campaign_help:
            return "injection"
        if analysis.law_reference is not None:
            return "law_lookup"
        return None

    def _phrase(
        self, text: str, analysis: Analysis, extractive: Answer, composer: Composer
    ) -> Answer | None:
        """``extractive`` phrased by the model for one question part, or None (counted) to keep
        the extractive answer."""
        from knowledge.llm_output import Rejected, validate
        from knowledge.llm_prompt import build_prompt

        evidence = composer.evidence(text, analysis)
        if not evidence.rulings or evidence.rulings[0].verdict != extractive.verdict.value:
            self._count(self._skipped, "evidence_mismatch")
            return None
        names = composer.pack.regulation_names
        prompt = build_prompt(text, evidence, english=analysis.english, names=names)
        with self._lock:
            self._calls += 1
        try:
            future = self._executor.submit(self._chain.invoke, prompt)
            reply = future.result(timeout=self.timeout)
            validated = validate(reply, prompt)
        except Rejected as rejected:
            self._fallback(rejected.reason, rejected.detail)
            return None
        except (FutureTimeout, TimeoutError) as error:
            self._fallback("timeout", type(error).__name__)
            return None
        except Exception as error:  # provider errors come in many types; all fall back
            self._fallback(
                "timeout" if _is_timeout(error) else "provider_error", type(error).__name__
            )
            return None
        with self._lock:
            self._accepted += 1
        # The verdict line stays ours (the act of the ruling the model was given as K1); the
        # model's prose and the status of what it cites replace the extractive body.
        sections = [
            Section(kind="explanation", text=validated.text),
            *composer.status_sections(validated.citations, analysis.english),
            *(s for s in extractive.sections if s.kind == "notice"),
        ]
        act = pack_text(evidence.rulings[0], "act", analysis.english)
        update = {"sections": sections, "citations": validated.citations, "act": act}
        return rendered(extractive.model_copy(update=update))

    def _fallback(self, reason: str, detail: str) -> None:
        self._count(self._fallbacks, reason)
        # The reason only: user text stays out of the logs.
        log.warning(
            "generative answer rejected (%s: %s); using the extractive answer", reason, detail
        )


def _is_timeout(error: BaseException) -> bool:
    """Timeouts from openai/httpx/ollama clients, found anywhere in the exception chain."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, TimeoutError) or "timeout" in type(seen).__name__.lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False


__all__ = ["EXTRA_HINT", "GenerativeAnswerer", "LLMSetupError"]
