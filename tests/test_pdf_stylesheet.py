"""The PDF writer parses the stylesheet every document carries once per process (writers/pdf.py): the
PDF is the same bytes as WeasyPrint makes from the document with its stylesheet in place."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from generator.build.plan import plan
from generator.build.worker import render_job
from generator.context import make_context
from generator.records.dataset import load_dataset
from generator.render.renderer import Renderer
from generator.writers import pdf


@pytest.fixture(scope="module")
def rendered():
    dataset = load_dataset(ROOT)
    ctx = make_context(ROOT, ROOT / "output", dataset)
    jobs = {job.label: job for job in plan(dataset)}
    renderer = Renderer(ROOT, dataset)
    return ctx, [render_job(renderer, jobs[label], lang, ctx)
                 for label, lang in (("press/series", "zh"), ("briefs/jinshan", "en"))]


def test_the_stylesheet_parsed_once_gives_the_bytes_of_the_document_as_it_is(rendered, monkeypatch):
    ctx, docs = rendered
    writer = pdf.PdfWriter(ctx)
    hoisted = [writer.write(doc) for doc in docs]
    assert len(writer.sheets) == 1  # both documents carry the same print.css: parsed once
    assert all("<style>" in doc.html for doc in docs)
    monkeypatch.setattr(pdf, "STYLE", re.compile(r"(?!)"))  # nothing hoisted: WeasyPrint reads the <style>
    in_place = pdf.PdfWriter(ctx)
    assert [in_place.write(doc) for doc in docs] == hoisted
    assert in_place.sheets == {}
