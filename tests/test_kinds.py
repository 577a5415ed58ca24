"""Kinds come from a registry: a toy kind (tests/toy) builds incrementally with nothing else changed,
and what its template reads is what it depends on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from generator.build.run import build
from generator.kinds import register, unregister


@pytest.fixture
def toy(tmp_path: Path):
    import toy.toy_kind as module

    folder = tmp_path / "toy-templates"
    shutil.copytree(ROOT / "tests" / "toy", folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    module.KIND.templates = folder  # on the instance: the class keeps its own folder
    register(module.KIND)
    yield folder
    unregister(module.KIND)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_kind_from_outside_builds_and_rebuilds_from_what_it_read(project_copy: Path, tmp_path: Path, toy: Path):
    out = tmp_path / "out"
    only = ("toys/*",)
    first = build(project_copy, out, formats=("html",), jobs=1, only=only)
    assert sorted(label for label, _ in first.rebuilt) == ["toys/baoshan", "toys/jiading", "toys/jinshan",
                                                           "toys/minhang"]
    assert "宝山区" in (out / "zh/toys/baoshan.html").read_text(encoding="utf-8")
    assert build(project_copy, out, formats=("html",), jobs=1, only=only).rebuilt == []

    # A field the toy's template does not print: no toy is rebuilt.
    record = project_copy / "data/districts/baoshan.yaml"
    _edit(record, "section: 宝山区", "section: 宝山区部分")
    assert build(project_copy, out, formats=("html",), jobs=1, only=only).rebuilt == []

    # The template starts printing that field: no list of inputs is edited anywhere.
    _edit(toy / "toy.en.html.j2", "</h1>", "</h1><p>{{ record.source.section }}</p>")
    again = build(project_copy, out, formats=("html",), jobs=1, only=only)
    assert {label for label, _ in again.rebuilt} == {"toys/baoshan", "toys/jiading", "toys/jinshan", "toys/minhang"}

    # Now the field is read, so changing it rebuilds the one document that prints it.
    _edit(record, "section: 宝山区部分", "section: 宝山区")
    changed = build(project_copy, out, formats=("html",), jobs=1, only=only)
    assert changed.rebuilt == [("toys/baoshan", ["data/districts/baoshan.yaml changed"])]
    assert "<p>宝山区</p>" in (out / "en/toys/baoshan.html").read_text(encoding="utf-8")


def test_every_kind_declares_what_it_is_and_makes_its_jobs():
    from generator.editions import editions
    from generator.kinds import Kind, kinds
    from generator.records.dataset import load_dataset
    from generator.writers import WRITERS

    ds = load_dataset(ROOT)
    codes = {edition.CODE for edition in editions()}
    found = kinds()
    assert len({k.name for k in found}) == len(found) == 7
    for k in found:
        assert isinstance(k, Kind) and k.name and k.folder and k.template, k
        assert set(k.formats) <= set(WRITERS) and {"html", "pdf", "docx"} <= set(k.formats), k.name
        assert set(k.editions) <= codes, k.name
        assert ("wechat" in k.formats) == (k.folder in {"articles", "press"}), k.name
        assert all(job.kind == k.name and job.folder == k.folder for job in k.jobs(ds)), k.name
    assert {k.name for k in found if "bilingual" in k.editions} == {"article", "event_release", "district_release",
                                                                     "series_release"}
