"""A long document is laid out in a process of its own, in one piece: the same PDF as in the worker.

The corpus here is SYNTHETIC (bench/synth.py: real records cloned under made-up district names), for
tests only: the real data's brief is short enough to be laid out in the worker.
"""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from pypdf import PdfReader

from conftest import ROOT
from generator.context import make_context
from generator.records.dataset import load_dataset
from generator.build.plan import plan
from generator.render.renderer import Renderer
from generator.build.worker import render_job
from generator.writers import load, registry
from generator.writers.base import Writer
from generator.writers.pdf import APART_CHARS, PdfWriter, layout_chars

sys.path.insert(0, str(ROOT / "bench"))
from synth import make  # noqa: E402

DISTRICTS = 12  # a brief of six pages and more


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    project = make(tmp_path_factory.mktemp("synthetic") / "project", DISTRICTS)
    (project / "output").mkdir()
    dataset = load_dataset(project)
    renderer = Renderer(project, dataset)
    ctx = make_context(project, project / "output", dataset)
    brief = next(job for job in plan(dataset) if job.kind == "brief")
    return ctx, render_job(renderer, brief, "zh", ctx)


def test_a_long_document_is_laid_out_apart_with_fonts_embedded(synthetic, tmp_path):
    ctx, doc = synthetic
    writer = PdfWriter(ctx)
    one_piece, warned = writer.pdf(doc.html, writer.extras(doc))
    assert not warned
    assert len(PdfReader(io.BytesIO(one_piece)).pages) >= 6, "the synthetic brief should run to several pages"
    writer.apart_chars = layout_chars(doc.html) - 1  # this one counts as long
    pdf = writer.write(doc)
    assert pdf == one_piece  # laid out in a process of its own: the same bytes
    (tmp_path / "apart.pdf").write_bytes(pdf)
    rows = subprocess.run(["pdffonts", str(tmp_path / "apart.pdf")], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]
    assert rows and all(row.split()[-5:-3] == ["yes", "yes"] for row in rows)  # embedded, subset
    assert all(row.split()[0].split("+", 1)[1].startswith("AR-") for row in rows), rows


def test_the_registry_imports_each_writer_when_asked():
    classes = {fmt: registry[fmt]() for fmt in ("html", "pdf", "docx")}
    assert list(registry) == ["html", "pdf", "docx", "wechat", "archive"]  # build order
    assert all(issubclass(cls, Writer) and cls.ext == fmt for fmt, cls in classes.items())
    assert load("pdf") is PdfWriter
    assert issubclass(load("archive"), PdfWriter) and load("archive").ext == "pdf"  # the PDF/A copy


def test_the_real_documents_are_laid_out_in_the_worker():
    real = load_dataset(ROOT)
    renderer = Renderer(ROOT, real)
    ctx = make_context(ROOT, ROOT / "output", real)
    sizes = {(job.label, lang): layout_chars(render_job(renderer, job, lang, ctx).html)
             for job in plan(real) for lang in ("zh", "en")}
    assert max(sizes.values()) < APART_CHARS  # laid out in the worker
    # Room for all 16 districts: the brief of the synthetic series' 16 measures 36,500 in Chinese and 45,100
    # in English (its 192 table cells counted), laid out in the worker too; at 40 (480 cells), apart.
    assert sizes[("briefs/comparison", "zh")] < APART_CHARS / 2.5


def test_the_brief_leaves_pandas_and_matplotlib_out_of_the_build_process(tmp_path):
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from generator.context import make_context\n"
        "from generator.records.dataset import load_dataset\n"
        "from generator.build.worker import render_job\n"
        "from generator.build.plan import plan\n"
        "from generator.render.renderer import Renderer\n"
        f"root = Path({str(ROOT)!r})\n"
        "ds = load_dataset(root)\n"
        "ctx = make_context(root, root / 'output', ds)\n"
        "renderer = Renderer(root, ds)\n"
        "job = next(j for j in plan(ds) if j.kind == 'brief')\n"
        "docs = [render_job(renderer, job, lang, ctx) for lang in ('zh', 'en')]\n"
        "charts = [c for d in docs for c in d.extra['charts']]\n"
        "assert len(charts) >= 4 and all(c.svg.startswith(b'<?xml') and c.png[:4] == b'\\x89PNG' for c in charts)\n"
        "print(sorted(m for m in ('pandas', 'matplotlib', 'numpy') if m in sys.modules), len(charts))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "[]", result.stdout
