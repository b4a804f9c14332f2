"""User-facing fixed texts, kept apart from the handler logic.

Each text is Indonesian; :data:`EN` holds its English form, chosen by :func:`t` for users who
write (or whose Telegram is set to) English."""

from __future__ import annotations

EXAMPLE_QUESTIONS = (
    "Bolehkah PNS memberi like pada postingan calon bupati?",
    "Bolehkah ASN hadir di acara kampanye di luar jam kerja?",
    "Bolehkah PPPK menjadi anggota partai politik?",
)

START = (
    "👋 <b>Halo, saya Netra.</b>\n\n"
    "Saya membantu ASN (PNS, CPNS, PPPK) dan pengelola kepegawaian mengetahui apa yang "
    "<b>boleh</b> dan <b>tidak boleh</b> dilakukan ASN menjelang pemilu dan pilkada — lengkap "
    "dengan pasal dasar hukumnya.\n\n"
    "Tulis saja pertanyaan Anda, atau coba salah satu contoh di bawah. Ketik /help untuk "
    "panduan lengkap."
)

HELP = (
    "<b>Cara memakai Netra</b>\n\n"
    "• Kirim pertanyaan biasa, misalnya <i>“Bolehkah PNS ikut kampanye saat cuti?”</i>\n"
    "• Pertanyaan lanjutan singkat (<i>“kalau cuma komen?”</i>) dipahami dalam konteks "
    "pertanyaan sebelumnya selama beberapa menit.\n"
    "• <b>Petugas kepegawaian:</b> teruskan (forward) pesan pegawai ke sini — nama pengirim dan "
    "NIP disamarkan dalam jawaban. Beberapa pertanyaan bernomor dalam satu pesan, atau berkas "
    "<code>.txt</code> berisi daftar pertanyaan, dijawab satu per satu.\n"
    "• Di grup, sebut saya (@), balas pesan saya, atau pakai <code>/tanya pertanyaan</code>.\n"
    "• Jawaban pertama dibuat singkat; tekan 📚 Selengkapnya untuk penjelasan lengkap. Tombol "
    "lain: 📖 bunyi pasal, 📄 versi formal (untuk nota dinas), 👍/👎 masukan.\n"
    "• Foto atau video dengan pertanyaan di keterangannya juga dijawab; pesan yang Anda ubah "
    "dijawab ulang.\n"
    "• <b>Admin Netra:</b> kirim dokumen (PDF, DOCX, HTML, TXT) dengan keterangan "
    "<code>ingest</code> untuk menambahkannya ke basis pengetahuan (<code>ingest peraturan</code> "
    "atau <code>ingest transkrip</code> untuk menentukan jenisnya). Tanpa keterangan, Netra "
    "menanyakan dulu maksud Anda.\n\n"
    "Perintah: /start, /help, /tentang, /sumber, /tanya"
)

NON_TEXT = (
    "🙂 Maaf, saya hanya bisa membaca pesan teks (dan berkas .txt berisi daftar pertanyaan). "
    "Tulis pertanyaan Anda tentang netralitas ASN, misalnya: <i>“Bolehkah PNS foto bersama "
    "calon kepala daerah?”</i>"
)

RATE_LIMITED = (
    "⏳ Maaf, {count} pesan terakhir Anda tidak saya jawab karena melewati batas {limit} "
    "pertanyaan per menit:\n{questions}\n\nSilakan kirim ulang pertanyaan tersebut dalam "
    "{seconds} detik."
)

LONG_MESSAGE = (
    "✂️ <i>Pesan Anda panjang ({length} karakter). Saya menjawab pertanyaan yang saya temukan di "
    "dalamnya; {skipped} karakter lainnya (pengantar, kutipan) tidak saya baca sebagai "
    "pertanyaan. Bila ada pertanyaan lain di sana, kirim sebagai pesan terpisah.</i>"
)
TRUNCATED = (
    "✂️ <i>Pesan Anda sangat panjang; saya hanya membaca {limit} karakter pertamanya. "
    "Untuk banyak pertanyaan sekaligus, kirim daftar bernomor atau berkas .txt.</i>"
)

ERROR = (
    "😔 Maaf, terjadi kesalahan saat memproses pesan Anda. Silakan coba lagi sebentar lagi. "
    "Jika berulang, sampaikan kepada pengelola Netra."
)

EXPIRED = "Jawaban ini sudah kedaluwarsa. Silakan kirim ulang pertanyaannya."
MORE = "📚 Selengkapnya"
PROVISIONS = "📖 Bunyi pasal"
FORMAL = "📄 Versi formal"
EDITED_PREFACE = "✏️ <i>Jawaban untuk pesan yang Anda ubah:</i>"
FEEDBACK_THANKS = "Terima kasih atas masukannya!"
ADMIN_ONLY = "Maaf, perintah ini hanya untuk admin Netra."
DOCUMENT_NOT_ALLOWED = (
    "Maaf, hanya admin Netra yang dapat menambahkan dokumen ke basis pengetahuan. Jika Anda ingin "
    "mengajukan banyak pertanyaan, kirim berkas <code>.txt</code> berisi daftar pertanyaan."
)
UNKNOWN_COMMAND = "Perintah itu tidak saya kenal. Ketik /help untuk melihat yang tersedia."
TANYA_EMPTY = "Tulis pertanyaannya setelah perintah, misalnya: <code>/tanya bolehkah PNS ikut kampanye?</code>"
FORWARDED_PREFACE = (
    "📨 <b>Pertanyaan yang diteruskan</b> (pengirim asli: {sender})\n"
    "<i>{question}</i>\n\n"
    "Berikut jawaban untuk Bapak/Ibu pengelola kepegawaian:"
)
BATCH_CUT = (
    "✂️ Anda mengirim {total} pertanyaan; hanya {limit} pertanyaan pertama yang saya jawab. "
    "Kirim {rest} pertanyaan sisanya dalam pesan atau berkas terpisah."
)
BATCH_INTRO = "🗂 Saya menerima <b>{count}</b> pertanyaan; berikut jawabannya satu per satu."
BATCH_DOCUMENT = (
    "🗂 Jawaban atas <b>{count}</b> pertanyaan cukup panjang, jadi saya kirim sebagai berkas. "
    "Ringkasan:\n{summary}"
)

ADMIN_DOCUMENT_CHOICE = (
    "📄 Berkas <b>{name}</b> diterima tanpa keterangan. Mau diapakan?\n"
    "• <b>Tambahkan ke basis pengetahuan</b> (ingest) — atau kirim ulang dengan keterangan "
    "<code>ingest</code>;\n"
    "• <b>Jawab isinya</b> sebagai daftar pertanyaan."
)
ADMIN_INGEST_BUTTON = "📥 Tambahkan ke basis pengetahuan"
ADMIN_ANSWER_BUTTON = "❓ Jawab isinya"
DOCUMENT_EXPIRED = "Pilihan untuk berkas ini sudah kedaluwarsa; kirim ulang berkasnya."
FILE_TOO_LARGE = "Berkasnya terlalu besar; kirim paling banyak 256 KB teks."

# The "📖 Bunyi pasal" button, /tentang and /sumber (bot/formatting.py).
PROVISION_MISSING = "Teks ketentuan ini tidak tersedia."
PROVISION_OFFICIAL = "bunyi resmi, dari dokumen yang diingest"
PROVISION_OURS = "ringkasan isi dalam rumusan Netra — bukan bunyi resmi pasal"
OFFICIAL_TEXT_AT = "Teks resmi: {url}"
NO_PROVISIONS = "Jawaban ini tidak mengutip pasal."
ABOUT = (
    "<b>Tentang Netra</b>\n\n"
    "Netra menjawab pertanyaan tentang netralitas ASN dalam pemilu dan pilkada dengan vonis "
    "(boleh / dilarang / boleh bersyarat) dan pasal dasar hukumnya. Jawaban disusun dari "
    "basis pengetahuan yang dikurasi: pernyataan isi peraturan dalam rumusan kami sendiri, "
    "diperiksa terhadap teks resminya, ditambah dokumen resmi dan catatan sosialisasi yang "
    "diingest. Bila tidak yakin, Netra menyatakannya dan menyarankan bertanya ke BKPSDM atau "
    "Bawaslu.\n\n"
    "📚 Peraturan: {regulations} · dokumen diingest: {documents}\n"
    "🔖 Versi pengetahuan: <code>{version}</code>\n"
    "Daftar peraturan: /sumber\n\n"
    "<i>{disclaimer}</i>"
)
SOURCES_REGULATIONS = "<b>Peraturan yang dikenal Netra</b>"
SOURCES_DOCUMENTS = "<b>Dokumen yang diingest (teks resmi/transkrip)</b>"
SOURCES_TRANSCRIPT = "transkrip sosialisasi"
SOURCES_OFFICIAL = "teks resmi"
SOURCES_DOCUMENT = "dokumen"
SOURCES_MORE = "… dan {n} dokumen lain"
SOURCES_LEGEND = "🟢 berlaku · 🟡 diubah · 🔴 dicabut"
NO_QUESTIONS_IN_FILE = "Saya tidak menemukan pertanyaan di berkas itu."

EN = {
    "START": (
        "👋 <b>Hello, I am Netra.</b>\n\n"
        "I help civil servants (ASN: PNS, CPNS, PPPK) and HR officers find out what ASN "
        "<b>may</b> and <b>may not</b> do around elections — with the exact article of law.\n\n"
        "Just write your question, or try one of the examples below. Type /help for the guide."
    ),
    "HELP": (
        "<b>How to use Netra</b>\n\n"
        "• Send a question, e.g. <i>“May a civil servant join a campaign while on leave?”</i>\n"
        "• A short follow-up (<i>“what about just commenting?”</i>) is read in the context of "
        "your previous question for a few minutes.\n"
        "• <b>HR officers:</b> forward an employee's message here — the sender's name and NIP "
        "are masked. Several numbered questions in one message, or a <code>.txt</code> file of "
        "questions, are answered one by one.\n"
        "• In a group, mention me (@), reply to my message, or use <code>/tanya question</code>.\n"
        "• The first answer is short; press 📚 More for the full explanation. Other buttons: "
        "📖 text of the article, 📄 formal version (for an official memo), 👍/👎 feedback.\n"
        "• Photos or videos with a question in the caption are answered; edited messages are "
        "answered again.\n"
        "• <b>Netra admins:</b> send a document with the caption <code>ingest</code> to add it "
        "to the knowledge base.\n\n"
        "Commands: /start, /help, /tentang, /sumber, /tanya"
    ),
    "NON_TEXT": (
        "🙂 Sorry, I can only read text messages (and .txt files with a list of questions). "
        "Write your question about civil servants' political neutrality, e.g. <i>“May a civil "
        "servant take a photo with a candidate?”</i>"
    ),
    "RATE_LIMITED": (
        "⏳ Sorry, I did not answer your last {count} messages: they went over the limit of "
        "{limit} questions per minute:\n{questions}\n\nPlease send them again in {seconds} "
        "seconds."
    ),
    "LONG_MESSAGE": (
        "✂️ <i>Your message is long ({length} characters). I answered the question(s) I found "
        "in it; the other {skipped} characters (introduction, quotes) were not read as "
        "questions. If they hold another question, send it separately.</i>"
    ),
    "TRUNCATED": (
        "✂️ <i>Your message is very long; I only read its first {limit} characters. For many "
        "questions at once, send a numbered list or a .txt file.</i>"
    ),
    "ERROR": (
        "😔 Sorry, something went wrong while handling your message. Please try again in a "
        "moment. If it keeps happening, tell the Netra maintainers."
    ),
    "EXPIRED": "This answer has expired. Please send the question again.",
    "MORE": "📚 More",
    "PROVISIONS": "📖 Article text",
    "FORMAL": "📄 Formal version",
    "EDITED_PREFACE": "✏️ <i>Answer to the message you edited:</i>",
    "FEEDBACK_THANKS": "Thank you for the feedback!",
    "ADMIN_ONLY": "Sorry, this command is for Netra admins only.",
    "DOCUMENT_NOT_ALLOWED": (
        "Sorry, only Netra admins can add documents to the knowledge base. To ask many "
        "questions at once, send a <code>.txt</code> file with a list of questions."
    ),
    "UNKNOWN_COMMAND": "I do not know that command. Type /help to see the available ones.",
    "TANYA_EMPTY": (
        "Write the question after the command, e.g. "
        "<code>/tanya may a civil servant join a campaign?</code>"
    ),
    "FORWARDED_PREFACE": (
        "📨 <b>Forwarded question</b> (original sender: {sender})\n"
        "<i>{question}</i>\n\n"
        "Here is the answer for the HR officer:"
    ),
    "BATCH_CUT": (
        "✂️ You sent {total} questions; I answered only the first {limit}. Send the other "
        "{rest} in a separate message or file."
    ),
    "BATCH_INTRO": "🗂 I received <b>{count}</b> questions; here are the answers one by one.",
    "BATCH_DOCUMENT": (
        "🗂 The answers to <b>{count}</b> questions are long, so I am sending them as a file. "
        "Summary:\n{summary}"
    ),
    "ADMIN_DOCUMENT_CHOICE": (
        "📄 The file <b>{name}</b> came without a caption. What should I do with it?\n"
        "• <b>Add it to the knowledge base</b> (ingest) — or send it again with the caption "
        "<code>ingest</code>;\n"
        "• <b>Answer its contents</b> as a list of questions."
    ),
    "ADMIN_INGEST_BUTTON": "📥 Add to the knowledge base",
    "ADMIN_ANSWER_BUTTON": "❓ Answer its contents",
    "DOCUMENT_EXPIRED": "The choice for this file has expired; send the file again.",
    "FILE_TOO_LARGE": "The file is too large; send at most 256 KB of text.",
    "PROVISION_MISSING": "The text of this provision is not available.",
    "PROVISION_OFFICIAL": "official wording, from an ingested document",
    "PROVISION_OURS": "a summary of its content in Netra's words — not the official wording",
    "OFFICIAL_TEXT_AT": "Official text: {url}",
    "NO_PROVISIONS": "This answer cites no article.",
    "ABOUT": (
        "<b>About Netra</b>\n\n"
        "Netra answers questions about the political neutrality of civil servants (ASN) in "
        "elections with a verdict (allowed / not allowed / allowed with conditions) and the "
        "article of law it rests on. Answers come from a curated knowledge base: statements of "
        "the regulations' content in our own words, checked against the official texts, plus "
        "ingested official documents and notes from socialisation events. When it is not sure, "
        "Netra says so and suggests asking BKPSDM or Bawaslu.\n\n"
        "📚 Regulations: {regulations} · ingested documents: {documents}\n"
        "🔖 Knowledge version: <code>{version}</code>\n"
        "List of regulations: /sumber\n\n"
        "<i>{disclaimer}</i>"
    ),
    "SOURCES_REGULATIONS": "<b>Regulations Netra knows</b>",
    "SOURCES_DOCUMENTS": "<b>Ingested documents (official texts/transcripts)</b>",
    "SOURCES_TRANSCRIPT": "socialisation transcript",
    "SOURCES_OFFICIAL": "official text",
    "SOURCES_DOCUMENT": "document",
    "SOURCES_MORE": "… and {n} other documents",
    "SOURCES_LEGEND": "🟢 in force · 🟡 amended · 🔴 revoked",
    "NO_QUESTIONS_IN_FILE": "I found no questions in that file.",
}


def t(name: str, en: bool = False) -> str:
    """The fixed text ``name`` in English for English users, else in Indonesian."""
    if en and name in EN:
        return EN[name]
    value = globals()[name]
    assert isinstance(value, str)
    return value
