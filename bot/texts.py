"""User-facing fixed texts (Indonesian), kept apart from the handler logic."""

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
    "• Tombol di bawah jawaban: 📖 bunyi pasal, 📄 versi formal (untuk nota dinas), 👍/👎 "
    "masukan.\n\n"
    "Perintah: /start, /help, /tentang, /sumber, /tanya"
)

NON_TEXT = (
    "🙂 Maaf, saya hanya bisa membaca pesan teks (dan berkas .txt berisi daftar pertanyaan). "
    "Tulis pertanyaan Anda tentang netralitas ASN, misalnya: <i>“Bolehkah PNS foto bersama "
    "calon kepala daerah?”</i>"
)

RATE_LIMITED = (
    "⏳ Maaf, pertanyaan Anda terlalu banyak dalam satu menit. Silakan coba lagi dalam "
    "{seconds} detik."
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
BATCH_INTRO = "🗂 Saya menerima <b>{count}</b> pertanyaan; berikut jawabannya satu per satu."
BATCH_DOCUMENT = (
    "🗂 Jawaban atas <b>{count}</b> pertanyaan cukup panjang, jadi saya kirim sebagai berkas. "
    "Ringkasan:\n{summary}"
)
