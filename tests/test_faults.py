"""Faults reported as what they are (issue 20): a full disk is not a missing template, and a commit that
failed part way does not say "nothing written"."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from generator.errors import BuildError


def test_a_write_error_is_said_as_what_it_is():
    from jinja2 import TemplateNotFound

    from generator.build.run import _write_error

    full = OSError(errno.ENOSPC, "No space left on device")
    assert str(_write_error(full)) == "cannot write output: No space left on device"
    named = OSError(errno.ENOSPC, "No space left on device", "/x/output/.staging/zh/a.pdf")
    assert str(_write_error(named)) == "cannot write output: No space left on device (/x/output/.staging/zh/a.pdf)"
    assert str(_write_error(TemplateNotFound("nope.j2"))) == "nope.j2: no such template in templates/"


def test_a_manifest_that_cannot_be_written_says_what_was_written(project_copy: Path, tmp_path: Path, monkeypatch):
    import generator.build.manifest
    from generator.build.run import build

    out = tmp_path / "out"

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(out / ".manifest.json.tmp1"))

    monkeypatch.setattr(generator.build.manifest, "write_manifest", full_disk)
    with pytest.raises(BuildError) as caught:
        build(project_copy, out, formats=("html",), jobs=1, only=("press/series",))
    assert str(caught.value) == f"cannot write output: No space left on device ({out / '.manifest.json.tmp1'})"
    assert caught.value.written == 4  # the release in zh, en, zh-Hant and side by side: in place, complete
    assert (out / "en/press/series.html").is_file() and not (out / "manifest.json").exists()
    assert not (out / ".staging").exists()
    monkeypatch.undo()
    again = build(project_copy, out, formats=("html",), jobs=1, only=("press/series",))  # the next build completes it
    assert (out / "manifest.json").is_file() and again.unchanged


def _disk_fills(at: str, out: Path, monkeypatch) -> None:
    """Make the disk fill at one stage of a build into out: "render" (a worker staging a file), "commit" (the
    third file moved into place), "index" (output/index.html) or "manifest"."""
    import generator.build.run
    import generator.build.worker

    def full(name) -> OSError:
        return OSError(errno.ENOSPC, "No space left on device", str(name))

    if at == "render":
        def stage(path: Path, data: bytes) -> None:
            raise full(path)

        monkeypatch.setattr(generator.build.worker, "_stage", stage)
    elif at == "commit":
        replace, moved = os.replace, []

        def move(src, dst) -> None:
            if Path(dst).is_relative_to(out) and Path(src).is_relative_to(out / ".staging"):
                moved.append(dst)
                if len(moved) == 3:
                    raise full(dst)
            replace(src, dst)

        monkeypatch.setattr(os, "replace", move)
    else:
        def write(*args, **kwargs):
            raise full(out / ("index.html" if at == "index" else ".manifest.json.tmp1"))

        monkeypatch.setattr(generator.build.run if at == "index" else generator.build.manifest,
                            "write_index" if at == "index" else "write_manifest", write)


@pytest.mark.parametrize("at, written, failed", [
    ("render", 0, ".staging/zh/press/series.html"),  # the first file a worker stages
    ("commit", 2, "zh-Hant/press/series.html"),  # side by side and en (moved in order of their names) are in place
    ("index", 4, "index.html"),
    ("manifest", 4, ".manifest.json.tmp1"),
])
def test_a_full_disk_at_each_stage_is_reported_and_the_next_build_completes(project_copy: Path, tmp_path: Path,
                                                                            monkeypatch, at, written, failed):
    import generator.build.manifest  # noqa: F401 (patched by _disk_fills)
    from generator.build.run import build

    out = tmp_path / "out"
    _disk_fills(at, out, monkeypatch)
    with pytest.raises(BuildError) as caught:
        build(project_copy, out, formats=("html",), jobs=1, only=("press/series",))
    assert str(caught.value) == f"cannot write output: No space left on device ({out / failed})"
    assert caught.value.written == written
    # Each file is complete under its final name or absent; nothing half-made stays behind.
    assert not (out / ".staging").exists() and not list(out.rglob("*.tmp*"))
    made = sorted(str(p.relative_to(out)) for p in out.rglob("*.html") if "fonts" not in p.parts)
    assert len([m for m in made if m != "index.html"]) == written
    monkeypatch.undo()
    again = build(project_copy, out, formats=("html",), jobs=1, only=("press/series",))
    assert (out / "manifest.json").is_file() and len(again.written) + len(again.unchanged) == 4
    assert not build(project_copy, out, formats=("html",), jobs=1, only=("press/series",)).rebuilt


@pytest.fixture
def full_tmpdir(tmp_path: Path):
    """A temporary folder on a file system with no space left (a 256 KB tmpfs, filled): root only."""
    import subprocess

    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    folder = tmp_path / "full"
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], check=True)
    try:
        fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
        with pytest.raises(OSError):
            while True:
                os.write(fd, b"\0" * 4096)
        os.close(fd)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def test_a_full_temporary_folder_is_not_a_traceback(project_copy: Path, full_tmpdir: Path):
    from conftest import run_cli

    result = run_cli("-C", str(project_copy), "build", "--format", "html", "--jobs", "2", "--only", "press/series",
                     "--only", "press/district-baoshan", env={"TMPDIR": str(full_tmpdir)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "8 written, 0 unchanged, 0 up to date"
