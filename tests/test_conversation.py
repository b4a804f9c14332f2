"""One conversation object and one list splitter serve the bot and `netra chat` alike."""

from __future__ import annotations

from click.testing import CliRunner

from bot.batch import split_numbered
from knowledge.analysis import split_parts
from knowledge.conversation import CONTEXT_CHARS, Conversation
from knowledge.splitting import list_items
from netra.cli import cli


def test_a_short_follow_up_keeps_its_subject_and_a_full_question_starts_afresh() -> None:
    conversation = Conversation()
    assert conversation.context is None
    conversation.remember("Bolehkah PNS like postingan calon?")
    conversation.remember("kalau komen?")
    assert conversation.context == "Bolehkah PNS like postingan calon? kalau komen?"
    conversation.remember("Bolehkah PPPK menjadi anggota partai politik di daerahnya?")
    assert conversation.context == "Bolehkah PPPK menjadi anggota partai politik di daerahnya?"
    conversation.remember("x " * CONTEXT_CHARS)
    assert conversation.context is not None and len(conversation.context) == CONTEXT_CHARS


def test_numbered_items_continue_over_unnumbered_lines() -> None:
    text = (
        "Pertanyaan dari staf:\n1. boleh like postingan capres?\n   di instagram\n2) boleh hadir?"
    )
    listed = list_items(text)
    assert listed.preamble == "Pertanyaan dari staf:"
    assert listed.items == ["boleh like postingan capres? di instagram", "boleh hadir?"]
    assert split_numbered(text) == listed.items
    assert split_numbered("1. satu-satunya pertanyaan") == []


def test_bullets_are_items_for_the_analysis_but_not_a_batch_for_the_bot() -> None:
    text = "- bolehkah PNS ikut kampanye?\n- bolehkah PNS jadi saksi TPS?"
    assert list_items(text).items == []
    assert list_items(text, bullets=True).items == [
        "bolehkah PNS ikut kampanye?",
        "bolehkah PNS jadi saksi TPS?",
    ]
    assert split_numbered(text) == []
    assert split_parts(text) == ["bolehkah PNS ikut kampanye?", "bolehkah PNS jadi saksi TPS?"]


def test_netra_chat_reads_a_short_follow_up_with_the_previous_subject(
    built_settings, monkeypatch
) -> None:
    from knowledge.engine import Engine

    contexts: list[str | None] = []
    answer = Engine.answer

    def recording(self, question, *, context=None, mode="hybrid"):  # type: ignore[no-untyped-def]
        contexts.append(context)
        return answer(self, question, context=context, mode=mode)

    monkeypatch.setattr(Engine, "answer", recording)
    questions = "Bolehkah PNS like postingan capres?\nkalau komen?\nkalau share?\n\n"
    env = {"NETRA_DATA_DIR": str(built_settings.data_dir), "NETRA_EMBEDDING": "hash"}
    result = CliRunner().invoke(cli, ["chat"], input=questions, env=env)
    assert result.exit_code == 0, result.output
    assert result.output.count("bukan nasihat hukum resmi") == 3
    first = "Bolehkah PNS like postingan capres?"
    assert contexts == [None, first, f"{first} kalau komen?"]
