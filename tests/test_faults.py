"""Faults reported as what they are (issue 20): a full disk is not a missing template, and a commit that
failed part way does not say "nothing written"."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from generator.errors import BuildError


def test_a_write_error_is_said_as_what_it_is():
    from jinja2 import TemplateNotFound

    from generator.build import _write_error

    full = OSError(errno.ENOSPC, "No space left on device")
    assert str(_write_error(full)) == "cannot write output: No space left on device"
    named = OSError(errno.ENOSPC, "No space left on device", "/x/output/.staging/zh/a.pdf")
    assert str(_write_error(named)) == "cannot write output: No space left on device (/x/output/.staging/zh/a.pdf)"
    assert str(_write_error(TemplateNotFound("nope.j2"))) == "nope.j2: no such template in templates/"


def test_a_manifest_that_cannot_be_written_says_what_was_written(project_copy: Path, tmp_path: Path, monkeypatch):
    import generator.manifest
    from generator.build import build

    out = tmp_path / "out"

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(out / ".manifest.json.tmp1"))

    monkeypatch.setattr(generator.manifest, "write_manifest", full_disk)
    with pytest.raises(BuildError) as caught:
        build(project_copy, out, formats=("html",), jobs=1, only=("press/series",))
    assert str(caught.value) == f"cannot write output: No space left on device ({out / '.manifest.json.tmp1'})"
    assert caught.value.written == 4  # the release in zh, en, zh-Hant and side by side: in place, complete
    assert (out / "en/press/series.html").is_file() and not (out / "manifest.json").exists()
    assert not (out / ".staging").exists()
    monkeypatch.undo()
    again = build(project_copy, out, formats=("html",), jobs=1, only=("press/series",))  # the next build completes it
    assert (out / "manifest.json").is_file() and again.unchanged
