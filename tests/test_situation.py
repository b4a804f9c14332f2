"""Reading a question as a situation, and the decision that filters retrieval's candidates by it.
Fast: no embedding model (the rulings come from the packaged catalogue, scores are made up)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from knowledge.decision import Decision, DecisionConfig, also_answering, decide
from knowledge.models import Ruling
from knowledge.pack import KnowledgePack, load_pack
from knowledge.situation import read_situation


@pytest.fixture(scope="module")
def pack() -> KnowledgePack:
    return load_pack()


@dataclass
class Scored:
    ruling: Ruling


def ranked(pack: KnowledgePack, *ids: str) -> list[Scored]:
    return [Scored(pack.rulings_by_id[i]) for i in ids]


def decide_between(pack: KnowledgePack, question: str, *ids: str) -> Decision:
    """The decision for ``question`` when retrieval ranked the rulings ``ids`` in that order."""
    situation = read_situation(question, pack.lexicon)
    return decide(ranked(pack, *ids), situation, pack.facets, pack.lexicon, DecisionConfig())


@pytest.mark.parametrize(
    ("question", "actor"),
    [
        ("saya pensiunan PNS, boleh jadi timses?", "pensiunan"),
        ("Saya polwan aktif, boleh share debat capres?", "tni_polri"),
        ("PNS boleh kampanye di lapangan asrama TNI?", "pns"),  # the subject comes first
        ("saya PPPK guru, boleh like postingan caleg?", "pppk"),
        ("sudah lulus seleksi CPNS tapi belum terima SK, boleh ikut kampanye?", "pelamar"),
        ("tenaga honorer di kelurahan boleh kampanye?", "honorer"),
        ("Bupati kami mau ikut kampanye paslon gubernur", "kepala_daerah"),
        ("boleh ikut kampanye calon bupati?", None),  # a candidate, not a regional head
        ("sy pegawai BUMD, boleh jadi relawan paslon?", "warga"),
        ("as a foreign national living in Bali, may I attend a rally?", "warga"),
    ],
)
def test_actor(pack: KnowledgePack, question: str, actor: str | None) -> None:
    assert read_situation(question, pack.lexicon).actor == actor


@pytest.mark.parametrize(
    ("question", "target"),
    [
        ("boleh share poster KPU soal jadwal coblosan?", "organiser"),
        ("posting ajakan ke TPS tanpa menyebut calon, boleh?", "neutral"),
        ("istri saya nyaleg, boleh saya dampingi?", "family_candidate"),
        ("pns like postingan caleg", "candidate"),
        # Saying a candidate is absent names none; naming one outside that clause does.
        ("pasang banner ayo ke TPS, tidak ada gambar caleg", "neutral"),
        ("boleh pasang banner di pagar kantor?", None),
        ("posting story 'jangan pilih paslon 1' boleh?", "candidate"),  # against one: about it
        ("komen 'pilih no 3 aja' di tiktok caleg boleh?", "candidate"),  # "no 3": a number
        ("bikin konten tiktok pakai lagu kampanye capres, ga sebut nama, aman?", "candidate"),
        ("may I post 'go vote' without naming any candidate or party?", "neutral"),
    ],
)
def test_target(pack: KnowledgePack, question: str, target: str) -> None:
    assert read_situation(question, pack.lexicon).target == target


def test_negated_acts_are_not_acts(pack: KnowledgePack) -> None:
    acts = read_situation(
        "hadir di kampanye istri, tanpa atribut dan tanpa orasi", pack.lexicon
    ).acts
    assert "attend_campaign" in acts
    assert not acts & {"attributes", "speaker"}
    # "boleh gak ..." is a question tag, not a negation
    assert "like" in read_situation("boleh gak like postingan caleg?", pack.lexicon).acts


def test_ppk_is_the_election_body_only_in_context(pack: KnowledgePack) -> None:
    assert read_situation("izin PPK dulu baru boleh?", pack.lexicon).role is None
    assert read_situation("saya jadi anggota PPK kecamatan", pack.lexicon).role == "adhoc_body"


def test_an_act_no_candidate_holds_is_not_covered(pack: KnowledgePack) -> None:
    decision = decide_between(
        pack,
        "pns boleh datang ke resepsi nikah anak caleg?",
        "ikut-kampanye-calon",
        "like-unggahan-calon",
    )
    assert decision.best is None and decision.not_covered


@pytest.mark.parametrize(
    ("question", "permission", "applies"),
    [
        # Unpaid leave to accompany a spouse: the permission needs the candidate in the family.
        (
            "istri saya nyaleg, saya ambil CLTN untuk mendampinginya",
            "dampingi-pasangan-calon-cltn",
            True,
        ),
        (
            "saya ambil CLTN buat ikut kampanye caleg tetangga",
            "dampingi-pasangan-calon-cltn",
            False,
        ),
        # Serving a candidate "like any citizen" needs the public-service role.
        (
            "dokter puskesmas memeriksa caleg yang berobat seperti pasien lain",
            "melayani-calon-sebagai-warga",
            True,
        ),
        ("boleh saya bantu caleg bagi sembako?", "melayani-calon-sebagai-warga", False),
        # A retiree's freedom is not a serving PNS's.
        ("saya pensiunan PNS, boleh jadi timses?", "pensiunan-pns-ikut-kampanye", True),
        ("saya PNS, boleh jadi timses?", "pensiunan-pns-ikut-kampanye", False),
        # A name used without consent, not joining a party.
        ("nama saya dicatut jadi anggota partai di sipol", "nama-dicatut-keanggotaan-partai", True),
        ("saya mau daftar jadi anggota partai", "nama-dicatut-keanggotaan-partai", False),
    ],
)
def test_a_permission_applies_only_where_it_says(
    pack: KnowledgePack, question: str, permission: str, applies: bool
) -> None:
    situation = read_situation(question, pack.lexicon)
    assert pack.facets[permission].applies_to(situation) is applies


def test_explicit_facets_are_checked_against_the_vocabulary(pack: KnowledgePack) -> None:
    from knowledge.situation import facet_problems

    ruling = pack.rulings_by_id["menggunakan-hak-pilih"]
    typo = ruling.model_copy(
        update={"facets": {"requires_acts": ["vot"], "colour": ["x"], "excludes_acts": ["shcool"]}}
    )
    problems = facet_problems(typo, pack.lexicon)
    assert any("'vot'" in p for p in problems) and any("'colour'" in p for p in problems)
    assert any("excludes_acts names unknown 'shcool'" in p for p in problems)
    assert facet_problems(ruling, pack.lexicon) == []


def test_an_act_named_inside_another_is_that_other(pack: KnowledgePack) -> None:
    inviting = read_situation("suami saya caleg, boleh saya ajak tetangga milih dia?", pack.lexicon)
    assert "invite_vote" in inviting.acts and "vote" not in inviting.acts
    both = read_situation(
        "boleh saya ajak tetangga datang ke acara suami? nanti pas hari H saya sendiri tetap nyoblos",
        pack.lexicon,
    )
    assert "vote" in both.acts


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("sy boleh lapor atasan yg kampanye terang2an ga?", "may_i_report"),
        ("am I allowed to report my boss who campaigns at work?", "may_i_report"),
        ("ke mana saya bisa melaporkan kadis yang mengarahkan staf?", "report"),
    ],
)
def test_asking_leave_to_report_is_not_asking_where(
    pack: KnowledgePack, question: str, asks: str
) -> None:
    assert read_situation(question, pack.lexicon).asks == asks


@pytest.mark.parametrize(
    ("question", "permission"),
    [
        (
            "sy kabag umum, tim caleg A minta pinjam aula pemda buat kampanye, partai lain sy tolak",
            "izinkan-kampanye-di-fasilitas-pemerintah",
        ),
        (
            "sy kepala SMP negeri, boleh izinkan caleg kampanye di aula sekolah hari minggu?",
            "izinkan-kampanye-di-fasilitas-pemerintah",
        ),
        (
            "pns mau nyalon bupati, tetap kerja sebagai PNS sampai penetapan hasil, boleh?",
            "calon-kepala-daerah-asn",
        ),
        (
            "pengunduran diri sy ditangguhkan krn ada pemeriksaan, boleh masuk partai skrg?",
            "masuk-partai-setelah-ajukan-pengunduran-diri",
        ),
    ],
)
def test_a_permission_does_not_apply_when_the_question_breaks_its_condition(
    pack: KnowledgePack, question: str, permission: str
) -> None:
    situation = read_situation(question, pack.lexicon)
    assert situation.acts & pack.facets[permission].excludes
    assert not pack.facets[permission].applies_to(situation)


def test_bagi_as_a_preposition_is_not_sharing(pack: KnowledgePack) -> None:
    assert (
        "share" not in read_situation("sosialisasi netralitas bagi seluruh ASN", pack.lexicon).acts
    )
    assert "share" in read_situation("boleh bagiin link kampanye caleg?", pack.lexicon).acts


@pytest.mark.parametrize(
    ("question", "ranked", "expected"),
    [
        # a ruling about another situation is dropped
        (
            "boleh repost unggahan KPU tentang jadwal pemungutan suara?",
            ("share-unggahan-calon", "bagikan-info-resmi-kpu"),
            "bagikan-info-resmi-kpu",
        ),
        # a permission for one part does not license another
        (
            "boleh nonton debat capres di rumah lalu pasang twibbon paslon di foto profil?",
            ("nonton-debat-kandidat", "foto-profil-twibbon-calon"),
            "dilarang",
        ),
        # a retiree ruling needs a retiree
        (
            "sy pensiun bulan depan, boleh mulai jadi timses sekarang?",
            ("pensiunan-pns-ikut-kampanye", "jadi-tim-kampanye-pemilu"),
            "jadi-tim-kampanye-pemilu",
        ),
        # the conduct of the person reported is not the asker's
        (
            "sy boleh lapor ke bawaslu soal kadis yg ngerahin staf ke kampanye?",
            ("lapor-pelanggaran-netralitas", "mengerahkan-pns-ke-kampanye"),
            "lapor-pelanggaran-netralitas",
        ),
        # a question naming only the scene: a permission holding every act it names answers
        (
            "PNS boleh pakai hak suaranya di TPS pas hari pencoblosan?",
            ("saksi-peserta-pemilu-di-tps", "menggunakan-hak-pilih"),
            "menggunakan-hak-pilih",
        ),
        # a ruling made for the situation answers before the general one, whatever its verdict
        (
            "asn boleh jd anggota organisasi pemuda binaan partai? ga punya kta partainya",
            ("jadi-anggota-partai", "anggota-organisasi-sayap-partai"),
            "anggota-organisasi-sayap-partai",
        ),
        # a permission has nothing to explain when only the scene (voting, an office) is named
        (
            "my supervisor told the whole office to vote for a certain candidate, allowed?",
            ("mengajak-bawahan-memilih-calon", "menggunakan-hak-pilih"),
            "dilarang",
        ),
    ],
)
def test_the_decision_between_ranked_rulings(
    pack: KnowledgePack, question: str, ranked: tuple[str, ...], expected: str
) -> None:
    """``expected`` is the ruling that answers, or the verdict when it is "dilarang"."""
    best = decide_between(pack, question, *ranked).best
    assert best is not None
    assert expected in (best.ruling.id, best.ruling.verdict)


def test_a_ruling_holding_the_act_is_found_below_the_first_candidates(pack: KnowledgePack) -> None:
    """Retrieval ranks by wording: when none of the first candidates holds the question's act,
    one further down that holds it answers rather than "not covered"."""
    family = {"campaign_team", "volunteer", "speaker"}
    unrelated = [r.id for r in pack.rulings if not pack.facets[r.id].acts & family][:12]
    question = "can a civil servant volunteer for a candidate?"
    assert decide_between(pack, question, *unrelated).best is None
    best = decide_between(pack, question, *unrelated, "jadi-relawan-calon").best
    assert best is not None and best.ruling.id == "jadi-relawan-calon"


def test_campaigning_is_read_with_its_prefixes(pack: KnowledgePack) -> None:
    for question in ("pns yang cltn boleh berkampanye?", "boleh ngampanyein caleg?"):
        assert "attend_campaign" in read_situation(question, pack.lexicon).acts, question


def test_abbreviations_are_read_spelled_out(pack: KnowledgePack) -> None:
    """The vocabulary is written in standard spelling; "jd caleg" is "jadi caleg"."""
    assert "jd" in pack.lexicon.abbreviations
    assert "candidacy" in read_situation("pppk mau jd caleg, syaratnya apa", pack.lexicon).acts


def test_most_of_a_narrow_rulings_own_examples_show_what_it_requires(pack: KnowledgePack) -> None:
    """A ruling that states when it applies (``requires_*``) should be recognised in its own
    example phrasings; each miss is a vocabulary gap (or a contrast example). Guards the share."""
    narrow = [r for r in pack.rulings if pack.facets[r.id].requires]
    shown = [
        pack.facets[r.id].applies_to(read_situation(e, pack.lexicon))
        for r in narrow
        for e in r.examples
    ]
    assert len(shown) > 200
    assert sum(shown) / len(shown) >= 0.8


@pytest.mark.parametrize(
    "question",
    [
        "sy pns, boleh bantu kampanye sepupu yg maju pilkades?",
        "can a civil servant put up a banner for a village head candidate?",
    ],
)
def test_a_village_head_election_is_answered_only_by_its_own_rulings(
    pack: KnowledgePack, question: str
) -> None:
    """The general campaign bans name candidates for President, parliament and regional head: a
    village-head election is under the Villages law, so only a ruling that holds it answers (and
    without one, none does)."""
    general = ("ikut-kampanye-calon", "pasang-spanduk-baliho-calon", "jadi-tim-kampanye-pemilu")
    assert decide_between(pack, question, *general).best is None
    best = decide_between(pack, question, *general, "dukung-calon-kepala-desa").best
    assert best is not None and best.ruling.id == "dukung-calon-kepala-desa"
    assert best.ruling.answered_verdict == "tidak_diketahui"


def test_a_civil_servant_may_stand_for_village_head_with_permission(pack: KnowledgePack) -> None:
    question = "pns mau nyalon kades, harus mundur kayak nyaleg gak?"
    best = decide_between(pack, question, "asn-maju-jadi-calon", "pns-calon-kepala-desa").best
    assert best is not None and best.ruling.id == "pns-calon-kepala-desa"
    assert "Permendagri 112/2014 Pasal 47 ayat (1)" in best.ruling.basis
    # the provision names PNS: a PPPK's question is not answered by it
    pppk = decide_between(pack, "sy pppk, boleh nyalon kades?", "pns-calon-kepala-desa").best
    assert pppk is None


@pytest.mark.parametrize(
    ("question", "actor"),
    [
        # another person's status, then the asker's
        ("istri sy bukan pns (pedagang), dia relawan paslon. sy pppk, gmn?", "pppk"),
        # a comparison names no actor
        ("timses caleg dtg ke loket, sy layani sama kayak warga biasa, aman?", None),
        # only another person's status: that person is the one asked about
        ("suami saya PPPK ikut kampanye, boleh?", "pppk"),
        # read spelled out: "udh pensiun" is retired
        ("ibu sy udh pensiun pns, mau jd jurkam, boleh?", "pensiunan"),
    ],
)
def test_the_actor_is_the_askers_status(pack: KnowledgePack, question: str, actor: str) -> None:
    assert read_situation(question, pack.lexicon).actor == actor


def test_acts_told_as_background_leave_a_question_about_undoing_them(pack: KnowledgePack) -> None:
    undo = read_situation(
        "dulu sy sempat share konten capres, skrg mau hapus semua, boleh?", pack.lexicon
    )
    assert "delete_old" in undo.acts and "share" not in undo.acts
    appeal = read_situation(
        "sy disanksi krn dituduh pasang baliho caleg, bisa banding?", pack.lexicon
    )
    assert appeal.acts == {"appeal"}
    # asked about its sanction, the past act is the question's conduct again
    sanction = read_situation(
        "dulu sy share konten capres, udh dihapus, masih bisa dihukum?", pack.lexicon
    )
    assert "share" in sanction.acts


def test_the_lawful_route_for_an_asn_is_to_resign_first(pack: KnowledgePack) -> None:
    """Asking how to join a party without being dismissed asks for the route through
    resignation; asking the same of campaigning finds no such route and stays prohibited."""
    question = "how can a PNS join a political party without being dismissed?"
    situation = read_situation(question, pack.lexicon)
    assert situation.asks == "lawful_route" and "resign" in situation.acts
    best = decide_between(
        pack, question, "jadi-anggota-partai", "masuk-partai-setelah-ajukan-pengunduran-diri"
    ).best
    assert best is not None and best.ruling.id == "masuk-partai-setelah-ajukan-pengunduran-diri"
    campaign = decide_between(
        pack,
        "gmn cara jadi jurkam paslon supaya ga dipecat?",
        "masuk-partai-setelah-ajukan-pengunduran-diri",
        "jadi-juru-kampanye",
    ).best
    assert campaign is not None and campaign.ruling.verdict == "dilarang"


def test_the_duty_of_neutrality_itself_has_a_ruling(pack: KnowledgePack) -> None:
    """Asked for the basis of the neutrality duty, the answer is the duty (UU 20/2023), not
    "not covered" or a ruling about reporting."""
    question = "dasar hukum PPPK wajib netral itu pasal mana ya?"
    best = decide_between(
        pack, question, "lapor-pelanggaran-netralitas", "kewajiban-netralitas-asn"
    ).best
    assert best is not None and best.ruling.id == "kewajiban-netralitas-asn"
    assert "UU 20/2023 Pasal 24 ayat (1) huruf d" in best.ruling.basis


def test_rt_is_a_retweet_only_before_what_is_retweeted(pack: KnowledgePack) -> None:
    assert "share" not in read_situation("sy jd ketua RT, boleh ikut KPPS?", pack.lexicon).acts
    assert "share" in read_situation("boleh rt tweet capres?", pack.lexicon).acts


def test_the_enclitic_nya_is_read_apart_except_on_kin(pack: KnowledgePack) -> None:
    """ "poster paslonnya" names a candidate; "suaminya nyaleg" stays someone else's spouse."""
    assert read_situation("boleh share poster paslonnya?", pack.lexicon).target == "candidate"
    assert pack.lexicon.spell_out("suaminya nyaleg") == "suaminya nyaleg"
    assert pack.lexicon.spell_out("hanya punya") == "hanya punya"


@pytest.mark.parametrize(
    ("question", "absent"),
    [
        ("ada yg share materi kampanye caleg di grup alumni", "teach"),  # campaign material
        ("does a regent have to give up his regent post to run?", "post_content"),  # a position
        ("what is my legal status if my name is in SIPOL?", "post_content"),
    ],
)
def test_words_of_another_sense_are_not_acts(
    pack: KnowledgePack, question: str, absent: str
) -> None:
    assert absent not in read_situation(question, pack.lexicon).acts


@pytest.mark.parametrize(
    ("question", "act"),
    [
        ("may I advise my neighbours which candidate to vote for?", "invite_vote"),
        ("sy pns suka nyinyirin capres di fb, aman?", "online_debate"),
        ("nama ibu sy tercatut di data partai, dia pns", "name_misused"),
        ("are retirees required to remain politically neutral?", "neutrality_duty"),
        ("bikin akun tiktok tanpa nama asli buat dukung paslon", "anonymous_account"),
        ("asn nyediain halaman rumah buat kumpul timses, boleh?", "host_meeting"),
        ("kadis mau maju cawabup tahun depan", "candidacy"),
    ],
)
def test_acts_are_read_in_their_common_wordings(
    pack: KnowledgePack, question: str, act: str
) -> None:
    assert act in read_situation(question, pack.lexicon).acts


def test_the_other_acts_of_a_question_bring_their_rulings_articles(pack: KnowledgePack) -> None:
    """ "Ke kampanye naik mobil dinas": the campaign ruling answers, and the ruling on official
    facilities adds its articles for the car; a permission adds nothing to a prohibition."""
    question = "sy pns, boleh dtg ke kampanye caleg naik mobil dinas?"
    ids = ("ikut-kampanye-calon", "bagikan-info-resmi-kpu", "kampanye-fasilitas-pilkada")
    decision = decide_between(pack, question, *ids)
    situation = read_situation(question, pack.lexicon)
    others = also_answering(decision.kept, situation, pack.facets, limit=2)
    assert [s.ruling.id for s in others] == ["kampanye-fasilitas-pilkada"]


@pytest.mark.parametrize(
    ("question", "act"),
    [
        ("nama sy sudah tercantum di DCS caleg DPRD", "candidacy"),
        ("pppk membuat video yg menyindir cawapres, aman?", "online_debate"),
        ("sy caleg, tdk akan mundur dr pns, nunggu pengumuman hasil dulu", "late_resignation"),
    ],
)
def test_candidacy_mockery_and_waiting_to_resign_are_read(
    pack: KnowledgePack, question: str, act: str
) -> None:
    assert act in read_situation(question, pack.lexicon).acts


def test_an_official_instrument_is_a_decision_only_about_a_candidate(pack: KnowledgePack) -> None:
    about = read_situation("kadis bikin surat edaran supaya staf dukung paslon 2", pack.lexicon)
    assert "decision" in about.acts
    neutral = read_situation("tolong susun surat edaran netralitas ASN utk OPD", pack.lexicon)
    assert "decision" not in neutral.acts


def test_who_oversees_neutrality_now_is_the_kasn_successor_question(pack: KnowledgePack) -> None:
    """Not the duty itself: "siapa yg ngawasin" asks for the institution (BKN since KASN ended)."""
    question = "kasn kan udh ga ada, skrg pelanggaran netralitas pns ditangani siapa?"
    best = decide_between(
        pack, question, "kewajiban-netralitas-asn", "lapor-setelah-kasn-dibubarkan"
    ).best
    assert best is not None and best.ruling.id == "lapor-setelah-kasn-dibubarkan"


@pytest.mark.parametrize(
    ("question", "target"),
    [
        ("may a PPPK share neutral election news from the local paper?", "neutral"),
        ("lurah menghimbau warga datang ke tps, ga sebut nama, boleh?", "neutral"),
    ],
)
def test_neutral_content_and_appeals_to_vote(
    pack: KnowledgePack, question: str, target: str
) -> None:
    assert read_situation(question, pack.lexicon).target == target


def test_watching_a_live_stream_is_not_posting_or_attending(pack: KnowledgePack) -> None:
    acts = read_situation("sy pns nonton live streaming kampanye capres di hp", pack.lexicon).acts
    assert not acts & {"post_content", "attend_campaign"}


def test_an_accidental_reaction_is_for_the_examination_to_judge(pack: KnowledgePack) -> None:
    question = "tdk sengaja ke-share story caleg pas scroll, langsung dihapus, sy pns kena?"
    assert "accidental" in read_situation(question, pack.lexicon).acts
    best = decide_between(
        pack, question, "share-unggahan-calon", "reaksi-tidak-sengaja-di-media-sosial"
    ).best
    assert best is not None and best.ruling.answered_verdict == "tidak_diketahui"


def test_campaign_material_is_a_candidates_object(pack: KnowledgePack) -> None:
    """ "video kampanye" names no candidate, but campaign material is a candidate's or a party's:
    a permission for neutral posts must not answer sharing it."""
    situation = read_situation("asn forward pamflet kampanye ke grup rt, gpp?", pack.lexicon)
    assert situation.target == "candidate"


@pytest.mark.parametrize(
    ("question", "act"),
    [
        ("sy sdh mundur dr asn utk nyaleg, kalo ga lolos dct bisa dibatalin?", "reinstate"),
        ("bupati undang caleg ke rapat dinas buat sosialisasi diri, boleh?", "invite_vote"),
    ],
)
def test_withdrawing_a_resignation_and_self_promotion_are_read(
    pack: KnowledgePack, question: str, act: str
) -> None:
    assert act in read_situation(question, pack.lexicon).acts


def test_a_spouses_candidacy_is_not_the_askers_own_cltn_question(pack: KnowledgePack) -> None:
    question = "istri sy nyaleg dprd, sy ambil cltn buat nemenin dia boleh?"
    best = decide_between(
        pack, question, "cltn-untuk-pencalonan", "dampingi-pasangan-calon-cltn"
    ).best
    assert best is not None and best.ruling.id == "dampingi-pasangan-calon-cltn"
    english = read_situation("may I join my wife's election campaign on leave?", pack.lexicon)
    assert english.target == "family_candidate"


def test_a_relatives_own_activity_does_not_implicate_the_asker(pack: KnowledgePack) -> None:
    """ "Is my wife's party office my breach?" is answered for the asker (no), while anything the
    asker would do beside it stays the asker's question."""
    question = "istri sy bendahara DPC partai, sy PPPK. apakah sy jadi ikut melanggar?"
    situation = read_situation(question, pack.lexicon)
    assert situation.asks == "implicated"
    best = decide_between(
        pack, question, "jadi-pengurus-partai", "keluarga-asn-aktif-berpolitik"
    ).best
    assert best is not None and best.ruling.id == "keluarga-asn-aktif-berpolitik"
    own = read_situation("apa sy ikut kena kalau dampingi suami kampanye?", pack.lexicon)
    assert own.asks != "implicated" and "relative_active" not in own.acts


def test_the_rest_of_the_catalogue_is_searched_when_retrieval_proposes_no_fitting_ruling(
    pack: KnowledgePack,
) -> None:
    """Which ruling holds an act is a fact of the catalogue: when retrieval's proposals hold none
    of the question's acts, the rest of the catalogue is looked through, and a question naming
    only the scene (voting) is answered by a ruling that holds all of it."""
    unrelated = [r.id for r in pack.rulings if "vote" not in pack.facets[r.id].acts][:12]
    question = "apakah pegawai pppk tetap punya hak nyoblos di pemilu?"
    situation = read_situation(question, pack.lexicon)
    assert situation.acts == {"vote"}
    config = DecisionConfig()
    proposed = ranked(pack, *unrelated)
    assert decide(proposed, situation, pack.facets, pack.lexicon, config).best is None
    everything_else = [Scored(r) for r in pack.rulings if r.id not in unrelated]
    decision = decide(
        proposed, situation, pack.facets, pack.lexicon, config, further=lambda: everything_else
    )
    assert decision.best is not None
    assert "vote" in pack.facets[decision.best.ruling.id].acts
    assert decision.best.ruling.answered_verdict == "boleh"


def test_undoing_takes_in_what_is_undone(pack: KnowledgePack) -> None:
    """Leaving a supporters' group or deleting a candidate's frame names no joining or display."""
    for question in ("sy mau left dari grup relawan capres, aman?", "hapus stiker caleg di mobil"):
        assert read_situation(question, pack.lexicon).acts == {"delete_old"}, question
    # A next step after the undoing is an act of its own.
    acts = read_situation("hapus komen lama terus komen dukungan lagi", pack.lexicon).acts
    assert {"delete_old", "comment"} <= acts


def test_support_held_inwardly_is_a_preference_not_a_statement(pack: KnowledgePack) -> None:
    inward = read_situation("di dalam hati sy memihak paslon 2, salah?", pack.lexicon)
    assert "support_statement" not in inward.acts and "private_preference" in inward.acts
    # Calling open support a personal choice does not make it inward.
    outward = read_situation("sy dukung caleg di ig, kan pilihan pribadi", pack.lexicon)
    assert "support_statement" in outward.acts


def test_a_ban_on_acts_for_candidates_does_not_answer_an_act_done_for_none(
    pack: KnowledgePack,
) -> None:
    """Speaking at a democracy seminar is speaking, not campaigning: the campaign-speaker ban
    cannot override the permission for neutral teaching. For a candidate, it still does."""
    neutral = "pppk boleh jadi pembicara diskusi publik soal pendidikan pemilih?"
    best = decide_between(pack, neutral, "ceramah-demokrasi-netral", "jadi-juru-kampanye").best
    assert best is not None and best.ruling.id == "ceramah-demokrasi-netral"
    partisan = "pppk boleh jadi pembicara di acara caleg?"
    best = decide_between(pack, partisan, "ceramah-demokrasi-netral", "jadi-juru-kampanye").best
    assert best is not None and best.ruling.verdict == "dilarang"


def test_holding_office_on_while_a_candidate_is_a_late_resignation(pack: KnowledgePack) -> None:
    late = read_situation("daftar cabup sambil tetap menjabat kadis, bisa?", pack.lexicon)
    assert "late_resignation" in late.acts
    on_time = read_situation("kadis nyalon, masih boleh jabat sampai penetapan?", pack.lexicon)
    assert "late_resignation" not in on_time.acts


def test_someone_described_as_standing_is_a_candidate_not_the_askers_candidacy(
    pack: KnowledgePack,
) -> None:
    described = read_situation(
        "rapat dinas dihadiri kadis yg nyalon bupati, sy ikut?", pack.lexicon
    )
    assert described.target == "candidate" and "candidacy" not in described.acts
    # The asker's own class standing is the asker's candidacy.
    own = read_situation("asn yang nyalon bupati kapan resign?", pack.lexicon)
    assert "candidacy" in own.acts


def test_a_ruling_whose_stated_condition_the_question_names_answers_from_anywhere(
    pack: KnowledgePack,
) -> None:
    """A ruling made for the situation, whose required act the question names, answers even
    when retrieval did not propose it: the condition is in the words."""
    question = "wali kota mau mutasi camat, udah ada izin tertulis mendagri, aman?"
    situation = read_situation(question, pack.lexicon)
    assert "ministerial_approval" in situation.acts
    proposed = ranked(pack, "mutasi-jelang-pilkada")
    rest = [Scored(r) for r in pack.rulings if r.id != "mutasi-jelang-pilkada"]
    config = DecisionConfig()
    alone = decide(proposed, situation, pack.facets, pack.lexicon, config).best
    assert alone is not None and alone.ruling.id == "mutasi-jelang-pilkada"
    best = decide(proposed, situation, pack.facets, pack.lexicon, config, further=lambda: rest).best
    assert best is not None
    assert "ministerial_approval" in pack.facets[best.ruling.id].requires["acts"]


def test_a_partisan_ruling_mentioning_neutral_content_is_not_made_for_it(
    pack: KnowledgePack,
) -> None:
    """For a neutral object, the specific ruling is one about neutral objects, found in the rest
    of the catalogue when retrieval proposed only partisan ones."""
    question = "pns nulis status fb soal jadwal pemilu tanpa menyebut calon siapa pun, boleh?"
    situation = read_situation(question, pack.lexicon)
    assert situation.target == "neutral"
    partisan = [
        r.id
        for r in pack.rulings
        if r.verdict == "dilarang" and "post_content" in pack.facets[r.id].acts
    ][:6]
    rest = [Scored(r) for r in pack.rulings if r.id not in partisan]
    config = DecisionConfig()
    best = decide(
        ranked(pack, *partisan), situation, pack.facets, pack.lexicon, config, further=lambda: rest
    ).best
    assert best is not None and best.ruling.answered_verdict in ("boleh", "boleh_bersyarat")
    assert "neutral" in pack.facets[best.ruling.id].requires.get("targets", ())


@pytest.mark.parametrize(
    ("question", "absent"),
    [
        ("my husband is running for office; must I leave my civil service post?", "facilities"),
        ("my husband is running for office; must I leave my civil service post?", "service"),
        ("pppk ndukung paslon 1 dalam hati aja, gpp?", "invite_vote"),
    ],
)
def test_words_that_only_look_like_acts(pack: KnowledgePack, question: str, absent: str) -> None:
    assert absent not in read_situation(question, pack.lexicon).acts


def test_oversight_and_senate_wordings_are_read(pack: KnowledgePack) -> None:
    assert "oversight" in read_situation("yg nanganin netralitas skrg siapa?", pack.lexicon).acts
    assert "candidacy" in read_situation("pns mau daftar senator", pack.lexicon).acts
    acts = read_situation("rotasi pejabat sudah acc mendagri", pack.lexicon).acts
    assert "ministerial_approval" in acts


def test_a_campaign_team_asking_the_office_for_something_is_the_requester(
    pack: KnowledgePack,
) -> None:
    """ "Timses minta data ke dinas" names the team as who asks; the asker serves. Becoming the
    team that asks is still the asker's act."""
    served = read_situation(
        "relawan capres datang minta salinan data ke kantor, dilayani?", pack.lexicon
    )
    assert "volunteer" not in served.acts and "service" in served.acts
    joined = read_situation("sy jadi relawan capres, minta cuti dulu boleh?", pack.lexicon)
    assert "volunteer" in joined.acts
    others = read_situation("sy admin grup alumni, banyak yg share video caleg, gmn?", pack.lexicon)
    assert "share" not in others.acts and "group_admin" in others.acts


@pytest.mark.parametrize(
    ("question", "actor", "target"),
    [
        ("anak caleg itu bukan asn, boleh ikut orasi?", "warga", "family_candidate"),
        (
            "a politician's daughter who is not a civil servant: may she campaign?",
            "warga",
            "family_candidate",
        ),
        ("suami sy bukan pns, sy pppk. boleh dampingi suami kampanye?", "pppk", None),
    ],
)
def test_a_relative_said_not_to_be_asn(
    pack: KnowledgePack, question: str, actor: str, target: str | None
) -> None:
    situation = read_situation(question, pack.lexicon)
    assert situation.actor == actor
    if target:
        assert situation.target == target


def test_a_modal_ends_a_negated_list(pack: KnowledgePack) -> None:
    """ "ga salah, bisa banding?" asks about appealing; "tanpa like, komen" still negates both."""
    assert "appeal" in read_situation("dihukum padahal ga salah, bisa banding?", pack.lexicon).acts
    acts = read_situation("nonton live caleg tanpa like, komen", pack.lexicon).acts
    assert not acts & {"like", "comment"}


def test_a_partys_own_meetings_are_party_activity_not_an_official_event(
    pack: KnowledgePack,
) -> None:
    acts = read_situation("pns sering ikut rapat internal dpc partai", pack.lexicon).acts
    assert "party_member" in acts and "official_event" not in acts
    best = decide_between(
        pack,
        "sy cuma simpatisan, tp ikut rapat partai tiap bulan",
        "simpatisan-partai-tanpa-aktivitas",
    ).best
    assert best is None or best.ruling.verdict == "dilarang"


def test_designated_and_still_at_work_is_a_late_resignation(pack: KnowledgePack) -> None:
    late = read_situation(
        "rekan sy udah ditetapkan jadi cabup tp belum mundur, masih ngantor. sanksinya?",
        pack.lexicon,
    )
    assert {"candidacy", "late_resignation"} <= late.acts
    asked = read_situation(
        "pns yg sudah ditetapkan sebagai calon kapan wajib mundur?", pack.lexicon
    )
    assert "candidacy" in asked.acts and "late_resignation" not in asked.acts


@pytest.mark.parametrize(
    "question",
    [
        "sy kemarin ikut kampanye caleg, apakah sy jadi melanggar?",
        "kalau sy jadi relawan istri, apa sy ikut melanggar?",
        "kalau sy bagi2 kaos caleg, bikin sy kena sanksi ga?",
    ],
)
def test_the_askers_own_act_is_never_a_question_of_being_implicated(
    pack: KnowledgePack, question: str
) -> None:
    """Asked "do I also breach it?" after naming one's own act, the act is the question: the
    relatives' permission must never answer it."""
    situation = read_situation(question, pack.lexicon)
    assert situation.asks != "implicated" and "relative_active" not in situation.acts


@pytest.mark.parametrize(
    ("question", "actor"),
    [
        ("masa kontrak p3k saya sudah habis bulan lalu, boleh ikut relawan?", "pensiunan"),
        ("I'm no longer a civil servant since March; can I campaign now?", "pensiunan"),
        ("beliau pensiun 3 tahun lalu, skrg mau jadi jurkam", "pensiunan"),
        ("sy PNS, pensiun tahun depan; boleh gabung timses dari sekarang?", "pns"),
    ],
)
def test_leaving_the_service_makes_a_former_asn(
    pack: KnowledgePack, question: str, actor: str
) -> None:
    assert read_situation(question, pack.lexicon).actor == actor


def test_campaigning_after_a_resignation_takes_effect_needs_it_to_come_first(
    pack: KnowledgePack,
) -> None:
    ids = ("kampanye-setelah-berhenti-dari-asn", "jadi-tim-kampanye-pemilu")
    first = "kalau pengunduran diri sy sudah dikabulkan, boleh gabung tim pemenangan capres?"
    assert decide_between(pack, first, *ids).kept[0].ruling.id == ids[0]
    # resigning only if caught, or while the discharge is still pending, is no permission
    for question in (
        "sy pns gabung tim pemenangan aja, nanti kalau ketahuan ya mundur",
        "sudah ajukan pengunduran diri tapi SK belum keluar, boleh gabung tim pemenangan?",
    ):
        kept = [s.ruling.id for s in decide_between(pack, question, *ids).kept]
        assert ids[0] not in kept, question


@pytest.mark.parametrize(
    "question",
    [
        "rencananya tetap PNS, nanti kalau terpilih jadi anggota dewan baru mundur",
        "boleh daftar caleg tanpa mundur dari PNS?",
    ],
)
def test_resigning_only_after_the_result_is_late(pack: KnowledgePack, question: str) -> None:
    assert "late_resignation" in read_situation(question, pack.lexicon).acts


def test_office_records_about_people_for_a_campaign_are_not_a_public_service(
    pack: KnowledgePack,
) -> None:
    ids = ("melayani-calon-sebagai-warga", "beri-data-instansi-ke-tim-kampanye")
    question = "posko paslon minta daftar nama dan alamat penerima bansos dari kantor kami"
    assert decide_between(pack, question, *ids).kept[0].ruling.id == ids[1]
    # the same records asked for by the election supervisor are not for a campaign
    bawaslu = "Bawaslu minta daftar nama pegawai yang dilaporkan, boleh dikirim?"
    kept = [s.ruling.id for s in decide_between(pack, bawaslu, *ids).kept]
    assert ids[1] not in kept


@pytest.mark.parametrize(
    ("question", "absent"),
    [
        ("saya forward jawaban ini ke ybs ya", "share"),
        ("nonton debat capres di tv lalu bahas di grup kantor", "online_debate"),
        ("maju DPD lewat jalur perseorangan, harus mundur?", "ktp_support"),
        ("sy ditambahkan ke grup timses caleg, terus langsung keluar", "group"),
        # the category asked about is not an act ("apakah itu termasuk kampanye?")
        (
            "sy baca berita debat semalam di hp, apakah itu dianggap ikut kampanye?",
            "attend_campaign",
        ),
        # what socialisation teaches is not done
        (
            "kami adakan sosialisasi ke guru, topiknya larangan ikut kampanye dan parpol",
            "attend_campaign",
        ),
        ("bikin pelatihan netralitas: larangan (kampanye, medsos, atribut)", "attend_campaign"),
        # what is talked over is not done
        ("ngobrol sama rekan bahas program capres sambil makan siang", "programme"),
        # an event the organisers hold is not a campaign
        ("senam bersama yang diselenggarakan Bawaslu kota, PNS boleh ikut?", "attend_campaign"),
        # following a procedure is not following an account
        ("I process every candidate's file following the standard procedure", "follow"),
        ("follow akun portal berita nasional, aman?", "follow"),
        # the published candidate list is not a candidacy; "dpt izin" is leave, not the voter list
        ("sy cek daftar calon tetap di situs KPU", "candidacy"),
        ("kalau saya dpt izin atasan, boleh pulang nyoblos?", "decision"),
        # "minggu depan" is next week, not Sunday; a card reprinted is a service
        ("minggu depan ada rapat kantor soal pemilu", "off_duty"),
        ("caleg minta perpanjang ktp di kantor kami", "ktp_support"),
        # "my favourite candidate" is a preference, not a decision
        ("I removed the posters of every party, my favourite one's too", "decision"),
        # a relative's candidacy beside the asker's own act is the relative's
        (
            "adik sy nyalon DPRD. besok ada arisan keluarga di rumahnya, sy PNS boleh dtg?",
            "candidacy",
        ),
        # "never" before a list, a list ending in a slash, and "bkn" negate
        ("sy gk pernah like/komen postingan caleg di grup itu", "comment"),
        ("acaranya bkn kampanye, cuma syukuran", "attend_campaign"),
        # what a shared piece of content is about is its subject, not the asker's act
        ("boleh share video KPU tentang bahaya politik uang?", "distribute_goods"),
        # an event from the organisers is not a campaign
        ("ikut senam sehat dari Bawaslu kota, boleh?", "attend_campaign"),
        # the officers one visits hold their office, not the asker; a forwarded message's header
        # and one's employment status are no sharing or posting
        ("besok sy ketemu sama ketua partai X soal proyek jalan", "party_officer"),
        ("Diteruskan dari staf: boleh ikut jalan sehat KPU?", "share"),
        ("statusnya masih PNS walau lagi tugas belajar", "post_content"),
    ],
)
def test_words_that_name_no_such_act(pack: KnowledgePack, question: str, absent: str) -> None:
    assert absent not in read_situation(question, pack.lexicon).acts


def test_a_scene_shared_with_a_ruling_does_not_cover_other_conduct(pack: KnowledgePack) -> None:
    # "di kantor" is the scene; the question's conduct (records about people) is not displaying
    # campaign material at the office, which is all that ruling holds.
    question = "boleh kasih data alamat pegawai di kantor ke pihak luar?"
    decision = decide_between(pack, question, "pajang-materi-calon-di-kantor")
    assert not decision.kept


def test_a_ban_for_candidates_does_not_outweigh_a_permission_when_none_is_named(
    pack: KnowledgePack,
) -> None:
    ids = ("ikut-kampanye-di-luar-jam-kerja", "hadiri-sosialisasi-kpu-bawaslu")
    question = "hari minggu saya ikut bimtek pemantauan pemilu yang dibuat Bawaslu, aman?"
    assert decide_between(pack, question, *ids).kept[0].ruling.id == ids[1]
    # once a candidate is named the ban speaks again
    named = "hari minggu saya ikut acara caleg, aman?"
    assert decide_between(pack, named, *ids).kept[0].ruling.id == ids[0]


@pytest.mark.parametrize(
    ("question", "invites"),
    [
        ("could you recommend a good printer for the office?", False),
        ("we were told to encourage residents to vote for number 3", True),
    ],
)
def test_english_verbs_of_persuasion_need_an_election_object(
    pack: KnowledgePack, question: str, invites: bool
) -> None:
    assert ("invite_vote" in read_situation(question, pack.lexicon).acts) == invites


def test_a_parenthesis_belongs_to_the_clause_it_opens_in(pack: KnowledgePack) -> None:
    question = "adik sy (wiraswasta, bukan PNS) ikut relawan caleg. sy PNS, takut ikut kena"
    situation = read_situation(question, pack.lexicon)
    assert situation.actor == "pns" and situation.asks == "implicated"


def test_plain_clothes_are_no_attributes(pack: KnowledgePack) -> None:
    acts = read_situation("datang ke debat publik KPU pakai baju bebas", pack.lexicon).acts
    assert "attributes" not in acts


def test_official_work_for_the_election_organisers_is_work(pack: KnowledgePack) -> None:
    ids = ("pasang-spanduk-baliho-calon", "tugas-resmi-untuk-penyelenggara-pemilu")
    question = "sy ASN ditugaskan di sekretariat Bawaslu kabupaten selama tahapan, aman?"
    assert decide_between(pack, question, *ids).kept[0].ruling.id == ids[1]
    # the post is no licence for support of one's own
    partisan = "sy staf sekretariat KPU, boleh ajak tetangga pilih caleg nomor 2?"
    kept = [s.ruling.id for s in decide_between(pack, partisan, *ids).kept]
    assert ids[1] not in kept[:1]


def test_a_superior_keeping_quiet_is_read_as_ignoring(pack: KnowledgePack) -> None:
    acts = read_situation("staf sy jd timses, sy diemin aja", pack.lexicon).acts
    assert "supervisor_ignores" in acts


@pytest.mark.parametrize(
    ("question", "act", "named"),
    [
        ("boleh like postingan caleg di masa kampanye?", "attend_campaign", False),
        ("bupati meresmikan pasar, caleg ikut diundang", "official_event", True),
    ],
)
def test_the_campaign_period_is_a_time_and_an_inauguration_an_event(
    pack: KnowledgePack, question: str, act: str, named: bool
) -> None:
    assert (act in read_situation(question, pack.lexicon).acts) == named


def test_pointing_a_voter_to_a_number_is_inviting_a_vote(pack: KnowledgePack) -> None:
    situation = read_situation(
        "sy petugas KPPS, bilang ke bapak tua itu 'yg nomor 2 aja'", pack.lexicon
    )
    assert "invite_vote" in situation.acts and situation.target == "candidate"


def test_someone_named_by_title_heads_a_clause_of_their_own(pack: KnowledgePack) -> None:
    assert (
        read_situation("Bu Rina pensiunan, sy PNS aktif; boleh bantu dia?", pack.lexicon).actor
        == "pns"
    )
    assert read_situation("Pak, saya PNS, boleh nyoblos?", pack.lexicon).actor == "pns"


def test_state_vehicles_and_money_are_conduct_not_scene(pack: KnowledgePack) -> None:
    acts = read_situation("pinjamkan mobil dinas ke timses pensiunan", pack.lexicon).acts
    assert "state_assets" in acts


def test_the_category_asked_about_stays_when_nothing_else_is_done(pack: KnowledgePack) -> None:
    # "termasuk" also means "including": a campaign among other events is still attended
    assert "attend_campaign" in read_situation("apakah itu termasuk kampanye?", pack.lexicon).acts
    acts = read_situation("sy hadir di banyak acara termasuk kampanye paslon", pack.lexicon).acts
    assert "attend_campaign" in acts
    # and a ban asked about is the act when nothing is taught
    acts = read_situation("ada larangan ikut kampanye pas cuti?", pack.lexicon).acts
    assert "attend_campaign" in acts


@pytest.mark.parametrize(
    ("question", "act"),
    [
        ("di rapat sy bilang ke staf: pilihlah yg sudah terbukti kerjanya", "invite_vote"),
        ("I wrote that people should back him, he would make a great mayor", "invite_vote"),
        ("dia bilang mau ngundurin diri kalo udah kepilih aja", "late_resignation"),
        ("can I check whether I'm registered as a voter at the election office?", "vote"),
        ("sy liatin pengumuman hasil resmi KPU ke tetangga", "share"),
        ("disuruh mencopot semua baliho yang melanggar perda, semua partai", "enforce_props"),
        (
            "our hospital was designated by the KPU for the medical exams of candidates",
            "organiser_duty",
        ),
        ("the mayor asked me to tell all village heads to attend his rally", "mobilise"),
        ("bidan desa bilang ke ibu2 posyandu: besok coblos pak Joko ya", "invite_vote"),
        ("semua pegawai diharuskan datang ke acara cabup, presensi dicatat", "mobilise"),
        ("camat mau mengundang paslon jadi narasumber di peresmian pasar", "decision"),
        ("katanya nama sy udh dimasukin ke daftar anggota partai itu", "party_member"),
        # a new clause after a negated one keeps its act; a candidacy of the asker's own stays
        ("NIP blm keluar, tapi msh jadi pengurus partai, gmn?", "party_officer"),
        ("istri sy PNS, dia mau nyalon DPRD, boleh?", "candidacy"),
        # "bkn" after "ke" is the agency
        ("lapor ke BKN soal PNS ikut kampanye, caranya?", "attend_campaign"),
        # staying in the service while standing, or until the result, is late
        ("udah ditetapin jadi calon tp gk mau mundur dr ASN", "late_resignation"),
        ("can I remain a civil servant while I am registered as a candidate?", "late_resignation"),
        ("maunya tetap PNS sampai hasil pemilu keluar", "late_resignation"),
        ("is it ok to join a Bawaslu outreach programme?", "attend_socialisation"),
        # meeting a party's officers to be nominated is approaching the party
        ("mau sowan ke pengurus DPC partai biar diusung jd cabup", "approach_party"),
    ],
)
def test_acts_read_from_their_wording(pack: KnowledgePack, question: str, act: str) -> None:
    assert act in read_situation(question, pack.lexicon).acts


@pytest.mark.parametrize(
    ("question", "actor"),
    [
        ("sy buruh pabrik, bkn ASN. boleh jadi relawan capres?", "warga"),
        ("I'm a navy officer working at a ministry. Can I campaign?", "tni_polri"),
    ],
)
def test_statuses_from_their_wording(pack: KnowledgePack, question: str, actor: str) -> None:
    assert read_situation(question, pack.lexicon).actor == actor


def test_an_incumbent_and_a_friend_who_is_running_are_candidates(pack: KnowledgePack) -> None:
    assert read_situation("arahkan staf pilih petahana", pack.lexicon).target == "candidate"
    situation = read_situation(
        "a friend of mine is running for mayor; can I attend his rally?", pack.lexicon
    )
    assert situation.target == "candidate" and "candidacy" not in situation.acts


def test_askers_still_serving_beside_a_retired_superior_are_asn(pack: KnowledgePack) -> None:
    question = "eks kepala bidang kami udh pensiun. beliau minta kita yg masih aktif ikut sosialisasi caleg"
    assert read_situation(question, pack.lexicon).actor == "pns"
    # a possessive after another person stays theirs
    assert read_situation("istri sy bukan ASN, boleh kampanye?", pack.lexicon).actor == "warga"


def test_leave_is_no_way_around_resigning_nor_a_spouses_status(pack: KnowledgePack) -> None:
    late = read_situation("pengen nyaleg DPRD tp ga mau resign, ambil CLTN aja?", pack.lexicon)
    for ruling in ("cltn-untuk-pencalonan", "asn-pasangan-calon-tetap-asn"):
        assert "late_resignation" in pack.facets[ruling].excludes
    assert "late_resignation" in late.acts


def test_government_contract_staff_are_answered_for_every_form_of_support(
    pack: KnowledgePack,
) -> None:
    facets = pack.facets["honorer-ppnpn-netralitas"]
    assert {"campaign_team", "volunteer", "banner", "share"} <= facets.acts


def test_a_journalist_asks_about_the_civil_servants_they_name(pack: KnowledgePack) -> None:
    question = "saya jurnalis, mau tanya: PPPK yang ikut kampanye kena sanksi apa?"
    assert read_situation(question, pack.lexicon).actor == "pppk"
    assert read_situation("I'm a reporter. May I cover a rally?", pack.lexicon).actor == "warga"


def test_standing_as_such_is_not_approaching_a_party(pack: KnowledgePack) -> None:
    facets = pack.facets["dekati-partai-sebagai-bakal-calon"]
    assert not facets.applies_to(read_situation("can a PNS run for mayor?", pack.lexicon))
