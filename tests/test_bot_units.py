"""Bot building blocks: HTML splitting, masking, question splitting, storage, rate limit, run()."""

from __future__ import annotations

import re
import sqlite3

import pytest
from pydantic import SecretStr

from bot.batch import NIP_MASK, mask_name, mask_nip, split_numbered, split_questions_file
from bot.database import SQLITE_TYPES
from bot.formatting import esc, formal_text, render_answer, split_html, u16len
from bot.ingest_summary import summarise
from bot.ratelimit import RateLimiter
from bot.state import AnswerCache, ContextMemory
from bot.storage import MIGRATIONS, SALT_FILE, BotStorage, load_salt
from knowledge.config import ConfigError, Settings
from knowledge.conversation import Conversation
from knowledge.models import Verdict
from knowledge.phrases import DISCLAIMER
from knowledge.store import IndexMissingError
from netra.commands.serve import run_bot
from netra.wiring import Services
from tests.fakes import LIKE_CITATION, bot_settings, make_answer


def balanced(chunk: str) -> bool:
    stack: list[str] = []
    for closing, name in re.findall(r"<(/?)([a-z]+)[^>]*>", chunk):
        if closing:
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    return not stack


def test_split_html_respects_limit_tags_and_entities() -> None:
    line = "<i>kalimat &amp; &lt;tag&gt; panjang</i> " + "kata " * 30
    text = "<b>Judul</b>\n\n" + "\n".join(f"{i}. {line}" for i in range(400))
    chunks = split_html(text)
    assert len(chunks) > 1
    for chunk in chunks:
        assert u16len(chunk) <= 4096
        assert balanced(chunk)
        assert not re.search(r"&[#\w]*$", chunk) and not re.search(r"<[^>]*$", chunk)
    assert "".join(chunks).count("&amp;") == text.count("&amp;")


def test_split_html_cuts_inside_one_long_tag_and_reopens_it() -> None:
    chunks = split_html("<b>" + "x" * 9000 + "</b>")
    assert len(chunks) == 3
    assert all(c.startswith("<b>") and c.endswith("</b>") and u16len(c) <= 4096 for c in chunks)


def test_split_counts_utf16_units() -> None:
    chunks = split_html("😀 " * 3000)
    assert all(u16len(c) <= 4096 for c in chunks)


def test_render_escapes_and_keeps_disclaimer() -> None:
    answer = make_answer("q", Verdict.BOLEH_BERSYARAT, "Alasan <y>.", [], act="a <x> & b")
    html_text = render_answer(answer)
    assert html_text.startswith("⚠️ <b>Boleh, dengan syarat</b>: a &lt;x&gt; &amp; b.")
    assert "Alasan &lt;y&gt;." in html_text
    assert html_text.count(DISCLAIMER.id) == 1
    assert esc('"<>&') == '"&lt;&gt;&amp;'


def test_formal_text_is_one_paragraph_with_basis_and_sanction() -> None:
    answer = make_answer(
        "Bolehkah PNS like postingan calon?",
        Verdict.DILARANG,
        "Alasannya jelas",
        [LIKE_CITATION],
        act="memberi like",
    )
    text = formal_text(answer)
    assert "\n" not in text
    assert "tidak diperbolehkan (dilarang)" in text
    assert "Alasannya jelas." in text
    assert LIKE_CITATION.label in text and "sanksi" in text
    assert text.endswith(f"({DISCLAIMER.id})")


def test_nip_masking() -> None:
    assert mask_nip("NIP 19850101 201001 1 001.") == f"NIP {NIP_MASK}."
    assert mask_nip("nip:198501012010011001") == f"nip:{NIP_MASK}"
    assert mask_nip("telp 08123456789") == "telp 08123456789"  # 11 digits stay
    assert mask_nip("1234567890123456789") == "1234567890123456789"  # 19 digits: not a NIP


def test_name_masking_full_and_parts() -> None:
    masked = mask_name("Saya Budi Santoso. Pak budi bertanya", "Budi Santoso")
    assert "Budi" not in masked and "budi" not in masked and "Santoso" not in masked
    assert mask_name("tanpa nama", None) == "tanpa nama"


def test_split_numbered_questions() -> None:
    text = "Mohon dijawab:\n1. Bolehkah A?\n2) Bolehkah B\nlanjutan B?\n3. Bolehkah C?"
    assert split_numbered(text) == ["Bolehkah A?", "Bolehkah B lanjutan B?", "Bolehkah C?"]
    assert split_numbered("1. hanya satu") == []
    assert split_questions_file("boleh A?\nboleh B?\n\n") == ["boleh A?", "boleh B?"]


def test_storage_migrates_hashes_users_and_hides_text(tmp_path) -> None:
    storage = BotStorage(tmp_path / "bot.sqlite", b"salt")
    assert storage.schema_version == len(MIGRATIONS)
    storage.record_question(
        user_id=42,
        chat_type="private",
        kind="text",
        verdict="tidak_diketahui",
        confidence=0.1,
        answer_id="k",
        question="rahasia",
    )
    storage.close()
    db = sqlite3.connect(tmp_path / "bot.sqlite")
    user_hash, text = db.execute("SELECT user_hash, text FROM questions").fetchone()
    assert user_hash != "42" and "42" not in user_hash and text is None
    assert db.execute("SELECT question FROM unanswered").fetchone() == ("rahasia",)
    assert "user" not in [r[1] for r in db.execute("PRAGMA table_info(unanswered)")][2:]
    db.close()
    again = BotStorage(tmp_path / "bot.sqlite", b"salt")  # re-opening migrates nothing twice
    assert again.schema_version == len(MIGRATIONS) and again.stats().questions == 1
    again.close()


def test_storage_upgrades_an_old_schema(tmp_path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0].format(**SQLITE_TYPES) + "\nPRAGMA user_version = 1;")
    db.close()
    storage = BotStorage(path, b"s")
    assert storage.schema_version == len(MIGRATIONS)
    storage.record_ingest("x.pdf", True, "ok")
    storage.close()


def test_store_message_text_opt_in(tmp_path) -> None:
    storage = BotStorage(tmp_path / "b.sqlite", b"s", store_text=True)
    storage.record_question(
        user_id=1, chat_type="private", kind="text", verdict="boleh", confidence=1.0,
        answer_id=None, question="teks",
    )  # fmt: skip
    assert storage.db.execute("SELECT text FROM questions") == [("teks",)]
    storage.close()


def test_salt_is_generated_once_and_persisted(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path, embedding="hash")
    first = load_salt(settings)
    assert (tmp_path / SALT_FILE).exists() and load_salt(settings) == first
    configured = Settings(data_dir=tmp_path, embedding="hash", hash_salt=SecretStr("abc"))
    assert load_salt(configured) == b"abc"


def test_rate_limiter_counts_per_user_and_remembers_dropped_questions(tmp_path) -> None:
    storage = BotStorage(tmp_path / "b.sqlite", b"s")
    limiter = RateLimiter(storage, 2)
    assert limiter.hit(1) == 0 and limiter.hit(1) == 0
    assert limiter.hit(1) > 0 and limiter.hit(2) == 0
    assert limiter.drop(1, "satu?") == 1 and limiter.drop(1, "dua?") == 2
    assert limiter.take_dropped(1) == (2, ["satu?", "dua?"])
    assert limiter.take_dropped(1) == (0, [])
    assert 0 < limiter.retry_after(1, 1) <= 60
    storage.close()


def test_answer_cache_survives_reopening_and_keys_are_short(tmp_path) -> None:
    storage = BotStorage(tmp_path / "b.sqlite", b"s")
    answer = make_answer("q", Verdict.BOLEH, "", [], act="x")
    keys = [AnswerCache(storage, 3600).put(answer, "text") for _ in range(5)]
    AnswerCache(storage, 3600).link_message(7, 70, keys[1])
    storage.close()
    reopened = AnswerCache(BotStorage(tmp_path / "b.sqlite", b"s"), 3600)
    cached = reopened.get(keys[-1])
    assert cached is not None and cached.answer == answer and cached.kind == "text"
    assert reopened.for_message(7, 70) is not None and reopened.for_message(7, 71) is None
    assert all(len(f"v:{k}:+".encode()) <= 64 for k in keys)


def test_state_expires(tmp_path) -> None:
    storage = BotStorage(tmp_path / "b.sqlite", b"s")
    memory = ContextMemory(storage, 600)
    memory.set((1, 1), Conversation("q"))
    assert memory.get((1, 1)).context == "q" and memory.get((1, 2)).context is None
    storage.put("context", "gone", "x", ttl=-1)  # already expired
    assert storage.get("context", "gone") is None
    storage.purge()
    assert storage.db.execute("SELECT COUNT(*) FROM kv WHERE k = 'gone'") == [(0,)]
    assert ContextMemory(storage, 0).get((1, 1)).context is None  # context switched off
    storage.close()


def test_ingest_report_summary() -> None:
    class Report:
        ok = False

        def to_dict(self):
            return {
                "totals": {"files": 1, "failed": 1},
                "files": [{"path": "a.pdf", "error": "bad"}],
            }

    ok, summary = summarise(Report())
    assert not ok and "berkas: 1" in summary and "gagal: 1" in summary and "a.pdf" in summary
    assert "bad" in summary


def test_ingest_report_says_what_each_file_was_taken_to_be() -> None:
    from ingest.report import FileResult, IngestReport

    result = FileResult("/x/perbup-12.txt", "p", "added", kind="transcript", chunks=4)
    ok, summary = summarise(IngestReport(files=[result]))
    assert ok and "perbup-12.txt: ditambahkan, dibaca sebagai transkrip" in summary
    assert "ingest peraturan" in summary and "chunks" not in summary


def test_run_fails_fast_without_token(tmp_path) -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        run_bot(Services(Settings(data_dir=tmp_path, embedding="hash")))


def test_run_fails_fast_without_index(tmp_path) -> None:
    settings = bot_settings(tmp_path)
    with pytest.raises(IndexMissingError, match="netra ingest"):
        run_bot(Services(settings))


def test_lookup_answers_do_not_repeat_quotes_and_formal_lists_the_text() -> None:
    answer = make_answer(
        "Apa isi PP 94/2021 Pasal 5?",
        Verdict.DILARANG,
        "",
        [LIKE_CITATION],
        lookup="PP 94/2021 Pasal 5",
    )
    html_text = render_answer(answer)
    assert html_text.count("simbol di medsos") == 1
    formal = formal_text(answer)
    assert "disampaikan isi PP 94/2021 Pasal 5 sebagai berikut" in formal
    assert "perbuatan tersebut" not in formal


def test_split_html_keeps_paragraphs_whole_when_it_can() -> None:
    paragraphs = [f"<b>Bagian {i}</b>\n<i>{'isi &amp; ' * 150}</i>" for i in range(6)]
    chunks = split_html("\n\n".join(paragraphs))
    assert len(chunks) > 1
    assert "\n\n".join(chunks) == "\n\n".join(paragraphs)
    assert all(u16len(c) <= 4096 and balanced(c) for c in chunks)


def test_netra_serve_explains_what_is_missing(tmp_path) -> None:
    from click.testing import CliRunner

    from netra.cli import cli

    env = {"NETRA_DATA_DIR": str(tmp_path / "d"), "NETRA_EMBEDDING": "hash"}
    result = CliRunner().invoke(cli, ["serve"], env=env)
    assert result.exit_code != 0 and "TELEGRAM_BOT_TOKEN" in result.output
    env["TELEGRAM_BOT_TOKEN"] = "123:abc"
    result = CliRunner().invoke(cli, ["serve"], env=env)
    assert result.exit_code != 0 and "netra ingest" in result.output
    assert "Traceback" not in result.output and "123:abc" not in result.output
