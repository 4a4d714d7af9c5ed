"""The shared runner of warta's atheris harnesses (`fuzz_extract.py`, `fuzz_dates.py`): bounded time, seeds,
findings kept in a directory. Not part of CI: run a harness by hand for as long as you like."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def run(description: str, target: Callable[[bytes], None], seeds: Sequence[bytes], *,
        max_len: int, per_input_seconds: int) -> None:
    """Fuzz `target` with libFuzzer (through atheris) for `--seconds`, starting from `seeds`.

    libFuzzer prints its progress and, at the end, `Done N runs in T second(s)` and the final stats; a crash or
    an input slower than `per_input_seconds` is saved under `--findings` and named in its output.
    """
    import atheris

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--seconds", type=int, default=180, help="how long to fuzz (default 180)")
    parser.add_argument("--findings", type=Path, help="where crashing inputs go (default: a temporary directory)")
    parser.add_argument("--corpus", type=Path, help="a corpus directory to start from and grow (default: fresh)")
    options = parser.parse_args()
    corpus = options.corpus or Path(tempfile.mkdtemp(prefix="warta-fuzz-corpus-"))
    corpus.mkdir(parents=True, exist_ok=True)
    for number, seed in enumerate(seeds):
        (corpus / f"seed-{number}").write_bytes(seed)
    findings = options.findings or Path(tempfile.mkdtemp(prefix="warta-fuzz-findings-"))
    findings.mkdir(parents=True, exist_ok=True)
    print(f"corpus {corpus}, findings {findings}, {options.seconds} s", flush=True)
    atheris.Setup([sys.argv[0], str(corpus), f"-max_total_time={options.seconds}", f"-max_len={max_len}",
                   f"-timeout={per_input_seconds}", "-rss_limit_mb=2048", f"-artifact_prefix={findings}/",
                   "-print_final_stats=1"], target)
    atheris.Fuzz()
