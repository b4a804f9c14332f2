"""Indonesian text normalisation for lexical retrieval and question analysis.

Users write "min aku pns, boleh ga sih like postingan capres di ig?"; regulations write
"PNS dilarang memberikan dukungan kepada calon Presiden". Normalising both sides the same way
(slang and abbreviations expanded, affixes stemmed with Sastrawi, stop words dropped, unknown words
mapped to the closest known word) lets BM25 match them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from knowledge.recent import Recent

# Slang, abbreviations and English words mapped to the vocabulary of the regulations.
# Values may hold several words; they are tokenised again after expansion.
SLANG: dict[str, str] = {
    # negation, question and filler words
    "gk": "tidak",
    "ga": "tidak",
    "gak": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "tdk": "tidak",
    "tak": "tidak",
    "ndak": "tidak",
    "kagak": "tidak",
    "gpp": "tidak apa",
    "bole": "boleh",
    "blh": "boleh",
    "bolh": "boleh",
    "bleh": "boleh",
    "yg": "yang",
    "dgn": "dengan",
    "dg": "dengan",
    "utk": "untuk",
    "untk": "untuk",
    "kl": "kalau",
    "klo": "kalau",
    "kalo": "kalau",
    "kalu": "kalau",
    "jd": "jadi",
    "sy": "saya",
    "aku": "saya",
    "gw": "saya",
    "gue": "saya",
    "sya": "saya",
    "sm": "sama",
    "sama2": "sama",
    "trs": "terus",
    "trus": "terus",
    "krn": "karena",
    "pd": "pada",
    "dr": "dari",
    "dri": "dari",
    "tp": "tapi",
    "tpi": "tapi",
    "gmn": "bagaimana",
    "gimana": "bagaimana",
    "gmna": "bagaimana",
    "bgmn": "bagaimana",
    "knp": "kenapa",
    "apakah": "apa",
    "bs": "bisa",
    "bsa": "bisa",
    "udh": "sudah",
    "udah": "sudah",
    "sdh": "sudah",
    "blm": "belum",
    "lg": "lagi",
    "aja": "saja",
    "doang": "saja",
    "bgt": "sangat",
    "kok": "",
    "sih": "",
    "dong": "",
    "nih": "",
    "deh": "",
    "ya": "",
    "yah": "",
    "min": "",
    "kak": "",
    "gan": "",
    "bro": "",
    "org": "orang",
    "tmn": "teman",
    "temen": "teman",
    "ikutan": "ikut",
    "ngikut": "ikut",
    "dtg": "datang",
    "dateng": "datang",
    "hadir": "hadir",
    "nonton": "menonton",
    # people and offices
    "pns": "pns pegawai negeri sipil",
    "asn": "asn aparatur sipil negara",
    "cpns": "cpns calon pegawai negeri sipil",
    "p3k": "pppk",
    "pppk": "pppk",
    "honorer": "honorer non asn",
    "ppnpn": "ppnpn non asn",
    "thl": "honorer non asn",
    "bkpsdm": "bkpsdm kepegawaian",
    "bkd": "bkd kepegawaian",
    "kasn": "kasn komisi",
    "kades": "kepala desa",
    "kadis": "kepala dinas",
    "sekda": "sekretaris daerah",
    "pj": "penjabat",
    # elections and candidates
    "caleg": "calon anggota legislatif",
    "capres": "calon presiden",
    "cawapres": "calon wakil presiden",
    "paslon": "pasangan calon",
    "cakada": "calon kepala daerah",
    "cagub": "calon gubernur",
    "cabup": "calon bupati",
    "cawalkot": "calon walikota",
    "cawali": "calon walikota",
    "bacaleg": "bakal calon legislatif",
    "balon": "bakal calon",
    "nyaleg": "mencalonkan calon anggota legislatif",
    "nyalon": "mencalonkan calon",
    "pilpres": "pemilu presiden",
    "pileg": "pemilu legislatif",
    "pilkada": "pilkada pemilihan kepala daerah",
    "pemilu": "pemilu pemilihan umum",
    "pilbup": "pilkada bupati",
    "pilgub": "pilkada gubernur",
    "pilwali": "pilkada walikota",
    "timses": "tim sukses kampanye",
    "jurkam": "juru kampanye",
    "parpol": "partai politik",
    "tps": "tps tempat pemungutan suara",
    "kpps": "kpps penyelenggara pemilu",
    "dpt": "daftar pemilih",
    "nyoblos": "mencoblos memilih",
    "coblos": "mencoblos memilih",
    "golput": "tidak memilih",
    # social media
    "medsos": "media sosial",
    "sosmed": "media sosial",
    "ig": "instagram media sosial",
    "fb": "facebook media sosial",
    "tiktok": "tiktok media sosial",
    "twitter": "twitter media sosial",
    "wa": "whatsapp",
    "wag": "grup whatsapp",
    "grup": "grup",
    "group": "grup",
    "ngelike": "suka like",
    "nge-like": "suka like",
    "like": "suka like",
    "likes": "suka like",
    "ngelaik": "suka like",
    "laik": "suka like",
    "love": "suka like",
    "komen": "komentar",
    "ngomen": "komentar",
    "coment": "komentar",
    "comment": "komentar",
    "share": "bagikan share",
    "ngeshare": "bagikan share",
    "nge-share": "bagikan share",
    "repost": "bagikan share",
    "retweet": "bagikan share",
    "forward": "teruskan bagikan",
    "follow": "ikuti follow",
    "ngefollow": "ikuti follow",
    "subscribe": "ikuti follow",
    "pfp": "foto profil",
    "bacalon": "bakal calon",
    "bacabup": "bakal calon bupati",
    "bacagub": "bakal calon gubernur",
    "bacawali": "bakal calon walikota",
    "independen": "independen perseorangan",
    "polling": "tps pemungutan suara",
    "station": "",
    "ballot": "surat suara",
    "witness": "saksi",
    "volunteer": "relawan",
    "rallies": "kampanye",
    "posts": "unggah postingan",
    "jempol": "suka like",
    "emoji": "suka like",
    "emot": "suka like",
    "reaksi": "suka like",
    "react": "suka like",
    "ngereact": "suka like",
    "ngonten": "konten",
    "kampanyein": "kampanye",
    "kampanyekan": "kampanye",
    "hukdis": "hukuman disiplin",
    "dipecat": "diberhentikan",
    "pecat": "berhenti",
    "ngerahin": "mengerahkan",
    "ngerahkan": "mengerahkan",
    "nyuruh": "suruh perintah",
    "ngajak": "ajak",
    "ngajakin": "ajak",
    "mobdin": "kendaraan dinas",
    "randis": "kendaraan dinas",
    "sembako": "sembako bantuan barang",
    "amplop": "uang",
    "nyumbang": "sumbang",
    "twibon": "twibbon",
    "story": "unggahan",
    "upload": "unggah",
    "posting": "unggah postingan",
    "post": "unggah postingan",
    "postingan": "unggahan postingan",
    "selfie": "foto",
    "wefie": "foto",
    "pose": "gaya foto",
    "baliho": "baliho spanduk",
    # English
    "civil": "",
    "servant": "asn",
    "servants": "asn",
    "allowed": "boleh",
    "may": "boleh",
    "can": "boleh",
    "campaign": "kampanye",
    "campaigning": "kampanye",
    "rally": "kampanye",
    "candidate": "calon",
    "candidates": "calon",
    "party": "partai",
    "vote": "memilih",
    "voting": "memilih",
    "election": "pemilu",
    "elections": "pemilu",
    "leave": "cuti",
    "spouse": "suami istri",
    "wife": "istri",
    "husband": "suami",
    "photo": "foto",
    "picture": "foto",
    "sanction": "sanksi",
    "sanctions": "sanksi",
    "punishment": "sanksi",
    "report": "lapor",
    "member": "anggota",
    "join": "ikut",
    "attend": "hadir",
    "support": "dukung",
    "donate": "sumbang",
    "donation": "sumbangan",
    "facility": "fasilitas",
    "facilities": "fasilitas",
    "official": "dinas",
    "uniform": "seragam",
    "office": "kantor",
    "neutral": "netral",
    "neutrality": "netralitas",
    "regulation": "peraturan",
    "article": "pasal",
}

STOPWORDS: frozenset[str] = frozenset(
    [
        "yang",
        "dan",
        "di",
        "ke",
        "dari",
        "untuk",
        "pada",
        "dengan",
        "atau",
        "ini",
        "itu",
        "adalah",
        "dalam",
        "akan",
        "tidak",
        "apa",
        "bisa",
        "saya",
        "kami",
        "kita",
        "anda",
        "kamu",
        "dia",
        "mereka",
        "ada",
        "juga",
        "sudah",
        "lagi",
        "saja",
        "kalau",
        "jika",
        "maka",
        "agar",
        "supaya",
        "oleh",
        "sebagai",
        "karena",
        "sangat",
        "bagaimana",
        "kenapa",
        "mengapa",
        "tolong",
        "mohon",
        "terima",
        "kasih",
        "halo",
        "hai",
        "pak",
        "bu",
        "ibu",
        "bapak",
        "mas",
        "mbak",
        "selamat",
        "pagi",
        "siang",
        "sore",
        "malam",
        "tanya",
        "nanya",
        "mau",
        "ingin",
        "terus",
        "sama",
        "the",
        "a",
        "an",
        "is",
        "are",
        "to",
        "of",
        "in",
        "on",
        "for",
        "and",
        "or",
        "do",
        "does",
        "did",
        "i",
        "my",
        "me",
        "we",
        "our",
        "you",
        "your",
        "it",
        "this",
        "that",
        "be",
        "been",
        "with",
        "as",
        "at",
        "by",
        "if",
        "about",
        "what",
        "how",
        "when",
        "should",
        "would",
        "could",
        "please",
        "hi",
        "hello",
    ]
)


def _fingerprint() -> str:
    """Changes whenever tokenisation would: cached BM25 tokens carry it and are rebuilt if stale."""
    import hashlib

    material = repr((sorted(SLANG.items()), sorted(STOPWORDS), _TOKENIZER_REVISION))
    return hashlib.sha256(material.encode()).hexdigest()[:16]


_TOKENIZER_REVISION = 2
_WORD = re.compile(r"[a-z0-9]+(?:[-/][a-z0-9]+)*")
_REPEAT = re.compile(r"(.)\1{2,}")
_stemmer = StemmerFactory().create_stemmer()


def fold(text: str) -> str:
    """Lower-case, strip accents and zero-width characters, collapse repeated letters."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u200b", "").replace("\u200c", "").replace("\u200d", "")
    return _REPEAT.sub(r"\1\1", text.lower())


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Sastrawi stem of one word (cached: stemming is the slow part of tokenising)."""
    if len(word) <= 3 or not word.isalpha():
        return word
    return str(_stemmer.stem(word)) or word


def expand(words: Iterable[str]) -> list[str]:
    """Replace slang/abbreviations/English by regulation vocabulary."""
    out: list[str] = []
    for word in words:
        replacement = SLANG.get(word)
        if replacement is None and "-" in word and word.replace("-", "") in SLANG:
            replacement = SLANG[word.replace("-", "")]
        if replacement is None:
            out.append(word)
        elif replacement:
            out.extend(replacement.split())
    return out


# "pp fb" / "dp wa" is a profile picture, while "PP 94/2021" is a government regulation.
_PROFILE_PICTURE = re.compile(
    r"\b(pp|dp|poto profil|profpic)\s+(?=(fb|ig|wa|facebook|instagram|whatsapp|tiktok|twitter|medsos)\b)"
)


def words(text: str) -> list[str]:
    """Folded words of ``text``, with reduplication (``calon-calon``) collapsed."""
    result = []
    for word in _WORD.findall(_PROFILE_PICTURE.sub("foto profil ", fold(text))):
        if "-" in word:
            left, _, right = word.partition("-")
            if left == right:
                word = left
        result.append(word)
    return result


def tokens(text: str) -> list[str]:
    """Tokens for BM25: words, slang expanded, stop words dropped, stemmed."""
    result = []
    for word in expand(words(text)):
        for part in (
            word.split("-") if "-" in word and not word.replace("-", "").isdigit() else [word]
        ):
            if part and part not in STOPWORDS:
                result.append(stem(part))
    return result


class TypoCorrector:
    """Maps unknown query tokens to the closest vocabulary token (edit distance <= 1 or 2).

    Built from the index vocabulary; candidate lookup is bucketed by first letter and length so
    a query costs microseconds, not a scan of the vocabulary.
    """

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.vocabulary = {v for v in vocabulary if len(v) >= 4 and v.isalpha()}
        self._buckets: dict[tuple[str, int], list[str]] = {}
        for word in self.vocabulary:
            self._buckets.setdefault((word[0], len(word)), []).append(word)
        self._seen: Recent[str, str] = Recent(50_000)  # unknown words recur: correct each once

    def correct(self, token: str) -> str:
        if len(token) < 5 or token in self.vocabulary or not token.isalpha():
            return token
        closest = self._seen.get(token)
        if closest is None:
            closest = self._closest(token)
            self._seen.put(token, closest)
        return closest

    def _closest(self, token: str) -> str:
        limit = 1 if len(token) < 8 else 2
        best, best_distance = token, limit + 1
        for length in range(len(token) - limit, len(token) + limit + 1):
            for candidate in self._buckets.get((token[0], length), ()):
                distance = _bounded_distance(token, candidate, limit)
                if distance < best_distance:
                    best, best_distance = candidate, distance
        return best

    def __call__(self, query_tokens: list[str]) -> list[str]:
        return [self.correct(t) for t in query_tokens]


def _bounded_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


ENGLISH_HINTS = frozenset(
    [
        "the",
        "is",
        "are",
        "can",
        "may",
        "allowed",
        "civil",
        "servant",
        "servants",
        "what",
        "how",
        "should",
        "my",
        "i",
        "am",
        "we",
        "does",
        "do",
        "campaign",
        "candidate",
        "party",
        "vote",
        "election",
        "if",
    ]
)
INDONESIAN_HINTS = frozenset(
    [
        "yang",
        "boleh",
        "bolehkah",
        "tidak",
        "apa",
        "saya",
        "aku",
        "kalau",
        "gimana",
        "gmn",
        "dengan",
        "untuk",
        "ikut",
        "jadi",
        "pns",
        "asn",
        "ga",
        "gak",
        "gk",
        "dan",
        "di",
        "ke",
        "sih",
        "kah",
    ]
)


def is_english(text: str) -> bool:
    """Rough language guess: English when English function words dominate."""
    found = words(text)
    english = sum(1 for w in found if w in ENGLISH_HINTS)
    indonesian = sum(1 for w in found if w in INDONESIAN_HINTS)
    return english >= 2 and english > indonesian


TOKENIZER_ID = _fingerprint()
