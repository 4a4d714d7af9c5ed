"""Indonesia's 38 provinces as official lists spell them, and the time zone each keeps (WIB, WITA, WIT).

`province("Prov. Jawa Barat")` is `("Jawa Barat", "Asia/Jakarta")`: the name as warta stores it and the zone
its schools' dates are read in. Spellings seen in Dapodik, Kemenag and provincial lists are folded first:
`Prov.`/`Provinsi`/`Propinsi` prefixes, dotted abbreviations (`D.K.I.`, `D.I.`, `Kep.`), `Sumatra`, the usual
short names (`Jabar`, `Kaltim`, `NTB`, `DIY`...).
"""

from __future__ import annotations

import re

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"

_ZONES = {
    WIB: ("Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi", "Sumatera Selatan",
          "Kepulauan Bangka Belitung", "Bengkulu", "Lampung", "DKI Jakarta", "Jawa Barat", "Banten", "Jawa Tengah",
          "DI Yogyakarta", "Jawa Timur", "Kalimantan Barat", "Kalimantan Tengah"),
    WITA: ("Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara", "Bali", "Nusa Tenggara Barat",
           "Nusa Tenggara Timur", "Sulawesi Utara", "Gorontalo", "Sulawesi Tengah", "Sulawesi Barat",
           "Sulawesi Selatan", "Sulawesi Tenggara"),
    WIT: ("Maluku", "Maluku Utara", "Papua", "Papua Barat", "Papua Barat Daya", "Papua Selatan", "Papua Tengah",
          "Papua Pegunungan"),
}
ZONE_OF = {name: zone for zone, names in _ZONES.items() for name in names}

# Other names of a province, written as `_key` leaves them (lower case, letters and single spaces).
_ALIASES = {
    "nanggroe aceh darussalam": "Aceh", "nad": "Aceh", "daerah istimewa aceh": "Aceh",
    "sumut": "Sumatera Utara", "sumbar": "Sumatera Barat", "sumsel": "Sumatera Selatan",
    "kepri": "Kepulauan Riau", "bangka belitung": "Kepulauan Bangka Belitung", "babel": "Kepulauan Bangka Belitung",
    "dki": "DKI Jakarta", "jakarta": "DKI Jakarta", "daerah khusus ibukota jakarta": "DKI Jakarta",
    "daerah khusus jakarta": "DKI Jakarta", "dki jakarta raya": "DKI Jakarta",
    "jabar": "Jawa Barat", "jateng": "Jawa Tengah", "jatim": "Jawa Timur",
    "yogyakarta": "DI Yogyakarta", "diy": "DI Yogyakarta", "daerah istimewa yogyakarta": "DI Yogyakarta",
    "kalbar": "Kalimantan Barat", "kalteng": "Kalimantan Tengah", "kalsel": "Kalimantan Selatan",
    "kaltim": "Kalimantan Timur", "kaltara": "Kalimantan Utara",
    "ntb": "Nusa Tenggara Barat", "ntt": "Nusa Tenggara Timur",
    "sulut": "Sulawesi Utara", "sulteng": "Sulawesi Tengah", "sulbar": "Sulawesi Barat",
    "sulsel": "Sulawesi Selatan", "sultra": "Sulawesi Tenggara", "malut": "Maluku Utara",
    "irian jaya": "Papua", "irian jaya barat": "Papua Barat", "pabar": "Papua Barat",
    "pbd": "Papua Barat Daya",
}
_PREFIX = re.compile(r"^(?:prov|provinsi|propinsi|province)\s+")


def _key(text: str) -> str:
    """Lower case, dotted abbreviations joined (`d.k.i.` → `dki`), punctuation gone, one space between words."""
    text = text.casefold().replace("_", " ")
    text = re.sub(r"\b(?:[a-z]\.){2,}", lambda m: m.group(0).replace(".", "") + " ", text)   # d.k.i. → dki
    text = re.sub(r"\bkep\.", "kepulauan ", text)
    text = re.sub(r"\bprov\.", "prov ", text)
    text = re.sub(r"[^a-z]+", " ", text).strip()
    text = _PREFIX.sub("", text)
    words = ["sumatera" if word == "sumatra" else "kepulauan" if word == "kep" else word for word in text.split()]
    return " ".join(words)


_BY_KEY = {**{_key(name): name for name in ZONE_OF}, **_ALIASES}


def province(text: str | None) -> tuple[str, str] | None:
    """(province name as warta stores it, IANA time zone) for a province as a list writes it, or None."""
    if not text or not text.strip():
        return None
    name = _BY_KEY.get(_key(text))
    return (name, ZONE_OF[name]) if name else None
