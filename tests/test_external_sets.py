"""benchmarks/external_sets.py reads both set layouts from a folder, leaves out pages without a gold body, and
scores extractors as the sets' own evaluation scripts do (sets built here in a temporary folder)."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import external_sets  # noqa: E402

PAGE = Path(__file__).parent / "data" / "pages" / "layouts" / "slideshow.html"


def gold_set(folder: Path, bodies: dict[str, str]) -> Path:
    (folder / "html").mkdir(parents=True)
    for key in bodies:
        (folder / "html" / f"{key}.html.gz").write_bytes(gzip.compress(PAGE.read_bytes()))
    truth = {key: {"url": f"https://smkn5contoh.sch.id/{key}/", "articleBody": body} for key, body in bodies.items()}
    (folder / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return folder


def test_a_gold_set_leaves_out_pages_without_a_gold_body(tmp_path):
    story = "Jurusan Seni Rupa SMKN 5 Contoh menggelar pameran karya siswa selama tiga hari di aula sekolah."
    evaluation = external_sets.load_set(gold_set(tmp_path, {"a": story, "b": "  "}))
    assert [sample.url for sample in evaluation.samples] == ["https://smkn5contoh.sch.id/a/"]
    assert "1 pages without a gold body left out" in evaluation.name
    scores = external_sets.gold_scores(evaluation.samples, [story])
    assert scores["precision"] == scores["recall"] == 1.0


def test_a_set_without_any_gold_body_is_refused_with_its_path(tmp_path):
    with pytest.raises(ValueError, match="no articleBody"):
        external_sets.load_set(gold_set(tmp_path, {"a": ""}))
    assert external_sets.report(tmp_path / "absent", ["warta"]) == [f"{tmp_path / 'absent'}: no such folder, "
                                                                    "external set skipped"]


def test_segments_are_counted_over_the_set(tmp_path):
    (tmp_path / "eval").mkdir()
    (tmp_path / "eval" / "page.html").write_bytes(PAGE.read_bytes())
    (tmp_path / "evaldata.json").write_text(json.dumps({"https://smkn5contoh.sch.id/pameran/": {
        "file": "page.html", "with": ["menggelar pameran karya siswa", "modal untuk berkarya lagi"],
        "without": ["Foto 1 dari 6", "Hak cipta 2025"]}}), encoding="utf-8")
    evaluation = external_sets.load_set(tmp_path)
    bodies = [external_sets.warta_texts(sample)["warta"] for sample in evaluation.samples]
    assert external_sets.segment_scores(evaluation.samples, bodies) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    half = external_sets.segment_scores(evaluation.samples, ["menggelar pameran karya siswa. Foto 1 dari 6"])
    assert half == {"precision": 0.5, "recall": 0.5, "f1": 0.5}
