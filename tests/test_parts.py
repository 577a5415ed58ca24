"""A long document laid out in parts reads page for page as the same document laid out in one piece.

The corpus here is SYNTHETIC (bench/synth.py: real records cloned under made-up district names), for
tests only: the real data's brief is short enough to be laid out in one piece.
"""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from pypdf import PdfReader

from conftest import ROOT
from generator.build import make_context, render_job
from generator.dataset import load_dataset
from generator.plan import plan
from generator.render import Renderer
from generator.writers.parts import APART_CHARS, Flow, layout_chars, write_apart, write_in_parts
from generator.writers.pdf import PdfWriter

sys.path.insert(0, str(ROOT / "bench"))
from synth import make  # noqa: E402

DISTRICTS = 12  # a brief of six pages and more: three parts of two


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    project = make(tmp_path_factory.mktemp("synthetic") / "project", DISTRICTS)
    (project / "output").mkdir()
    dataset = load_dataset(project)
    renderer = Renderer(project, dataset)
    ctx = make_context(project, project / "output", dataset)
    brief = next(job for job in plan(dataset) if job.kind == "brief")
    docs = {lang: render_job(renderer, brief, lang, ctx) for lang in ("zh", "en")}
    return ctx, docs


def _outline(reader: PdfReader, items=None, depth=0, out=None) -> list[tuple]:
    out = [] if out is None else out
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            _outline(reader, item, depth + 1, out)
        else:
            out.append((depth, item.title, reader.get_destination_page_number(item), round(float(item.top), 1)))
    return out


@pytest.mark.parametrize("lang", ["zh"])  # the parts are cut and joined alike in every language
def test_parts_give_the_pages_of_one_piece(synthetic, lang):
    ctx, docs = synthetic
    html = docs[lang].html
    writer = PdfWriter(ctx)
    whole = PdfReader(io.BytesIO(writer.render(html).write_pdf()))
    parted_bytes = write_in_parts(html, writer.render, part_pages=2)
    parted = PdfReader(io.BytesIO(parted_bytes))
    assert len(whole.pages) >= 6, "the synthetic brief should run to several pages"
    assert len(parted.pages) == len(whole.pages)
    for number, (a, b) in enumerate(zip(whole.pages, parted.pages), 1):
        # Body, running head and the footer's "page / pages" alike.
        assert b.extract_text() == a.extract_text(), f"page {number} differs"
    assert _outline(parted) == _outline(whole)
    assert len(_outline(whole)) >= 10
    assert parted.metadata == whole.metadata
    assert parted.trailer["/Root"]["/Lang"] == whole.trailer["/Root"]["/Lang"]
    # Laid out again, the same bytes.
    assert write_in_parts(html, writer.render, part_pages=2) == parted_bytes


def test_parts_are_laid_out_in_a_process_of_their_own_with_fonts_embedded(synthetic, tmp_path):
    ctx, docs = synthetic
    html = docs["zh"].html
    one_piece = PdfWriter(ctx).render(html).write_pdf()
    whole = PdfReader(io.BytesIO(one_piece))
    # Below the size for parts, the process of its own lays it out in one piece: the same bytes.
    assert write_apart(html, ctx.root, ctx.font_css, ctx.fetch_roots, parts_chars=10**9) == one_piece
    pdf = write_apart(html, ctx.root, ctx.font_css, ctx.fetch_roots, part_pages=3, parts_chars=0)
    apart = PdfReader(io.BytesIO(pdf))
    assert [p.extract_text() for p in apart.pages] == [p.extract_text() for p in whole.pages]
    (tmp_path / "apart.pdf").write_bytes(pdf)
    rows = subprocess.run(["pdffonts", str(tmp_path / "apart.pdf")], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]
    assert rows and all(row.split()[-5:-3] == ["yes", "yes"] for row in rows)  # embedded, subset
    assert all(row.split()[0].split("+", 1)[1].startswith("AR-") for row in rows), rows


def test_units_cover_every_row_once(synthetic):
    _, docs = synthetic
    flow = Flow(docs["zh"].html)
    rows = [u for u in flow.units if u.table is not None]
    assert len(rows) > DISTRICTS  # the pairing table alone has a row per district
    assert len({id(u.element) for u in flow.units}) == len(flow.units)
    whole = Flow(docs["zh"].html)
    html = whole.html(0, len(whole.units), "", None)
    assert html.count("<tr") == docs["zh"].html.count("<tr")


def test_the_real_documents_are_laid_out_in_one_piece():
    real = load_dataset(ROOT)
    renderer = Renderer(ROOT, real)
    ctx = make_context(ROOT, ROOT / "output", real)
    sizes = {(job.label, lang): layout_chars(render_job(renderer, job, lang, ctx).html)
             for job in plan(real) for lang in ("zh", "en")}
    assert max(sizes.values()) < APART_CHARS  # laid out in the worker, in one piece
    assert sizes[("briefs/comparison", "zh")] < APART_CHARS / 3  # room for all 16 districts, ~600 characters each

def test_the_brief_leaves_pandas_and_matplotlib_out_of_the_build_process(tmp_path):
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from generator.build import make_context, render_job\n"
        "from generator.dataset import load_dataset\n"
        "from generator.plan import plan\n"
        "from generator.render import Renderer\n"
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
