"""Socialisation transcripts: boilerplate removal, metadata, chunks with speakers (real seeds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.transcripts import parse_date, parse_transcript, strip_boilerplate
from tests.ingest_fixtures import seeds_dir


def seed(prefix: str):  # type: ignore[no-untyped-def]
    path = next(seeds_dir().glob(f"{prefix}_*.txt"))
    return parse_transcript(path.read_text(encoding="utf-8"), fallback_title=path.stem)


def test_seed_000_probolinggo() -> None:
    t = seed("000")
    assert t.place == "Probolinggo"
    assert t.date == "2023-11-09"
    assert t.title.startswith("Menjadi Narasumber Sosialisasi Netralitas ASN, Putut")
    assert t.organiser and "Kota Probolinggo" in t.organiser
    assert "Putut Gunawarman" in t.speakers
    quoted = [c for c in t.chunks if c.speaker]
    assert quoted and all(c.speaker == "Putut" for c in quoted)
    body = "\n".join(t.paragraphs)
    assert "Penulis:" not in body and "Fotografer:" not in body
    assert not any(p.strip() in {"Tag", "Umum", "|"} for p in t.paragraphs)


def test_seed_001_sangatta_comment_form_removed() -> None:
    t = seed("001")
    assert t.place == "Sangatta"
    assert t.date is None and t.date_partial is None  # the report gives no date
    body = "\n".join(t.paragraphs)
    for junk in ("Tinggalkan Balasan", "Alamat email", "banner 1024x768", "Ruas yang wajib"):
        assert junk not in body
    assert any(c.speaker == "Poniso" for c in t.chunks)


def test_seed_002_partial_date() -> None:
    t = seed("002")
    assert t.date is None
    assert t.date_partial == "01-28"  # "Selasa (28/1)": no year in the text
    assert t.place == "Kota Pasuruan"
    assert t.organiser == "Bawaslu Kota Pasuruan"
    assert "Anas" in t.speakers


def test_seed_003_speakers_without_degrees() -> None:
    t = seed("003")
    assert t.place == "Surabaya"
    assert t.date_partial == "05-25"
    assert t.speakers == ["Eddy Supriyanto", "Nur Elya Anggraini", "Gogot Cahyo Baskoro"]
    assert {c.speaker for c in t.chunks if c.speaker} == set(t.speakers)


def test_seed_004_lumajang_ads_removed() -> None:
    t = seed("004")
    assert t.place == "Lumajang"
    assert t.date == "2024-05-15"
    assert t.title.startswith("Jelang Pilkada Serentak Tahun 2024")
    assert "Iklan" not in t.paragraphs
    assert all(p.strip() != "," for p in t.paragraphs)
    assert t.organiser == "Pemerintah Kabupaten Lumajang"


def test_chunks_overlap_and_stay_small() -> None:
    long_text = "Judul Acara\n\n" + "\n\n".join(
        f"Paragraf {i} berisi kalimat yang cukup panjang tentang netralitas ASN. " * 6
        for i in range(12)
    )
    t = parse_transcript(long_text, fallback_title="x")
    assert len(t.chunks) > 3
    assert all(len(c.text) <= 900 for c in t.chunks)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kamis, 9 November 2023 di aula", ("2023-11-09", None)),
        ("pada Kamis (09/11/2023).", ("2023-11-09", None)),
        ("Selasa (28/1) pagi", (None, "01-28")),
        ("15 Mei 2024, 19.24 WIB", ("2024-05-15", None)),
        ("tanpa tanggal", (None, None)),
    ],
)
def test_indonesian_dates(text: str, expected: tuple[str | None, str | None]) -> None:
    assert parse_date(text)[:2] == expected


def test_boilerplate_lines() -> None:
    lines, removed = strip_boilerplate(
        "Judul\nIklan\nBaca juga: Berita lain\nBagikan\nTags\npemilu\nASN\n\nIsi berita yang asli.\n"
        "Tinggalkan Balasan\n"
    )
    assert lines == ["Judul", "Isi berita yang asli."]
    assert removed >= 6


def test_html_page(tmp_path: Path) -> None:
    from ingest.loaders import load_document

    page = tmp_path / "berita.html"
    page.write_text(
        "<html><head><title>Sosialisasi Netralitas</title><script>var x=1;</script></head>"
        "<body><nav>Beranda | Berita</nav><article><h1>Sosialisasi Netralitas</h1>"
        "<p>MALANG – Bawaslu menggelar sosialisasi pada Senin, 2 Oktober 2023.</p>"
        "<p>“ASN wajib netral,” kata Budi Santoso.</p></article>"
        "<footer>Hak cipta</footer></body></html>",
        encoding="utf-8",
    )
    text = load_document(page).text
    assert "var x" not in text and "Beranda" not in text and "Hak cipta" not in text
    t = parse_transcript(text, fallback_title="berita")
    assert t.title == "Sosialisasi Netralitas"
    assert t.date == "2023-10-02"
    assert t.place == "Malang"
    assert t.chunks[0].speaker == "Budi Santoso"
