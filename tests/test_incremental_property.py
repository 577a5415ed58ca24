"""An incremental build is always the clean build (issue 19): random edits, then `build`, give the bytes of
`build --force` into an empty folder, for every file, and the same set of files.

The corpus is small so that builds are cheap: two districts (Baoshan, Minhang) and their events, one
instalment of the two. Each example copies it with a previous build in output/, makes one to five edits
from the catalogue (incremental_edits.py), building after some of them, builds once more, and
compares output/ with a clean build of the same data. A clean build of the same bytes gives the same
bytes, so clean builds are kept for the session by the content of data/ and templates/.

Builds go three ways: the command line (`aidreport build`); the preview's way (serve.py's Builder: HTML
first, then every format), in this process as `aidreport serve` runs it; and, between edits only, a
build of some documents (`--only press/*`). The last build makes every document.

`make test` runs the ci profile: HTML and the WeChat edition only, N_CI generated examples,
derandomized (the explicit cases, a new district and a removed event, have tests of their own in
test_incremental.py). `make test-all` (thorough) builds every format: the explicit cases, then
N_THOROUGH examples.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, TEST_ALL, run_cli
from hypothesis import Phase, example, given, note, settings
from hypothesis import strategies as st
from incremental_edits import EDITS, apply_step, edit_yaml

from generator.build.stamp import FORMATS

N_CI, N_THOROUGH = 2, 20
BUILT = FORMATS if TEST_ALL else ("html", "wechat")  # the formats each build makes
KEPT = ("baoshan", "minhang")  # the corpus's districts: each has one event


# The corpus, the builds and the comparison ------------------------------------------------------------

def make_corpus(dest: Path) -> Path:
    """Copy the project and keep two districts, their events, and an instalment of the two."""
    for name in ("data", "templates"):
        shutil.copytree(ROOT / name, dest / name)
    for path in [*(dest / "data/districts").glob("*.yaml"), *(dest / "data/events").glob("*.yaml")]:
        if not path.name.startswith(KEPT):
            path.unlink()
    edit_yaml(dest / "data/series.yaml", lambda s: s["instalments"][0].__setitem__("districts", list(KEPT)))
    return dest


def formats_args(formats: tuple[str, ...]) -> list[str]:
    return [arg for fmt in formats for arg in ("--format", fmt)]


def build_cli(root: Path) -> str:
    result = run_cli("-C", str(root), "build", "--jobs", "1", *formats_args(BUILT))
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def build_as_serve(root: Path) -> str:
    """Build as `aidreport serve` does, in this process: the HTML first, then every format (serve.Builder)."""
    from generator.editing.serve import Builder

    said: list[str] = []
    builder = Builder(root, lambda line, err=False: said.append(line))
    for formats in (("html",), BUILT):
        assert builder._pass(formats, []), "\n".join(said)
        assert not builder.state.errors, builder.state.errors
    return "\n".join(said)


def build_only(root: Path) -> str:
    """A build of some documents only (`--only`), which leaves the others as they were."""
    result = run_cli("-C", str(root), "build", "--jobs", "1", "--only", "press/*", *formats_args(BUILT))
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


WAYS = {"cli": build_cli, "serve": build_as_serve, "only": build_only}
FULL = ("cli", "serve")  # the ways that build every document: the last build is one of them


def outputs(folder: Path) -> dict[str, bytes]:
    """Every file a build leaves (not the hidden ones: the lock, the template cache)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)}


def state_key(root: Path) -> str:
    digest = hashlib.sha256(repr(BUILT).encode())
    for folder in ("data", "templates"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


_clean: dict[str, dict[str, bytes]] = {}


def clean_build(root: Path, scratch: Path) -> dict[str, bytes]:
    """The outputs of `build --force` into an empty folder (kept by the content of data/ and templates/)."""
    key = state_key(root)
    if key not in _clean:
        out = scratch / f"clean-{key[:16]}"
        result = run_cli("-C", str(root), "build", "--force", "--jobs", "1", *formats_args(BUILT),
                         "--output", str(out))
        assert result.returncode == 0, result.stdout + result.stderr
        _clean[key] = outputs(out)
        shutil.rmtree(out)
    return _clean[key]


def differences(made: dict[str, bytes], clean: dict[str, bytes]) -> list[str]:
    found = [f"not made (a clean build makes it): {rel}" for rel in sorted(set(clean) - set(made))]
    found += [f"left over (a clean build does not make it): {rel}" for rel in sorted(set(made) - set(clean))]
    found += [f"other bytes than a clean build's: {rel}" for rel in sorted(set(made) & set(clean))
              if made[rel] != clean[rel]]
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The small corpus with a build of it in output/ (the previous build every example starts from)."""
    root = make_corpus(tmp_path_factory.mktemp("corpus") / "project")
    build_cli(root)
    return root


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("scratch")


STEP = st.tuples(st.sampled_from(sorted(EDITS)), st.integers(0, 60), st.integers(0, 60),
                 st.sampled_from([None, None, "cli", "serve", "only"]))
NEW_DISTRICT_CASE = [("add district", 0, 0, "cli")]
REMOVED_EVENT_CASE = [("remove event", 0, 0, "cli")]
# An editor's override written, its figure changed, then the override removed (incremental_edits.edit_override).
OVERRIDE_CASE = [("edit override", 0, 2, "cli"), ("change fact", 0, 0, None), ("edit override", 0, 0, "only")]


# Under ci a failure is reported as found (up to five edits): shrinking it would take minutes of builds.
@settings(max_examples=N_THOROUGH if TEST_ALL else N_CI,
          phases=list(Phase) if TEST_ALL else [Phase.reuse, Phase.generate])
@example(steps=NEW_DISTRICT_CASE)
@example(steps=REMOVED_EVENT_CASE)  # both also in test_incremental.py
@example(steps=OVERRIDE_CASE)
@given(steps=st.lists(STEP, min_size=1, max_size=5))
def test_an_incremental_build_gives_the_bytes_of_a_clean_build(corpus: Path, scratch: Path, tmp_path_factory,
                                                               steps):
    root = tmp_path_factory.mktemp("example") / "project"
    shutil.copytree(corpus, root)
    for n, step in enumerate(steps):
        note(f"edit {n + 1}: {apply_step(root, step)}")
        ways = [step[3]] if step[3] else []
        if n == len(steps) - 1 and step[3] not in FULL:
            ways.append("cli")
        for way in ways:
            said = WAYS[way](root).strip()
            note(f"build ({way}): {said.splitlines()[-1] if said else ''}")
    found = differences(outputs(root / "output"), clean_build(root, scratch))
    shutil.rmtree(root.parent)
    assert not found, "\n".join(found)
