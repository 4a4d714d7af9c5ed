"""The docs stay true: docs/cli.md is what the click commands print, every command and option is described in a
concern page of docs/, and the README tour's console examples print what they show."""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import click
import httpx
import pytest
from cogapp import Cog

from scraper.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CLI_REFERENCE = DOCS / "cli.md"
NOT_CONCERN_PAGES = {CLI_REFERENCE, DOCS / "README.md"}  # the generated reference and the index
TOUR_HEADING = "## A five-minute tour"
BIN = Path(sys.executable).parent

# When not on a terminal the crawl logs a timestamped line per site to stderr, where a terminal shows a progress bar.
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d [A-Z]+ ")
SHOWN_PORT = "127.0.0.1:8001"  # the tour shows `warta serve`'s default port; the test serves on a free one


def test_cli_reference_is_what_the_commands_print() -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        status = Cog().main(["cog", "--check", "--diff", str(CLI_REFERENCE)])
    assert status == 0, f"docs/cli.md is out of date with the click commands: run `make docs`\n{out.getvalue()}"


def command_paths(group: click.Group, path: tuple[str, ...] = ()):
    """Every command under `group`, as the words after `warta`, with the click command."""
    for name in sorted(group.commands):
        command = group.commands[name]
        if isinstance(command, click.Group):
            yield from command_paths(command, (*path, name))
        else:
            yield (*path, name), command


def long_options(command: click.Command) -> list[str]:
    return [opt for param in command.params if isinstance(param, click.Option)
            for opt in (*param.opts, *param.secondary_opts) if opt.startswith("--") and opt != "--help"]


COMMAND_OPTIONS = [(" ".join(path), option) for path, command in command_paths(cli)
                   for option in ["", *long_options(command)]]


@functools.cache
def concern_pages() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(DOCS.glob("*.md"))
            if path not in NOT_CONCERN_PAGES}


def mentions(text: str, word: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


@pytest.mark.parametrize(("command", "option"), COMMAND_OPTIONS,
                         ids=[f"{command} {option}".strip() for command, option in COMMAND_OPTIONS])
def test_every_command_and_option_is_described_in_a_concern_page(command: str, option: str) -> None:
    pages = {name: text for name, text in concern_pages().items() if mentions(text, f"warta {command}")}
    assert pages, f"`warta {command}` is in no page of docs/ but cli.md: describe it in the page of its concern"
    if option:
        assert any(mentions(text, option) for text in pages.values()), (
            f"`warta {command} {option}` is described in no page of docs/ that explains `warta {command}` "
            f"({', '.join(pages)}); docs/cli.md alone is not enough: say what {option} does there")


def test_every_relative_link_resolves() -> None:
    pages = [ROOT / "README.md", ROOT / "SECURITY.md", ROOT / "CHANGELOG.md", *sorted(DOCS.glob("*.md"))]
    broken = [f"{page.relative_to(ROOT)}: {target}" for page in pages
              for target in re.findall(r"\]\(([^)#\s]+)[^)]*\)", page.read_text(encoding="utf-8"))
              if "://" not in target and not (page.parent / target).exists()]
    assert not broken, "links to files that do not exist:\n" + "\n".join(broken)


def importable(dotted: str) -> bool:
    """Whether `dotted` (a module, or a module's attribute path) exists."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            if not hasattr(obj, attribute):
                return False
            obj = getattr(obj, attribute)
        return True
    return False


def test_every_file_and_python_name_the_docs_give_exists() -> None:
    """A module moved or renamed by a change must move in the docs too."""
    texts = {"README.md": (ROOT / "README.md").read_text(encoding="utf-8"), **concern_pages()}
    missing = []
    for name, text in texts.items():
        for path in re.findall(r"`((?:scraper|archive|tests|benchmarks|scripts)/[^`\s(:]*)", text):
            if not any(char in path for char in "*<{") and not (ROOT / path).exists():
                missing.append(f"{name}: {path}")
        missing += [f"{name}: {dotted}" for dotted in re.findall(r"`((?:scraper|archive)\.[A-Za-z_][\w.]*)", text)
                    if not importable(dotted)]
    assert not missing, "the docs name files or Python names that do not exist (moved? update the page):\n" + (
        "\n".join(missing))


def test_the_version_flag_is_documented() -> None:
    assert any(mentions(text, "--version") for text in concern_pages().values())


@dataclass
class Example:
    command: str
    shown: list[str] = field(default_factory=list)


def console_examples(markdown: str) -> list[Example]:
    """The `$ command` lines of the console blocks in `markdown`, each with the output shown under it."""
    examples: list[Example] = []
    for block in re.findall(r"```console\n(.*?)```", markdown, re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                examples.append(Example(line[2:]))
            else:
                examples[-1].shown.append(line)
    return examples


def normalised(lines: list[str]) -> str:
    kept = [line.rstrip() for line in lines if not LOG_LINE.match(line)]
    return "\n".join(kept).strip("\n")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(command: str, env: dict[str, str], cwd: Path, port: int) -> tuple[subprocess.Popen, str]:
    """Run a `warta serve` example on `port` and return it with the line it printed, once it answers."""
    # `exec`: the shell becomes warta, so terminating it stops the server (a shell parent would leave it running)
    server = subprocess.Popen(f"exec {command} --port {port}", shell=True, cwd=cwd, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    first_line = server.stdout.readline()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/-/versions.json", timeout=2, trust_env=False).status_code == 200:
                return server, first_line
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise AssertionError(f"`{command}` never answered on port {port}: {first_line}")


def check_examples(where: str, examples: list[Example], cwd: Path) -> None:
    """Run each example in `cwd` in turn, as a user would in a shell, and compare what it prints with what `where`
    shows: stdout and stderr as a terminal interleaves them, tables at 100 columns, the crawl's log lines dropped,
    and `warta serve` started on a free port that the output and later commands show as the default one."""
    env = {name: value for name, value in os.environ.items() if not name.lower().endswith("_proxy")}  # curl: direct
    env |= {"PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    port = free_port()
    server = None
    try:
        for example in examples:
            if example.command.startswith("warta serve"):
                server, printed = start_server(example.command, env, cwd, port)
                output = [printed.replace(f"127.0.0.1:{port}", SHOWN_PORT)]
            else:
                command = example.command.replace(SHOWN_PORT, f"127.0.0.1:{port}")
                result = subprocess.run(command, shell=True, cwd=cwd, env=env, text=True, timeout=120,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                output = result.stdout.splitlines()
            assert normalised(output) == normalised(example.shown), (
                f"{where}: `{example.command}` printed\n{normalised(output)}\nbut {where} shows\n"
                f"{normalised(example.shown)}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)


def test_the_readme_tour_prints_what_it_shows(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = console_examples(readme.split(TOUR_HEADING, 1)[1].split("\n## ", 1)[0])
    assert examples and examples[0].command == "warta demo", "the tour's first console example is `warta demo`"
    check_examples("README.md's tour", examples, tmp_path)


def with_school_list(folder: Path) -> None:
    shutil.copy(ROOT / "tests" / "data" / "schools" / "dapodik_kaltim.csv", folder)


def with_a_mistyped_zone(folder: Path) -> None:
    """The shipped config.toml with its first site's time zone misspelled, as configuration.md's example has it."""
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    (folder / "config.toml").write_text(text.replace("Asia/Makassar", "Asia/Balikpapan", 1), encoding="utf-8")


# The pages whose console examples run as they are shown, and what each needs in its folder first.
PAGES_WITH_EXAMPLES = {"dates.md": None, "schools.md": with_school_list, "configuration.md": with_a_mistyped_zone}


@pytest.mark.parametrize("page", PAGES_WITH_EXAMPLES)
def test_the_console_examples_of_a_page_print_what_they_show(page: str, tmp_path: Path) -> None:
    if PAGES_WITH_EXAMPLES[page]:
        PAGES_WITH_EXAMPLES[page](tmp_path)
    examples = console_examples((DOCS / page).read_text(encoding="utf-8"))
    assert examples, f"docs/{page} has no console example any more: drop it from PAGES_WITH_EXAMPLES"
    check_examples(f"docs/{page}", examples, tmp_path)
