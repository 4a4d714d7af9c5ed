"""The school's counterparts named in an article (../shared/TOPICS.md): companies, universities, polytechnics,
training and certification bodies, government agencies and other schools, with their names as written.

A name starts with a word that says what kind of organisation it is (`PT`, `Universitas`, `Politeknik`, `Dinas`,
`Puskesmas`, `SMK Negeri` ...) and runs over the capitalised words, numbers and `(Persero)`/`Tbk` after it, up
to a lower-case word, punctuation, another organisation or, in a Title Case headline, a verb (`Teken`, `Beri`).
The text's spelling wins over a headline's; the school writing the article (the school named most often) is
not its own counterpart, nor is an organisation only mentioned as an organiser or approver
(`diselenggarakan ...`, `disahkan oleh ...`). `organisation_key` folds a name for matching, so `PT. Astra Honda
Motor`, `PT Astra Honda Motor` and `Astra Honda Motor` are one organisation.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ahocorasick_rs import AhoCorasick, BytesAhoCorasick, MatchKind

# Bump with every change to the rules below (it is part of the topic rules' version the archive records).
RULES_VERSION = 1

KINDS = ("company", "university", "polytechnic", "school", "government", "other")

HEADS: dict[str, str] = {
    **dict.fromkeys(("PT", "PT.", "CV", "CV.", "UD", "Hotel", "Bank", "KAP"), "company"),
    **dict.fromkeys(("Universitas", "Institut", "Sekolah Tinggi", "Akademi", "STMIK", "STIE", "STKIP", "UIN",
                     "IAIN"), "university"),
    "Politeknik": "polytechnic",
    **dict.fromkeys(("SMK", "SMKN", "SMA", "SMAN", "SMP", "SMPN", "SD", "SDN", "MAN", "MTs", "MTsN", "MIN",
                     "SLB"), "school"),
    **dict.fromkeys(("Dinas", "Badan", "BNN", "BPBD", "Polres", "Polresta", "Polsek", "Polda", "Satlantas",
                     "Kodim", "Koramil", "Puskesmas", "RSUD", "Balai", "BLK", "BLPT", "BBPVP", "PPPPTK",
                     "BBPPMPV", "Satlantas Polres", "Satlantas Polresta", "Pemkab", "Pemkot", "Kejaksaan", "TVRI",
                     "Disnaker", "Dinkes"), "government"),
    **dict.fromkeys(("LSP", "LPK", "PMI", "Yayasan", "Rumah Sakit"), "other"),
}

# Title Case words that end a name in a headline (`PT Arunika Elektrik Teken Nota Kesepahaman`).
TITLE_STOPS = frozenset({
    "Teken", "Tandatangani", "Resmi", "Beri", "Berikan", "Gelar", "Gelarkan", "Adakan", "Jalin", "Melalui", "Dengan",
    "Untuk", "Di", "Ke", "Dari", "Dan", "Bersama", "Buka", "Sabet", "Raih", "Kunjungi", "Tinjau", "Serahkan",
    "Salurkan", "Latih", "Sosialisasikan", "Bahas", "Gandeng", "Dukung", "Hadir", "Hadirkan", "Bantu", "Rekrut",
    "Terima", "Kelas", "Penyuluhan", "Sosialisasi", "Lakukan", "Laksanakan", "Ikuti", "Tahun", "Periode", "Perkuat",
    "Jadi", "Pada", "Sebagai", "Dalam", "Tentang", "Lewat", "Siap", "Hingga", "Berkolaborasi", "Bermitra", "MoU",
    "PKS", "Program", "Monitoring", "Perpanjang", "Perpanjangan", "Luncurkan", "Meluncurkan", "Tangani", "Kembali",
    "Bagi", "Atas", "Oleh", "Sukses", "Belajar", "Ikut", "Mengikuti", "Berkunjung", "Kunjungan", "Juara", "Wakili",
    "Lolos", "Tampil", "Meriahkan", "Sambut", "Pusat", "Keunggulan",
})

# Words before a name that make it a mention rather than a counterpart.
MENTION_CUES = frozenset({"diselenggarakan", "disahkan", "digelar", "diadakan", "dinilai", "sambutan", "versi",
                          "diterima", "lolos", "kuliah", "melanjutkan"})

# Folded words that do not tell organisations apart (legal forms), and abbreviations written out.
_KEY_DROP = frozenset({"pt", "cv", "tbk", "persero", "ud"})
_KEY_EXPAND = {"smkn": "smk negeri", "sman": "sma negeri", "smpn": "smp negeri", "sdn": "sd negeri",
               "mtsn": "mts negeri", "bnn": "badan narkotika nasional"}
# Words of a school's name that do not name it (`SMK Negeri 1` alone is every town's).
_SCHOOL_GENERIC = frozenset({"Negeri", "Swasta", "PK", "Pusat", "Keunggulan"})

_HEAD_RE = "|".join(re.escape(head) for head in sorted(HEADS, key=len, reverse=True))
# A head, then name words: capitalised words, numbers, roman numerals, `&`, `(Persero)`, a parenthesised
# abbreviation (dropped: `Badan Narkotika Nasional (BNN) Semarang`), or `dan` between capitalised words.
_NAME_RE = re.compile(
    rf"(?<![\w.])(?P<head>{_HEAD_RE})(?![\w])(?P<rest>(?:[ \t]+(?!(?:{_HEAD_RE})(?![\w]))"
    r"(?:\([A-Z][\w]*\)|&|dan(?=[ \t]+[A-Z])|Tbk\.?|[A-Z0-9][\w'’.-]*))*)"
)
_TOKEN_RE = re.compile(r"\S+")
# A text names an organisation only if one of these words stands alone in it: the regex runs only where they are.
_HEAD_WORDS = sorted({head.split()[0] for head in HEADS})
_HEAD_FINDER = AhoCorasick(_HEAD_WORDS, matchkind=MatchKind.Standard)
# The same over a text's UTF-8 bytes: 40% fewer instructions than over the str (whose matches are turned into
# character positions), and its positions are the characters' in an ASCII text.
_HEAD_BYTES_FINDER = BytesAhoCorasick([word.encode() for word in _HEAD_WORDS], matchkind=MatchKind.Standard)
_WORDS_BEFORE = re.compile(r"\w+")


@lru_cache(maxsize=65_536)  # the same names (a school's own above all) come back in article after article
def organisation_key(name: str) -> str:
    """The name folded for matching: accents, case, punctuation and legal forms (PT, Tbk, ...) removed."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = []
    for word in re.findall(r"[a-z0-9]+", folded):
        if word not in _KEY_DROP:
            words.extend(_KEY_EXPAND.get(word, word).split())
    return " ".join(words)


@lru_cache(maxsize=65_536)
def organisation_kind(name: str) -> str:
    """company, university, polytechnic, school, government or other, from the word the name starts with."""
    match = _NAME_RE.match(name)
    return HEADS[match.group("head")] if match else "other"


@lru_cache(maxsize=65_536)  # a school's own name, above all, comes back in article after article
def _trim(head: str, rest: str, *, in_title: bool) -> str | None:
    """The name from a head and the words after it, cut where it ends; None when only a head is left."""
    kind = HEADS[head]
    words: list[str] = []
    for token in _TOKEN_RE.findall(rest):
        if in_title and token in TITLE_STOPS:
            break
        if token == "&" or token == "dan":
            words.append(token)
            continue
        if token.startswith("(") and token.rstrip(".,") != "(Persero)":
            if token.endswith("."):  # an abbreviation closing the sentence: `... Balikpapan (Poltekba).`
                break
            continue
        if token.endswith(".") and not token.startswith(("Tbk", "PT", "CV")):
            words.append(token.rstrip("."))  # the sentence ends with the name
            break
        words.append(token)
    while words and words[-1] in ("&", "dan"):
        words.pop()
    named = [word for word in words if word not in ("&", "dan")]
    generic = _SCHOOL_GENERIC if kind == "school" else frozenset()
    if not named or all(word.isdigit() or word in ("P1", "P2", "P3") or word in generic for word in named):
        return None
    return " ".join([head, *words])


def _head_positions(text: str) -> list[int]:
    """Where the words that may start a name stand in `text`: every occurrence of such a word, once the word
    stands alone somewhere in it (one pass of an automaton finds them all; most texts have few)."""
    matches = _HEAD_BYTES_FINDER.find_matches_as_indexes(text.encode(), overlapping=True)
    if not matches:  # the heads are ASCII: none in the bytes, none in the text
        return []
    if not text.isascii():
        matches = _HEAD_FINDER.find_matches_as_indexes(text, overlapping=True)
    length = len(text)
    alone = {number for number, start, end in matches
             if (start == 0 or text[start - 1].isspace()) and (end == length or text[end].isspace())}
    return sorted({start for number, start, _ in matches if number in alone})


def _candidates(text: str, *, in_title: bool) -> list[tuple[str, int]]:
    """(name, position) of every organisation name in `text` that is not a mere mention."""
    found = []
    end = 0
    for position in _head_positions(text):
        match = _NAME_RE.match(text, position) if position >= end else None  # not inside the name before
        if match is None:
            continue
        end = match.end()
        name = _trim(match.group("head"), match.group("rest"), in_title=in_title)
        before = _WORDS_BEFORE.findall(text, max(0, match.start() - 40), match.start())[-2:]
        if name and not any(word.lower() in MENTION_CUES for word in before):
            found.append((name, match.start()))
    return found


def _related(key: str, other: str) -> bool:
    """Whether two folded names are one organisation, one written longer (`smk nusa mandiri` and
    `smk nusa mandiri bogor`)."""
    return key == other or key.startswith(other + " ") or other.startswith(key + " ")


@lru_cache(maxsize=65_536)
def _same_school(key: str, other: str) -> bool:
    """Whether two folded school names name one school: they agree on the level and name (`smk nusa mandiri`)
    or, for numbered schools, on the number and the town (`smk negeri 1 martapura`)."""
    words, others = key.split(), other.split()
    shorter = min(len(words), len(others))
    common = next((index for index in range(shorter) if words[index] != others[index]), shorter)
    needed = 4 if any(word.isdigit() for word in words[:3]) else 3
    return common >= min(needed, len(words), len(others))


def article_organisations(title: str, body: str) -> list[tuple[str, str]]:
    """(name as written, kind) of each counterpart the article names, once each, in the order first named."""
    body_names = _candidates(body, in_title=False)
    title_names = _candidates(title, in_title=True)
    schools: dict[str, int] = {}  # folded school name -> times named, in the order first named
    for name, _ in title_names + body_names:
        if organisation_kind(name) == "school":
            key = organisation_key(name)
            schools[key] = schools.get(key, 0) + 1
    order = list(schools)
    own = max(order, key=lambda key: (sum(count for other, count in schools.items() if _same_school(key, other)),
                                      -order.index(key)), default=None)
    chosen: list[tuple[str, str]] = []
    keys: list[str] = []
    spelled_in_body = [(organisation_key(name), name) for name, _ in body_names]
    for name, _ in title_names + body_names:
        key = organisation_key(name)
        # A headline's name gives way to the text's spelling of the same organisation.
        key, name = next(((known, spelled) for known, spelled in spelled_in_body if _related(key, known)),
                         (key, name))
        if any(_related(key, known) for known in keys) or (own is not None and _same_school(key, own)):
            continue
        keys.append(key)
        chosen.append((name, organisation_kind(name)))
    return chosen
