"""The README documents every command and option, and its quick start is what CI runs."""

from __future__ import annotations

import re

from click.testing import CliRunner

from conftest import ROOT
from generator.cli.main import main

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_has_help_and_is_in_the_readme():
    runner = CliRunner()
    for name, command in main.commands.items():
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help, name
        assert f"aidreport {name}" in README, name


def test_every_build_option_is_in_the_readme():
    for param in main.commands["build"].params:
        for opt in param.opts:
            if opt.startswith("--") and opt not in {"--help", "--quiet"}:
                assert opt in README, opt


def test_the_quick_start_is_two_commands_and_ci_runs_the_second():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^(make \w+)", section, flags=re.M)
    assert commands == ["make build", "make test"]
    assert "make test" in (ROOT / ".ci/run").read_text(encoding="utf-8")


def test_the_readme_timings_are_the_last_benchmark_run():
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from results import block, load, readme_block

    results = load()
    assert readme_block(README) == block(results)
    assert {row[0].split()[0] for row in results["rows"]} >= {"1a", "2", "3a", "7a", "7b"}


def test_the_quick_start_times_are_the_last_measurement():
    """The Quick start's times and counts are bench/quickstart's, never typed."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from quickstart import block, load, readme_block

    results = load()
    assert readme_block(README) == block(results)
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert readme_block(README) in quick
    assert "210 outputs" not in README and "about 4 MB" not in README  # the numbers typed before
