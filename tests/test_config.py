"""config.toml loading: the shipped file is valid, and every mistake gives one line naming file, line and key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scraper.config import ConfigError, load_config

REPO = Path(__file__).resolve().parents[1]
WARTA = [sys.executable, "-m", "scraper"]

GOOD = """\
[archive]
path = "a.db"

[crawl]
delay = 0.5

[[site]]
name = "SMK Negeri 7 Balikpapan"
url = "https://smkn7balikpapan.sch.id/"
timezone = "Asia/Makassar"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_config_lists_the_two_schools_in_wita():
    config = load_config(REPO / "config.toml")
    hosts = {site.host: site for site in config.sites}
    assert set(hosts) == {"smkn7balikpapan.sch.id", "smkn5bjm.sch.id"}
    assert all(site.timezone == "Asia/Makassar" for site in config.sites)
    assert config.crawl.delay == 1.0 and config.crawl.hosts_in_parallel == 16
    assert config.archive.path == REPO / "archive.db"


def test_paths_are_relative_to_the_config_file(tmp_path):
    config = load_config(write(tmp_path, GOOD))
    assert config.archive.path == tmp_path / "a.db"
    assert config.archive.captures == tmp_path / "captures/"
    assert config.crawl.delay == 0.5 and config.crawl.timeout == 30.0


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('timezone = "Asia/Makassar"', 'timezone = "Asia/Balikpapan"'),
         ":10: [[site]] #1 timezone: unknown time zone 'Asia/Balikpapan'"),
        (('url = "https://smkn7balikpapan.sch.id/"', 'url = "smkn7balikpapan.sch.id"'),
         ":9: [[site]] #1 url: not an http(s) URL"),
        (("delay = 0.5", "dealy = 0.5"), ":5: [crawl] dealy: unknown key (did you mean 'delay'?)"),
        (("delay = 0.5", 'delay = "fast"'), ":5: [crawl] delay: expected a number, got str"),
        (("delay = 0.5", "delay = -1"), ":5: [crawl] delay: must not be negative"),
        (('name = "SMK Negeri 7 Balikpapan"\n', ""), ":7: [[site]] #1: missing required key 'name'"),
        (('path = "a.db"', "path = 3"), ":2: [archive] path: expected a string, got int"),
    ],
)
def test_mistakes_name_file_line_and_key(tmp_path, change, expected):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert expected in message
    assert "\n" not in message


def test_invalid_toml_and_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(write(tmp_path, "[crawl\ndelay = 1"))
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_select_sites_by_name_or_host(tmp_path):
    config = load_config(REPO / "config.toml")
    assert [s.host for s in config.select_sites(["smkn5bjm.sch.id"])] == ["smkn5bjm.sch.id"]
    assert len(config.select_sites(["SMK Negeri 7 Balikpapan"])) == 1
    assert config.select_sites([]) == config.sites
    with pytest.raises(ConfigError, match="no \\[\\[site\\]\\] named 'SMA 1'"):
        config.select_sites(["SMA 1"])


def test_cli_reports_a_config_error_in_one_line_with_exit_2(tmp_path):
    path = write(tmp_path, GOOD.replace("Asia/Makassar", "Mars/Olympus"))
    result = subprocess.run([*WARTA, "crawl", "--config", str(path)], capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "timezone" in lines[0] and "Mars/Olympus" in lines[0] and str(path) in lines[0]
    assert "Traceback" not in result.stderr
