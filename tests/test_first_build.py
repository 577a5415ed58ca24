"""The first build: fonts made in seconds into a shared, bounded cache, the same bytes anywhere, progress as it goes."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT, TEST_ALL, Built, heavy, run_cli

DOCUMENT_SUFFIXES = {".pdf", ".docx", ".html"}


def copy_project(dest: Path) -> Path:
    for name in ("data", "templates"):
        shutil.copytree(ROOT / name, dest / name)
    return dest


def documents(output: Path) -> dict[str, str]:
    return {p.relative_to(output).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(output.rglob("*")) if p.suffix in DOCUMENT_SUFFIXES and p.is_file()}


@heavy  # make test: test_incremental_property.py compares incremental builds with clean ones, byte for byte
def test_a_build_with_no_output_and_no_cache_in_another_clone_gives_the_same_bytes(built: Built, tmp_path: Path):
    """Output and cache deleted, in a clone at another path: the build gives every file the session's build gave.

    The session's build ran in the project's own folder with two workers and the machine's cache;
    this one starts from nothing, elsewhere, with one worker, so it also shows that a sequential
    build gives the bytes of a parallel one.
    """
    project = copy_project(tmp_path / "elsewhere" / "deeper" / "clone")
    cache = tmp_path / "cache"
    result = run_cli("-C", str(project), "build", "--jobs", "1", env={"AIDREPORT_CACHE_DIR": str(cache)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("preparing fonts (not cached yet; later builds reuse them)…\n")
    made = documents(project / "output")
    assert len(made) == 223  # 210 outputs, the 12 WeChat section fragments beside them, the index
    assert made == documents(built.output)
    assert (project / "output/manifest.json").read_bytes() == (built.output / "manifest.json").read_bytes()


def test_no_machine_path_in_the_outputs(built: Built):
    from generator.cache import cache_dir

    for path in built.output.rglob("*"):
        if path.suffix in DOCUMENT_SUFFIXES:
            data = path.read_bytes()
            assert str(ROOT).encode() not in data and str(cache_dir()).encode() not in data, path
            assert path.suffix != ".html" or b"file:" not in data, path


def test_the_cache_stays_within_its_bound_over_twenty_character_sets(tmp_path: Path, monkeypatch):
    """Twenty builds (three in make test), each with a character the others lack, so that each needs fonts
    of its own."""
    from generator.build.run import Progress, build
    from generator.cache import SUBFOLDER, Cache
    from generator.fonts.charset import base_charset, project_charset
    from generator.fonts.faces import source_coverage

    project = copy_project(tmp_path / "project")
    cache, bound_mb = tmp_path / "cache", 12  # room for two sets of the six faces (4 MB each), not three
    monkeypatch.setenv("AIDREPORT_CACHE_DIR", str(cache))
    monkeypatch.setenv("AIDREPORT_CACHE_MAX_MB", str(bound_mb))
    record = project / "data/districts/baoshan.yaml"
    original = record.read_text(encoding="utf-8")
    # Characters the fonts have beyond the base set and the project: any one of them in a data file
    # (here in a comment) asks for faces of their own.
    known = base_charset() | project_charset(project)
    sets = 20 if TEST_ALL else 3
    rare = [chr(cp) for cp in sorted(source_coverage()) if 0x4E00 <= cp <= 0x9FFF and chr(cp) not in known][:sets]
    assert len(rare) == sets

    class Told(Progress):
        def preparing_fonts(self) -> None:
            prepared.append(ch)

    prepared: list[str] = []
    for ch in rare:
        record.write_text(original + f"# {ch}\n", encoding="utf-8")
        build(project, formats=("html",), jobs=1, only=("press/series",), progress=Told())
        usage = Cache(cache / SUBFOLDER, bound_mb * 2**20).usage()
        assert usage.size <= bound_mb * 2**20, (ch, usage)
        assert usage.entries >= 6
    assert prepared == rare  # each build needed faces of its own
    shown = run_cli("cache", env={"AIDREPORT_CACHE_DIR": str(cache)})
    assert shown.returncode == 0 and str(cache) in shown.stdout
    cleared = run_cli("cache", "clear", env={"AIDREPORT_CACHE_DIR": str(cache)})
    assert cleared.returncode == 0, cleared.stderr
    assert Cache(cache / SUBFOLDER).usage().entries == 0
    assert "0 files, 0.0 MB" in run_cli("cache", env={"AIDREPORT_CACHE_DIR": str(cache)}).stdout


def test_a_corrupt_or_half_written_cache_file_is_made_again(tmp_path: Path):
    from generator.cache import Cache
    from generator.fonts.faces import FACES, prepare_fonts

    cache = Cache(tmp_path / "cache")
    faces = prepare_fonts(ROOT, cache)
    sound = {face.path.name: face.path.read_bytes() for face in faces}
    broken = faces[3].path
    broken.write_bytes(broken.read_bytes()[: 1000])  # cut short, under its final name
    leftover = cache.folder / f".{faces[0].path.name}.tmp999999999"  # a killed build's (no such process)
    leftover.write_bytes(b"half")
    told = []
    again = prepare_fonts(ROOT, cache, on_prepare=lambda: told.append("preparing"))
    assert told == ["preparing"]
    assert {face.path.name: face.path.read_bytes() for face in again} == sound
    assert not leftover.exists()  # what a dead process left goes at the next eviction (after preparing)
    assert cache.usage().entries == len(FACES)


def test_the_cache_keeps_its_files_in_a_marked_folder_of_its_own(tmp_path: Path):
    """AIDREPORT_CACHE_DIR may be a folder the user keeps other files in: they are never counted or cleared."""
    from generator.cache import SUBFOLDER, TAG

    shared = tmp_path / "shared"
    shared.mkdir()
    theirs = {"notes.txt": b"mine", "0123abcd-0123456789abcdef.png": b"looks like an entry"}
    for name, data in theirs.items():
        (shared / name).write_bytes(data)
    env = {"AIDREPORT_CACHE_DIR": str(shared)}
    assert run_cli("-C", str(ROOT), "build", "--format", "html", "--only", "press/series", "--output",
                   str(tmp_path / "out"), env=env).returncode == 0
    ours = shared / SUBFOLDER
    assert (ours / TAG).read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    count = sum(1 for p in ours.iterdir() if p.name != TAG)
    assert count >= 9 and f"{ours}: {count} files" in run_cli("cache", env=env).stdout
    cleared = run_cli("cache", "clear", env=env)
    assert cleared.stdout.strip() == f"removed {count} files from {ours}"
    assert sorted(p.name for p in ours.iterdir()) == [TAG]
    assert {p.name: p.read_bytes() for p in shared.iterdir() if p.is_file()} == theirs


def test_progress_lines_appear_while_the_build_runs(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    env = {**os.environ, "AIDREPORT_CACHE_DIR": str(tmp_path / "cache"), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "generator", "-C", str(project), "build", "--format", "pdf",
                             "--only", "press/district-*", "--jobs", "2"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    seen: list[tuple[float, str, bool]] = []  # (when, line, was the build still running)
    assert proc.stdout is not None
    for line in proc.stdout:
        seen.append((time.monotonic(), line.rstrip("\n"), proc.poll() is None))
    assert proc.wait(timeout=300) == 0, proc.stderr.read() if proc.stderr else ""
    ended = time.monotonic()
    lines = [line for _, line, _ in seen]
    assert lines[0] == "preparing fonts (not cached yet; later builds reuse them)…"
    done = [(when, running) for when, line, running in seen if line.startswith("rebuilt press/")]
    assert len(done) == 4  # the four districts' releases: each its own line, as it finishes
    assert all(running for _, running in done[:-1])  # read while the build went on, not after it ended
    assert done[-1][0] - done[0][0] > 0.5 and ended - seen[0][0] > 1  # spread over the build, not at once
    assert lines[-1].endswith("up to date")


def test_a_cache_that_cannot_be_written_is_a_located_error_not_a_traceback(tmp_path: Path):
    from generator.cache import SUBFOLDER

    project = copy_project(tmp_path / "project")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_cli("-C", str(project), "build", env={"AIDREPORT_CACHE_DIR": str(blocker / "cache")})
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: cannot write the cache {blocker / 'cache' / SUBFOLDER}: Not a directory; set AIDREPORT_CACHE_DIR to a folder "
        "you can write", "1 problem; nothing written"]
    assert not (project / "output").exists()
