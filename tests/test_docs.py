"""The README is a front door to docs/: the pages document every command and option, every link between
them resolves, and the numbers in them are the last measurements, never typed."""

from __future__ import annotations

import re
import sys

import click
from click.testing import CliRunner

from conftest import ROOT
from generator.cli.main import main

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"
CLI = (DOCS / "cli.md").read_text(encoding="utf-8")
sys.path.insert(0, str(ROOT / "bench"))


def _commands(group: click.Group, prefix: str = "aidreport"):
    """Every command of the command line, with its full name (aidreport figures export, …)."""
    for name, command in sorted(group.commands.items()):
        yield f"{prefix} {name}", command
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix} {name}")


def test_every_command_has_help_and_is_in_docs_cli():
    runner = CliRunner()
    found = list(_commands(main))
    assert len(found) >= 12
    for full, command in found:
        result = runner.invoke(main, [*full.split()[1:], "--help"])
        assert result.exit_code == 0, full
        assert command.help, full
        assert f"`{full}" in CLI, f"{full} is not in docs/cli.md"


def test_every_option_of_every_command_is_in_docs_cli():
    missing = [f"{full} {opt}" for full, command in _commands(main) for param in command.params
               for opt in param.opts if opt.startswith("--") and opt != "--help" and opt not in CLI]
    missing += [opt for param in main.params for opt in param.opts if opt.startswith("-") and opt not in CLI
                and opt not in ("--help", "--version")]
    assert not missing, missing


def _anchors(text: str) -> set[str]:
    """GitHub's anchors of a page's headings."""
    found = set()
    for heading in re.findall(r"(?m)^#+ (.+)$", text):
        found.add(re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-"))
    return found


def _links(pages):
    for page in pages:
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"(?s)```.*?```", "", text)  # not in code
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            yield page, target


def test_every_link_between_the_pages_resolves():
    pages = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
    broken = []
    for page, target in _links(pages):
        if re.match(r"[a-z]+://", target):
            continue
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if not dest.exists():
            broken.append(f"{page.relative_to(ROOT)}: {target} (no such file)")
        elif anchor and dest.suffix == ".md" and anchor not in _anchors(dest.read_text(encoding="utf-8")):
            broken.append(f"{page.relative_to(ROOT)}: {target} (no such heading)")
    assert not broken, "\n".join(broken)


def test_a_broken_link_is_found(tmp_path):
    (tmp_path / "a.md").write_text("# A\n\n[b](b.md#there) [c](c.md) [self](#a)\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# B\n\n## Here\n", encoding="utf-8")
    links = list(_links([tmp_path / "a.md"]))
    assert [t for _, t in links] == ["b.md#there", "c.md", "#a"]
    assert _anchors((tmp_path / "b.md").read_text()) == {"b", "here"}


def test_the_readme_is_a_front_door():
    assert len(README.splitlines()) <= 150
    for page in sorted(DOCS.glob("*.md")):
        assert f"(docs/{page.name})" in README, f"the README does not link docs/{page.name}"


def test_architecture_names_every_folder_of_the_package():
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    folders = sorted(p.name for p in (ROOT / "generator").iterdir() if (p / "__init__.py").is_file())
    assert len(folders) >= 10
    for folder in folders:
        assert re.search(rf"(?m)^\| `{folder}/` \| .+ \|$", text), folder


def test_the_quick_start_is_two_commands_and_ci_runs_the_second():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^(make \w+)", section, flags=re.M)
    assert commands == ["make build", "make test"]
    assert "make test" in (ROOT / ".ci/run").read_text(encoding="utf-8")


def test_the_bench_table_is_the_last_benchmark_run():
    from results import PAGE, block, load, page_block

    results = load()
    assert page_block(PAGE.read_text(encoding="utf-8")) == block(results)
    assert {row[0].split()[0] for row in results["rows"]} >= {"1a", "2", "3a", "7a", "7b"}


def test_the_quick_start_times_are_the_last_measurement():
    """The Quick start's times and counts are bench/quickstart's, never typed."""
    from quickstart import block, load, readme_block

    results = load()
    assert readme_block(README) == block(results)
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert readme_block(README) in quick
    assert "210 outputs" not in README and "about 4 MB" not in README  # the numbers typed before
