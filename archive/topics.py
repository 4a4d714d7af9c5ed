"""What an article is about: the topics of ../shared/TOPICS.md, from weighted cue phrases in its title and text.

Each topic has cue phrases, written in plain Indonesian and matched by Indonesian stem (`kunjungan industri` also
matches `berkunjung ke industri`'s stems) or, written `=word`, as the exact word (where stemming would merge
meanings: `pelatihan` training, but not `latihan` practice or `pelatih` coach). A cue in the title counts
`TITLE_WEIGHT` times its weight, cues in the text count once each, up to `BODY_CAP`: the title says what an
article is about, the text only confirms it (an MoU article lists PKL, UKK and BKK among the agreement's terms
without being about them). A topic is assigned when its score reaches `MIN_SCORE` and `RELATIVE_SCORE` of the
best topic's, at most `MAX_TOPICS` of them. `topic_evidence` says which cues gave each topic, so every assignment
can be explained; `RULES_VERSION` changes whenever the rules do, and archives then recompute every article.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ahocorasick_rs import AhoCorasick, Implementation, MatchKind

from archive.stemming import stem_text, words_of

# Bump with every change to the cues or the scoring below: archives recompute topics on open when it differs.
RULES_VERSION = 1

TITLE_WEIGHT = 3
BODY_CAP = 6
MIN_SCORE = 6
RELATIVE_SCORE = 0.45
MAX_TOPICS = 3

TOPIC_IDS = (
    "kerja-sama", "pkl", "kunjungan", "lomba-prestasi", "ppdb", "ujian-asesmen", "kelulusan", "karier",
    "pelatihan-sertifikasi", "tefa", "kurikulum", "kegiatan-siswa", "keagamaan", "peringatan", "sosialisasi",
    "sarana", "kesehatan",
)

# topic -> {cue: weight}. Weight 4: the cue names the topic; 3: nearly always; 2: often; 1: only with others.
CUES: dict[str, dict[str, int]] = {
    "kerja-sama": {
        "mou": 4, "memorandum of understanding": 4, "nota kesepahaman": 4, "kesepahaman": 3, "pks": 3,
        "perjanjian kerja sama": 4, "kerja sama": 3, "kemitraan": 2, "link and match": 3, "penandatanganan": 2,
        "penandatanganan kerja sama": 4,
        "tandatangani": 2, "teken": 3, "kolaborasi": 2, "kelas industri": 2, "sekolah imbas": 3, "jalin": 1,
        "gandeng": 2, "sinergi": 1, "bermitra": 2, "mitra": 1,
    },
    "pkl": {
        "pkl": 4, "praktik kerja lapangan": 4, "praktek kerja lapangan": 4, "prakerin": 4,
        "praktik kerja industri": 4, "praktek kerja industri": 4, "magang": 3, "internship": 3,
        "on the job training": 3, "pembimbing industri": 1, "jurnal harian": 1, "tempat praktik": 2,
        "=penarikan": 1, "=penjemputan": 1,
    },
    "kunjungan": {
        "kunjungan industri": 4, "kunjungan": 3, "studi banding": 4, "benchmark": 4, "benchmarking": 4,
        "studi wisata": 3, "kunjungan edukasi": 4, "belajar langsung": 2, "tinjau": 1, "rombongan": 1,
        "observasi": 1, "kunjungan balasan": 4, "field trip": 3, "outing class": 3,
    },
    "lomba-prestasi": {
        "lomba": 4, "juara": 4, "medali": 4, "olimpiade": 4, "osn": 4, "o2sn": 4, "fls2n": 4, "lks": 4,
        "kompetisi": 4, "prestasi": 1, "piala": 2, "popda": 4, "porprov": 4, "penghargaan": 1, "sabet": 2,
        "finalis": 3, "peringkat": 1, "emas": 1, "perak": 1, "perunggu": 2, "berprestasi": 1, "festival": 1,
        "cerdas cermat": 3, "guru berprestasi": 4, "debat": 2, "predikat": 2, "=raih": 1,
        "=meraih": 1,
    },
    "ppdb": {
        "ppdb": 4, "spmb": 4, "penerimaan peserta didik baru": 4, "penerimaan murid baru": 4,
        "penerimaan siswa baru": 4, "pendaftaran siswa baru": 4, "pendaftaran peserta didik baru": 4,
        "calon peserta didik": 2, "calon siswa": 2, "calon murid": 2, "daftar ulang": 2, "jalur zonasi": 3,
        "zonasi": 2, "afirmasi": 2, "jalur prestasi": 2, "jalur domisili": 2, "kuota": 1, "daya tampung": 2,
        "hasil seleksi": 1, "=pendaftaran": 1, "sistem penerimaan murid baru": 4,
    },
    "ujian-asesmen": {
        "ujian": 3, "anbk": 4, "akm": 3, "asesmen nasional": 4, "asesmen": 2, "ujian sekolah": 4,
        "=pas": 1, "=pat": 1, "=pts": 1, "penilaian akhir semester": 4, "penilaian akhir tahun": 4,
        "penilaian tengah semester": 4, "asesmen sumatif": 4, "sumatif": 3, "asaj": 4, "asat": 4, "asas": 3,
        "uji kompetensi keahlian": 4, "ukk": 4, "try out": 3, "tryout": 3, "tka": 3,
        "tes kemampuan akademik": 4, "proktor": 2, "remedial": 2, "kartu peserta": 1, "gladi bersih": 1,
        "berbasis komputer": 1,
    },
    "kelulusan": {
        "=kelulusan": 4, "=wisuda": 4, "=alumni": 1, "tracer study": 4, "=penelusuran": 1, "=purnawiyata": 4,
        "=perpisahan": 3, "dinyatakan lulus": 4, "=lulus": 2, "temu alumni": 4, "ikatan alumni": 3,
        "pelepasan siswa kelas": 3, "kelas ix": 1,
        "snbp": 3, "snbt": 3, "perguruan tinggi negeri": 1, "=pelepasan": 1, "kelas xii": 1, "angkatan": 1,
        "=ijazah": 1,
    },
    "karier": {
        "bkk": 4, "bursa kerja khusus": 4, "bursa kerja": 4, "lowongan": 4, "loker": 3, "rekrutmen": 4,
        "recruitment": 4, "job fair": 4, "psikotes": 2, "wawancara kerja": 2, "penempatan kerja": 3,
        "diterima bekerja": 3, "bimbingan karier": 4, "karier": 3, "karir": 3, "keterserapan": 2,
        "tenaga kerja": 1, "surat lamaran": 2, "lamaran": 1, "tracer study": 2, "=bekerja": 1,
    },
    "pelatihan-sertifikasi": {
        "=pelatihan": 3, "=diklat": 4, "workshop": 3, "lokakarya": 3, "in house training": 4, "iht": 3,
        "bimtek": 4, "bimbingan teknis": 4, "sertifikasi": 4, "sertifikat kompetensi": 4, "lsp": 3, "bnsp": 4,
        "asesor": 2, "uji sertifikasi": 4, "=training": 3, "upskilling": 3, "peningkatan kompetensi": 2,
        "webinar": 2, "=bersertifikat": 3, "sertifikat": 1, "=pembekalan": 1, "=pengimbasan": 2,
    },
    "tefa": {
        "teaching factory": 4, "tefa": 4, "unit produksi": 4, "blud": 3, "wirausaha": 3, "entrepreneur": 3,
        "entrepreneurship": 3, "bazar": 3, "technopreneur": 3, "business center": 3, "unit usaha": 3,
        "produk siswa": 2, "jual": 1, "laba": 2, "umkm": 1, "pameran": 1, "kafe": 1,
        "usaha": 1,
    },
    "kurikulum": {
        "kurikulum": 3, "kurikulum merdeka": 4, "p5": 4, "projek penguatan profil pelajar pancasila": 4,
        "profil pelajar pancasila": 3, "panen karya": 3, "gelar karya": 3, "supervisi": 4, "=pembelajaran": 2,
        "modul ajar": 3, "literasi": 1, "gerakan literasi": 3, "numerasi": 2, "berdiferensiasi": 3,
        "tatap muka": 3, "kegiatan belajar mengajar": 1, "kosp": 4, "kokurikuler": 3, "intrakurikuler": 2,
        "guru penggerak": 2, "sekolah penggerak": 2, "asesmen diagnostik": 2, "belajar penuh": 2, "pojok baca": 2,
    },
    "kegiatan-siswa": {
        "osis": 2, "mpk": 2, "ekstrakurikuler": 4, "ekskul": 4, "pramuka": 4, "persami": 4, "kemah": 4,
        "mpls": 4, "masa pengenalan lingkungan sekolah": 4, "ldks": 4, "latihan dasar kepemimpinan": 4,
        "class meeting": 4, "classmeeting": 4, "pentas seni": 4, "pensi": 3, "paskibra": 2, "teater": 2,
        "bakti sosial": 3, "galang donasi": 3, "donasi": 1, "pelantikan pengurus": 3, "bulan bahasa": 3,
        "ambalan": 3, "pengurus osis": 3, "peserta didik baru": 1, "pentas bakat": 2, "paduan suara": 1,
    },
    "keagamaan": {
        "ramadhan": 4, "ramadan": 4, "pesantren kilat": 4, "sanlat": 4, "qurban": 4, "kurban": 4,
        "idul adha": 4, "idul fitri": 3, "halal bihalal": 4, "maulid": 4, "isra": 4, "natal": 4, "paskah": 4,
        "doa bersama": 4, "istighosah": 4, "tahfiz": 4, "tahfidz": 4, "tadarus": 3, "khatam": 3,
        "buka puasa": 4, "puasa": 1, "tarawih": 3, "shalat": 2, "salat": 2, "masjid": 1, "tausiyah": 3,
        "kajian": 2, "pengajian": 3, "ibadah": 2, "tahun baru islam": 4, "muharram": 3, "zakat": 3,
        "rohis": 3, "wisuda tahfiz": 4, "nuzulul quran": 4, "shalawat": 2, "hafalan": 2,
    },
    "peringatan": {
        "upacara": 3, "hut ri": 4, "kemerdekaan": 3, "hari guru": 4, "hgn": 3, "hari kartini": 4,
        "kartini": 3, "hardiknas": 4, "hari pendidikan nasional": 4, "sumpah pemuda": 4, "hari pahlawan": 4,
        "hari kesadaran nasional": 4, "hari lahir pancasila": 4, "kesaktian pancasila": 4, "hari santri": 4,
        "hari batik": 3, "hari ibu": 3, "=memperingati": 2, "=peringatan": 2, "pengibaran bendera": 2,
        "upacara bendera": 4, "hari jadi": 2, "dies natalis": 2, "hut": 2, "taman makam pahlawan": 3,
    },
    "sosialisasi": {
        "sosialisasi": 4, "penyuluhan": 4, "seminar": 3, "parenting": 4, "narkoba": 3, "bahaya narkoba": 4,
        "perundungan": 3, "bullying": 3, "kesehatan reproduksi": 3, "rapat komite": 3, "rapat orang tua": 3,
        "pertemuan orang tua": 3, "orang tua siswa": 1, "komite sekolah": 1, "narasumber": 2, "edukasi": 1,
        "keselamatan berlalu lintas": 3, "kenakalan remaja": 3, "talkshow": 3, "talk show": 3,
        "pembagian rapor": 2, "kekerasan seksual": 2, "mitigasi": 2, "simulasi evakuasi": 2, "pencegahan": 1,
        "rapat": 1, "wali kelas": 1, "literasi digital": 1, "keamanan data pribadi": 2,
    },
    "sarana": {
        "=peresmian": 3, "=meresmikan": 3, "gedung": 3, "=pembangunan": 2, "renovasi": 4, "rehabilitasi": 4,
        "revitalisasi": 4, "=bantuan": 3, "hibah": 3, "sarana": 3, "prasarana": 3, "ruang kelas baru": 4,
        "rkb": 3, "peralatan": 2, "fasilitas": 2, "peletakan batu pertama": 4, "serah terima": 2,
        "dana alokasi khusus": 3, "laboratorium": 1, "=menyerahkan": 1, "=dibangun": 2,
    },
    "kesehatan": {
        "vaksinasi": 4, "imunisasi": 4, "vaksin": 4, "skrining": 4, "screening": 4, "pemeriksaan kesehatan": 4,
        "donor darah": 4, "uks": 3, "adiwiyata": 4, "kerja bakti": 4, "jumat bersih": 4, "penanaman pohon": 4,
        "tanam": 2, "bibit": 2, "mangrove": 3, "bank sampah": 4, "sampah": 2, "kebersihan": 1,
        "lingkungan hidup": 3, "go green": 3, "protokol kesehatan": 3, "covid": 2, "gizi": 2, "stunting": 3,
        "cuci tangan": 2, "pmi": 2, "puskesmas": 1, "kesehatan": 1,
    },
}

# Topics that another, stronger one excludes (TOPICS.md's "not this topic" column): routine supervision is
# curriculum, not a visit; the orientation week is student life, not admissions; a class meeting's games are not
# competitions entered; a health talk is counselling; PKL reports and exams are PKL; a tahfiz "wisuda" is
# religious.
EXCLUDED_BY: dict[str, tuple[str, ...]] = {
    "kunjungan": ("kurikulum",),
    "ppdb": ("kegiatan-siswa",),
    "lomba-prestasi": ("kegiatan-siswa",),
    "kesehatan": ("sosialisasi",),
    "ujian-asesmen": ("pkl",),
    "kelulusan": ("pkl", "keagamaan"),
}


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue phrase as matched: its topic and weight, and either the padded stemmed phrase to find (`needle`:
    one stem or several) or, for an exact cue, the `word` and its stem (`stem`, looked for first)."""

    topic: str
    phrase: str
    needle: str | None
    stem: str | None
    word: str | None
    weight: int


@dataclass(frozen=True)
class Evidence:
    """Why an article got a topic: its score and the cues found in the title and in the text."""

    topic: str
    score: int
    title_cues: tuple[str, ...]
    body_cues: tuple[str, ...]


class TextForms:
    """One text as the cues are matched against it: its stems joined by spaces (as `stem_text` makes them,
    padded with a space each side), the list of its stems and, when an exact cue needs them, its words."""

    __slots__ = ("text", "stemmed", "_stems", "_words")

    def __init__(self, text: str, stemmed: str, stems: list[str] | None = None) -> None:
        self.text = text
        self.stemmed = f" {stemmed} "
        self._stems = stems
        self._words: frozenset[str] | None = None

    @property
    def stems(self) -> list[str]:
        """The text's stems (split on first use: only the title's are looked up, for its exact cues)."""
        if self._stems is None:
            self._stems = self.stemmed.split()
        return self._stems

    @classmethod
    def of(cls, text: str, stemmed: str | None = None) -> TextForms:
        return cls(text, stem_text(text) if stemmed is None else stemmed)

    @property
    def words(self) -> frozenset[str]:
        """The text's lower-case words (made on first use: few texts have an exact cue's stem)."""
        if self._words is None:
            self._words = frozenset(words_of(self.text))
        return self._words


def _cue(topic: str, phrase: str, weight: int) -> Cue:
    if phrase.startswith("="):
        word = phrase[1:]
        return Cue(topic, phrase, None, stem_text(word), word, weight)
    return Cue(topic, phrase, f" {stem_text(phrase)} ", None, None, weight)


@dataclass(frozen=True)
class _CueTables:
    """The cues arranged for fast matching: one Aho-Corasick automaton finds every stemmed cue (padded with
    spaces, so whole stems only) in one pass over the padded stemmed text; exact cues are found by their stem,
    then checked against the words."""

    automaton: AhoCorasick
    by_needle: dict[str, tuple[Cue, ...]]  # the automaton's patterns -> their cues
    exact_stems: frozenset[str]
    exact: dict[str, tuple[Cue, ...]]


@lru_cache(maxsize=1)
def _tables() -> _CueTables:
    strongest: dict[tuple[str, str | None, str | None, str | None], Cue] = {}
    for topic, cues in CUES.items():
        for phrase, weight in cues.items():
            cue = _cue(topic, phrase, weight)
            # Phrases of one stem (`mitra`, `kemitraan`, `bermitra`) are one cue, with the highest weight.
            same = (topic, cue.needle, cue.stem, cue.word)
            if same not in strongest or strongest[same].weight < weight:
                strongest[same] = cue
    stemmed: dict[str, list[Cue]] = {}
    exact: dict[str, list[Cue]] = {}
    for cue in strongest.values():
        if cue.needle is not None:
            stemmed.setdefault(cue.needle, []).append(cue)
        else:
            exact.setdefault(cue.stem, []).append(cue)
    # A DFA, asked for the patterns found (kept, so given back without slicing the text), is the cheapest
    # search: half the instructions of the default automaton asked for positions.
    automaton = AhoCorasick(list(stemmed), matchkind=MatchKind.Standard, store_patterns=True,
                            implementation=Implementation.DFA)
    return _CueTables(automaton, {needle: tuple(cues) for needle, cues in stemmed.items()},
                      frozenset(exact), {stem: tuple(cues) for stem, cues in exact.items()})


def _found_cues(forms: TextForms, *, exact: bool) -> list[Cue]:
    """The cues found in one text (`exact`: exact-word cues too)."""
    tables = _tables()
    # Overlapping matches: neighbouring stems share the space between them (` kerja ` and ` sama `).
    found = [cue for needle in set(tables.automaton.find_matches_as_strings(forms.stemmed, overlapping=True))
             for cue in tables.by_needle[needle]]
    if exact:
        for stem in tables.exact_stems.intersection(forms.stems):
            found.extend(cue for cue in tables.exact[stem] if cue.word in forms.words)
    return found


_TOPIC_ORDER = {topic: number for number, topic in enumerate(TOPIC_IDS)}


def _ranked(title_cues: list[Cue], body_cues: list[Cue]) -> list[tuple[str, int]]:
    """The topics kept, best first, with their scores."""
    # Plain loops, no generator or lambda per topic: this runs for every article stored.
    scores: dict[str, int] = {}
    for cue in title_cues:
        scores[cue.topic] = scores.get(cue.topic, 0) + TITLE_WEIGHT * cue.weight
    body: dict[str, int] = {}
    for cue in body_cues:
        body[cue.topic] = body.get(cue.topic, 0) + cue.weight
    for topic, weight in body.items():
        scores[topic] = scores.get(topic, 0) + (weight if weight < BODY_CAP else BODY_CAP)
    if not scores:
        return []
    floor = max(MIN_SCORE, RELATIVE_SCORE * max(scores.values()))
    kept = [(topic, score) for topic, score in scores.items() if score >= floor]
    if len(kept) == 1:  # most articles: nothing to exclude or order
        return kept
    beating = dict(kept)
    ranked = []
    for topic, score in kept:
        for other in EXCLUDED_BY.get(topic, ()):
            if beating.get(other, 0) > score:
                break
        else:
            ranked.append((-score, _TOPIC_ORDER[topic], topic))
    ranked.sort()
    return [(topic, -negative) for negative, _, topic in ranked[:MAX_TOPICS]]


def topic_ids(title: TextForms, body: TextForms) -> list[str]:
    """The topics an article with this title and text is about, best first."""
    return [topic for topic, _ in _ranked(_found_cues(title, exact=True), _found_cues(body, exact=False))]


def topic_evidence(title: TextForms, body: TextForms) -> list[Evidence]:
    """`topic_ids` with the evidence of each: its score and the cues found in the title and in the text."""
    title_cues, body_cues = _found_cues(title, exact=True), _found_cues(body, exact=False)
    return [
        Evidence(topic, score, tuple(sorted(cue.phrase for cue in title_cues if cue.topic == topic)),
                 tuple(sorted(cue.phrase for cue in body_cues if cue.topic == topic)))
        for topic, score in _ranked(title_cues, body_cues)
    ]


def article_topics(title: str, body: str) -> list[str]:
    """The topic ids of an article, best first (stems computed here; the archive passes its own)."""
    return topic_ids(TextForms.of(title), TextForms.of(body))
