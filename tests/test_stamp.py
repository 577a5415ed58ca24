"""A build with nothing to do is told from output/.stamp.json, without the stages (build/stamp.py).

Every case starts from a copy of the session's build of the same data (its outputs, manifest and stamp)
and asks `nothing_to_do`, then the command: the stamp answers only when every input and every output is
as the last build left it; anything else goes to the full build, which decides as before.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import Built, run_cli
from generator.build.stamp import FORMATS, STAMP, nothing_to_do


@pytest.fixture(scope="module")
def built_copy(built: Built, tmp_path_factory) -> tuple[Path, Path]:
    """A copy of the project and of the session's build of it, shared by this module's tests: each puts back
    what it changes."""
    from conftest import ROOT

    folder = tmp_path_factory.mktemp("stamp")
    for name in ("data", "templates"):
        shutil.copytree(ROOT / name, folder / "project" / name)
    shutil.copytree(built.output, folder / "out")
    return folder / "project", folder / "out"


@pytest.fixture
def project_copy(built_copy) -> Path:
    return built_copy[0]


@pytest.fixture
def output(built_copy) -> Path:
    project, out = built_copy
    first = run_cli("-C", str(project), "build", "--output", str(out))
    assert first.returncode == 0 and first.stdout.startswith("nothing to do: "), first.stdout + first.stderr
    return out


def _ask(project: Path, out: Path):
    return nothing_to_do(project.resolve(), out.resolve(), FORMATS, ())


def test_the_stamp_answers_only_while_everything_is_as_the_last_build_left_it(project_copy: Path, output: Path):
    stamp = json.loads((output / STAMP).read_text(encoding="utf-8"))
    assert stamp["counted"] == len([rel for rel in stamp["files"] if rel != "index.html"
                                    and not rel.startswith("fonts/")])
    said = _ask(project_copy, output)
    assert said == {"warnings": stamp["warnings"], "counted": stamp["counted"]}
    # Touched, same bytes: the hash is read again and still answers.
    article = output / "en/articles/baoshan-minhang-jiading-jinshan.pdf"
    os.utime(article, ns=(1, 1))
    assert _ask(project_copy, output) == said
    # An output's bytes changed, a record's, an option, the manifest: the full build decides.
    article.write_bytes(article.read_bytes() + b"\n")
    assert _ask(project_copy, output) is None
    article.write_bytes(article.read_bytes()[:-1])
    assert _ask(project_copy, output) == said
    record = project_copy / "data/districts/baoshan.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("value: 11281", "value: 11282"), encoding="utf-8")
    assert _ask(project_copy, output) is None
    record.write_text(text, encoding="utf-8")
    assert _ask(project_copy, output) == said
    assert nothing_to_do(project_copy.resolve(), output.resolve(), ("pdf",), ()) is None
    manifest = (output / "manifest.json").read_bytes()
    (output / "manifest.json").write_bytes(manifest + b" ")
    assert _ask(project_copy, output) is None
    (output / "manifest.json").write_bytes(manifest)  # put back: the next build writes the stamp again


def test_a_font_source_or_a_stamp_from_an_interrupted_commit_is_not_trusted(project_copy: Path, output: Path):
    stamp = json.loads((output / STAMP).read_text(encoding="utf-8"))
    assert len(stamp["font_files"]) >= 7  # the CJK and Latin sources, and what prepares them
    changed = dict(stamp, font_files={**stamp["font_files"], next(iter(stamp["font_files"])): [1, 1]})
    (output / STAMP).write_text(json.dumps(changed), encoding="utf-8")
    assert _ask(project_copy, output) is None
    (output / STAMP).write_text("{", encoding="utf-8")
    assert _ask(project_copy, output) is None
    # The full build then says the same as the stamp did, and writes nothing.
    again = run_cli("-C", str(project_copy), "build", "--output", str(output))
    assert again.returncode == 0 and again.stdout.startswith("nothing to do: "), again.stdout


def test_a_build_with_nothing_to_do_imports_no_stage(project_copy: Path, output: Path):
    """Told from the stamp: neither the records' models, Jinja, nor WeasyPrint are imported."""
    from test_lazy_imports import _imported

    _, stages, said = _imported("-C", str(project_copy), "build", "--output", str(output),
                                watch=("pydantic", "jinja2", "weasyprint", "generator.build.run", "generator.view.deps"))
    assert said.startswith("nothing to do: "), said
    assert stages == []
