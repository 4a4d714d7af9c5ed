"""What a `warta` process imports before it works: a command of scraper/cli.py does not load the modules of the
commands defined elsewhere (the archive's, `serve`, the distributed crawl's), and those are all still there."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

from scraper.cli import cli

REPO = Path(__file__).resolve().parent.parent
ELSEWHERE = {"serve", "worker", "writer", "import", "export", "search", "explain", "stats", "sites"}
NOT_NEEDED_TO_EXTRACT = ("archive.cli", "archive.serve", "archive.sites_cli", "scraper.config",
                         "scraper.distributed.cli")


def modules_after(*args: str) -> set[str]:
    """The modules a `warta ARGS` process has imported when it ends (it runs in a subprocess)."""
    program = ("import sys\nfrom scraper.cli import cli\ntry:\n    cli(prog_name='warta')\nexcept SystemExit:\n"
               "    pass\nprint(' '.join(sorted(sys.modules)), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", program, *args], capture_output=True, text=True, cwd=REPO,
                            timeout=120, check=False)
    return set(result.stderr.splitlines()[-1].split())


def test_extracting_a_page_imports_no_other_command(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Kegiatan</title></head><body><h1>Kegiatan</h1><p>Isi.</p></body></html>")
    loaded = modules_after("extract", "--all", str(page))
    assert "scraper.extract_files" in loaded
    assert not loaded & set(NOT_NEEDED_TO_EXTRACT)


def test_every_command_is_registered_when_the_commands_are_read() -> None:
    assert set(cli.commands) >= ELSEWHERE
    assert all(isinstance(cli.commands[name], click.Command) for name in ELSEWHERE)


def test_a_command_defined_elsewhere_runs_by_its_name() -> None:
    loaded = modules_after("stats", "--help")
    assert "archive.cli" in loaded
    result = subprocess.run([sys.executable, "-m", "scraper", "sites", "--help"], capture_output=True, text=True,
                            cwd=REPO, timeout=120, check=False)
    assert result.returncode == 0 and "Usage: warta sites" in result.stdout


def test_a_user_error_raised_in_a_lazily_imported_module_is_one_line() -> None:
    result = subprocess.run([sys.executable, "-m", "scraper", "crawl", "--config", "no-such-config.toml"],
                            capture_output=True, text=True, cwd=REPO, timeout=120, check=False)
    assert result.returncode == 2
    assert result.stderr.startswith("warta: error: ") and result.stderr.count("\n") == 1
