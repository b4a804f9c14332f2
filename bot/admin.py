"""Admin callbacks: ``/stats``, ``/unanswered``, ``/reload``, document ingest and the choice
asked for a .txt sent without the ``ingest`` caption (ingest it, or answer the questions in it).

These are registered only behind ``filters.User(admin_ids)`` (see :mod:`bot.app`), so a
non-admin update never reaches this module.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from pathlib import Path

from telegram import Document, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot import handlers, texts
from bot.formatting import esc, shorten
from bot.handlers import send_html
from bot.ingest_summary import summarise
from bot.protocols import PhrasingStats
from bot.state import BotState, get_state

log = logging.getLogger(__name__)

MAX_INGEST_BYTES = 20 * 1024 * 1024  # the Bot API's download limit
INGEST_SUFFIXES = {".txt", ".pdf", ".docx", ".html", ".htm", ".md"}


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = get_state(context)
    if update.effective_message is None:
        return
    week = time.time() - 7 * 86400
    lines = ["📊 <b>Statistik Netra</b>"]
    for title, since in (("Sepanjang waktu", 0.0), ("7 hari terakhir", week)):
        data = await state.run(state.storage.stats, since)
        mix = ", ".join(
            f"{esc(v)} {n}" for v, n in sorted(data.verdicts.items(), key=lambda x: -x[1])
        )
        abst = data.abstentions / data.questions if data.questions else 0.0
        lines += [
            "",
            f"<b>{title}</b>",
            f"Pertanyaan: {data.questions} (pengguna: {data.users})",
            f"Sebaran vonis: {mix or '-'}",
            f"Tidak terjawab (tidak_diketahui): {data.abstentions} ({abst:.0%})",
            f"Masukan: 👍 {data.thumbs_up} · 👎 {data.thumbs_down} "
            f"(rasio 👎 {data.thumbs_down_rate:.0%})",
        ]
    lines += _llm_lines(state.phrasing)
    lines += ["", f"Versi pengetahuan: <code>{esc(state.engine.knowledge_version)}</code>"]
    await update.effective_message.reply_text("\n".join(lines), parse_mode=ParseMode.HTML)


def _llm_lines(phrasing: PhrasingStats | None) -> list[str]:
    """The phrasing model's counters since start-up, when NETRA_ANSWER_MODE=llm is on."""
    if phrasing is None:
        return []
    data = phrasing.stats()
    reasons = ", ".join(f"{esc(k)} {v}" for k, v in sorted(data["fallback_reasons"].items()))
    return [
        "",
        f"<b>Model bahasa</b> ({esc(data['provider'])}: {esc(data['model'])}, sejak start)",
        f"Panggilan: {data['calls']} · diterima: {data['accepted']} · "
        f"kembali ke jawaban ekstraktif: {data['fallbacks']}"
        + (f" ({reasons})" if reasons else ""),
    ]


async def unanswered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = get_state(context)
    if update.effective_message is None:
        return
    rows = await state.run(state.storage.unanswered, 20)
    if not rows:
        await update.effective_message.reply_text("Belum ada pertanyaan yang tidak terjawab.")
        return
    lines = ["❔ <b>Pertanyaan terakhir yang belum terjawab</b> (tanpa identitas pengguna)", ""]
    for ts, question in rows:
        when = time.strftime("%Y-%m-%d %H:%M", time.gmtime(ts))
        lines.append(f"• <i>{when} UTC</i> — {esc(shorten(question, 200))}")
    await send_html(update.effective_message, "\n".join(lines))


async def reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = get_state(context)
    if update.effective_message is None:
        return
    changed = await state.run(state.engine.reload)
    name = state.engine.info.name
    text = (
        f"🔄 Indeks baru dipakai: <code>{esc(name)}</code>"
        if changed
        else f"Indeks sudah yang terbaru (<code>{esc(name)}</code>)."
    )
    await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML)


def _safe_name(name: str | None) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name or "dokumen").name).strip("._")
    return base[:100] or "dokumen"


INGEST_CAPTION = r"(?i)^\s*/?ingest\b"
_KIND_WORDS = {
    "regulation": ("peraturan", "regulation", "regulasi", "resmi"),
    "transcript": ("transkrip", "transcript", "sosialisasi", "catatan"),
}
DOCUMENTS = "document"  # kv namespace: documents waiting for the admin's choice
DOCUMENT_TTL = 86400.0


def caption_kind(caption: str | None) -> str:
    """``ingest peraturan`` / ``ingest transkrip`` choose the kind; plain ``ingest`` lets the
    pipeline decide from the content."""
    words = (caption or "").lower().split()[1:]
    for kind, names in _KIND_WORDS.items():
        if any(word in names for word in words):
            return kind
    return "auto"


def _received_document(update: Update) -> tuple[Message, Document, str] | None:
    """The message, its document and a safe file name for it (None: no document)."""
    message = update.effective_message
    if message is None or message.document is None:
        return None
    return message, message.document, _safe_name(message.document.file_name)


async def document_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A .txt from an admin without the ``ingest`` caption: ask what it is for."""
    state = get_state(context)
    received = _received_document(update)
    if received is None:
        return
    message, document, name = received
    value = {"file_id": document.file_id, "name": name, "size": document.file_size}
    key = secrets.token_urlsafe(6)
    await state.run(state.storage.put, DOCUMENTS, key, value, DOCUMENT_TTL)
    en = handlers.english_user(update)
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(texts.t("ADMIN_INGEST_BUTTON", en), callback_data=f"d:i:{key}")],
            [InlineKeyboardButton(texts.t("ADMIN_ANSWER_BUTTON", en), callback_data=f"d:a:{key}")],
        ]
    )
    await message.reply_text(
        texts.t("ADMIN_DOCUMENT_CHOICE", en).format(name=esc(name)),
        parse_mode=ParseMode.HTML,
        reply_markup=markup,
    )


async def document_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The admin's choice for a document: ingest it, or answer the questions in it."""
    query = update.callback_query
    state = get_state(context)
    if query is None or not query.data:
        return
    if not state.is_admin(query.from_user.id):
        await query.answer(texts.t("ADMIN_ONLY", handlers.english_user(update)), show_alert=True)
        return
    _, choice, key = [*query.data.split(":", 2), "", ""][:3]
    stored = await state.run(state.storage.pop, DOCUMENTS, key)
    if not isinstance(stored, dict):
        await query.answer(
            texts.t("DOCUMENT_EXPIRED", handlers.english_user(update)), show_alert=True
        )
        return
    await query.answer()
    if choice == "a":
        await handlers.answer_text_file(update, context, stored["file_id"], stored.get("size"))
    elif isinstance(query.message, Message):
        await ingest_file(state, query.message, stored["file_id"], stored["name"], "auto")


async def ingest_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An admin's document with the ``ingest`` caption (or any non-.txt document): ingest it."""
    state = get_state(context)
    received = _received_document(update)
    if received is None:
        return
    message, document, name = received
    if Path(name).suffix.lower() not in INGEST_SUFFIXES:
        await message.reply_text(
            "Format berkas belum didukung. Kirim PDF, DOCX, HTML, TXT atau MD."
        )
        return
    if document.file_size and document.file_size > MAX_INGEST_BYTES:
        await message.reply_text("Berkas lebih besar dari 20 MB; ingest lewat `netra ingest`.")
        return
    await ingest_file(state, message, document.file_id, name, caption_kind(message.caption))


async def ingest_file(
    state: BotState, message: Message, file_id: str, name: str, kind: str
) -> None:
    """Download a document, ingest it into a new index, switch to it, and report in Indonesian
    what the file was taken to be."""
    await message.reply_text(f"📥 Memproses {name} …")
    # Uploads are kept at a stable path: the pipeline identifies documents by path, so sending a
    # corrected file with the same name updates that document instead of adding a second one.
    uploads = state.settings.data_dir / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    path = uploads / name
    file = await message.get_bot().get_file(file_id)
    await file.download_to_drive(path)
    if state.ingest is None:
        await state.run(state.storage.record_ingest, name, False, "ingest is not available")
        await message.reply_text(
            "Maaf, fitur ingest belum tersedia di server ini. Jalankan `netra ingest` di "
            "server untuk menambahkan dokumen."
        )
        return
    try:
        ok, summary = summarise(await state.run(state.ingest, [path], kind))
    except Exception as error:
        log.exception("ingest of an uploaded document failed")
        await state.run(
            state.storage.record_ingest, name, False, f"{type(error).__name__}: {error}"
        )
        await message.reply_text(
            f"❌ Ingest gagal ({type(error).__name__}: {str(error)[:300]}). "
            "Indeks lama tetap dipakai."
        )
        return
    await state.run(state.storage.record_ingest, name, ok, summary)
    changed = await state.run(state.engine.reload)
    head = (
        f"✅ <b>{esc(name)}</b> selesai diingest."
        if ok
        else f"⚠️ <b>{esc(name)}</b> gagal diingest."
    )
    await send_html(
        message,
        f"{head}\n{esc(summary)}\n"
        + ("Indeks baru sudah dipakai." if changed else "Indeks tidak berubah."),
    )
