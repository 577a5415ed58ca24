"""The archive writer: tagged PDF/A-3a with an sRGB output intent, no interpolated image, its sources attached.

Each archive PDF carries the record files its document read (the keys of doc.reads under data/),
each once as a /Source, and a manifest of its reads as /Data, so that its provenance travels with it.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pikepdf
import pytest

from conftest import ROOT
from generator.context import make_context
from generator.records.dataset import load_dataset
from generator.build.plan import plan
from generator.render.renderer import Renderer
from generator.build.worker import render_job
from generator.writers.pdf import ArchiveWriter, PdfWriter

# A raster picture (a 2x2 PNG): WeasyPrint marks it for interpolation unless image-rendering says otherwise.
PICTURE = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGM4wcDAcIKBgYHhxIkTDAAYRgPp4/uqsgAAAABJRU5ErkJggg=="


@pytest.fixture(scope="module")
def archived(tmp_path_factory):
    """A zh article and an en brief (tables, charts), each rendered and written through ArchiveWriter."""
    dataset = load_dataset(ROOT)
    ctx = make_context(ROOT, ROOT / "output", dataset)
    renderer = Renderer(ROOT, dataset)
    jobs = {job.label: job for job in plan(dataset)}
    folder = tmp_path_factory.mktemp("archive")
    writer = ArchiveWriter(ctx)
    made = []
    for label, lang in (("articles/baoshan-minhang-jiading-jinshan", "zh"), ("briefs/comparison", "en")):
        doc = render_job(renderer, jobs[label], lang, ctx)
        path = folder / f"{lang}-{doc.name}.pdf"
        path.write_bytes(writer.write(doc))
        made.append((doc, path))
    return ctx, writer, made


def test_the_xmp_claims_pdfa_3a_and_pdfua_1(archived):
    for doc, path in archived[2]:
        with pikepdf.open(path) as pdf:
            meta = pdf.open_metadata()
            assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("3", "A"), doc.stem
            assert meta.get("pdfuaid:part") == "1", doc.stem
            assert meta.get("dc:title") == doc.title
            assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked is True  # "a": tagged
            assert str(pdf.Root.Lang) == {"zh": "zh-CN", "en": "en-GB"}[doc.lang.code]


def test_the_records_read_and_the_manifest_are_attached_once_each(archived):
    for doc, path in archived[2]:
        read = {key.split("#")[0] for key in doc.reads if key.startswith("data/")}
        records = sorted(name for name in read if (ROOT / name).is_file())
        # Folders, not records: whether it was published, and which districts there are (a brief goes through all)
        # ... and which overrides of it there are (none: their files, when there are, are records read)
        assert set(read) - set(records) <= {"data/published", "data/districts/", "data/events/", "data/overrides/"}
        assert "data/published" in set(read) - set(records)
        assert "data/series.yaml" in records and "data/gazetteer.yaml" in records
        with pikepdf.open(path) as pdf:
            files = dict(pdf.attachments.items())
            assert sorted(files) == ["aidreport-manifest.json", *records], doc.stem
            for name in records:
                spec = files[name]
                assert spec.get_file().read_bytes() == (ROOT / name).read_bytes(), name
                assert spec.obj.AFRelationship == "/Source"
                assert spec.get_file().mime_type == "application/yaml"
            manifest = files["aidreport-manifest.json"]
            assert manifest.obj.AFRelationship == "/Data" and manifest.get_file().mime_type == "application/json"
            assert json.loads(manifest.get_file().read_bytes()) == {
                "stem": doc.stem, "title": doc.title, "lang": doc.lang.code, "reads": doc.reads}
            # Associated files: the catalog lists each file specification once.
            associated = [spec.objgen for spec in pdf.Root.AF]
            assert sorted(associated) == sorted(spec.obj.objgen for spec in files.values())


def test_an_srgb_output_intent_and_every_font_embedded(archived, tmp_path):
    for doc, path in archived[2]:
        with pikepdf.open(path) as pdf:
            [intent] = pdf.Root.OutputIntents
            assert intent.S == "/GTS_PDFA1" and "sRGB" in str(intent.OutputConditionIdentifier)
            assert intent.DestOutputProfile.N == 3
        rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                              check=True).stdout.splitlines()[2:]
        assert rows and all(row.split()[-5:-3] == ["yes", "yes"] for row in rows), rows  # embedded, subset


def _images(pdf: pikepdf.Pdf) -> list[pikepdf.Stream]:
    return [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]


def test_no_image_is_interpolated(archived):
    ctx, writer, made = archived
    images = 0
    for doc, path in made:
        with pikepdf.open(path) as pdf:
            assert all(image.get("/Interpolate", False) is False for image in _images(pdf)), doc.stem
            images += len(_images(pdf))
    assert images  # the QR code (the charts are drawn, not pictures)
    # A photo is interpolated in the PDF but not in its archive copy.
    html = (f'<!DOCTYPE html><html lang="en-GB"><head><title>T</title></head><body><h1>T</h1>'
            f'<img src="data:image/png;base64,{PICTURE}" alt="four dots" style="width: 40mm"></body></html>')
    for cls, interpolated in ((PdfWriter, True), (ArchiveWriter, False)):
        data, warned = cls(ctx).pdf(html, {"files": []})
        assert not warned
        with pikepdf.open(io.BytesIO(data)) as pdf:
            assert [bool(image.get("/Interpolate", False)) for image in _images(pdf)] == [interpolated]


def test_qpdf_finds_no_error(archived):
    for _, path in archived[2]:
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, (path, result.stdout, result.stderr)


def test_the_same_document_gives_the_same_bytes_in_the_worker_and_apart(archived):
    ctx, writer, made = archived
    doc, path = made[0]
    assert writer.write(doc) == path.read_bytes()
    apart = ArchiveWriter(ctx)
    apart.apart_chars = 0  # laid out in a process of its own
    assert apart.write(doc) == path.read_bytes()


def test_an_archive_holds_the_pages_of_the_pdf(archived):
    ctx, _, made = archived
    doc, path = made[1]
    with pikepdf.open(path) as archive, pikepdf.open(io.BytesIO(PdfWriter(ctx).write(doc))) as pdf:
        assert len(archive.pages) == len(pdf.pages)
        for ours, theirs in zip(archive.pages, pdf.pages):
            assert ours.Contents.read_bytes() == theirs.Contents.read_bytes()  # the same drawing, page by page


def test_build_archive_writes_a_copy_per_language_beside_the_others(project_copy, tmp_path):
    """`aidreport build --archive`: output/<lang>/archive/<folder>/<name>.pdf in every language and edition."""
    from conftest import run_cli

    out = tmp_path / "out"
    result = run_cli("-C", str(project_copy), "build", "--archive", "--only", "press/series", "--output", str(out))
    assert result.returncode == 0, result.stderr
    made = sorted(p.relative_to(out).as_posix() for p in out.glob("*/archive/**/*.pdf"))
    assert made == ["en/archive/press/series.pdf", "zh-Hant/archive/press/series.pdf", "zh/archive/press/series.pdf"]
    for rel in made:
        with pikepdf.open(out / rel) as pdf:
            meta = pdf.open_metadata()
            assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("3", "A"), rel
            names = set(pdf.attachments)
            assert {"aidreport-manifest.json", "data/series.yaml"} <= names, rel
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert set(made) <= set(manifest["outputs"])
    # A build without --archive leaves them as they are.
    again = run_cli("-C", str(project_copy), "build", "--only", "press/series", "--output", str(out))
    assert again.returncode == 0 and (out / made[0]).is_file()
