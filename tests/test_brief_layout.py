"""The comparison brief's layout holds for 1 district or 40 (docs/templates.md, "The comparison brief's layout").

Up to four districts are the columns of one table; more are the rows of every table, the indicators
in even groups of three at most, so no table holds a district alone. Charts are bars sorted by value,
and the districts that reported nothing are named under the chart, not drawn as zero.
The corpora of 5 and 16 (make test) and 40 districts (make test-all) are SYNTHETIC (bench/synth.py),
made in the test's folder and never in data/. The briefs of 5 and 16 districts read as their golden
texts (tests/golden/synthetic/), so that a change of wording at that size is a readable diff too.
"""

from __future__ import annotations

import difflib
import importlib.util
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, TEST_ALL
from generator.build.plan import plan
from generator.build.worker import render_job
from generator.context import make_context
from generator.kinds.brief.kind import COLUMNS, PER_TABLE, layout, tables
from generator.records.dataset import load_dataset
from generator.render.renderer import Renderer
from generator.words.lang import LANGUAGES
from generator.words.plaintext import plain_text

SIZES = [5, 16, 40] if TEST_ALL else [5, 16]
GOLDEN = ROOT / "tests" / "golden" / "synthetic"  # written anew with AIDREPORT_UPDATE_GOLDEN=1, as test_golden.py


def _synth():
    spec = importlib.util.spec_from_file_location("synth", ROOT / "bench" / "synth.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@given(st.integers(1, 40), st.integers(1, 14))
def test_every_table_holds_every_district_or_every_indicator(districts: int, indicators: int):
    dids = [f"d{n}" for n in range(districts)]
    rows = [{"id": f"i{n}"} for n in range(indicators)]
    made = tables(dids, {d: d.upper() for d in dids}, rows)
    assert [row for t in made for row in t["rows"]] == rows  # every indicator once, in order
    for table in made:
        assert [d["id"] for d in table["districts"]] == dids  # every district in every table: none alone
    if districts <= COLUMNS:
        assert layout(districts) == "columns" and len(made) == 1
    else:
        sizes = [len(t["rows"]) for t in made]
        assert layout(districts) == "rows" and max(sizes) <= PER_TABLE and max(sizes) - min(sizes) <= 1


class _Tables(HTMLParser):
    """The brief's tables (header row and row heads) and its charts' captions, as text."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self.captions: list[str] = []
        self._cell: list[str] | None = None
        self._where = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"class": attrs.get("class", ""), "head": [], "rows": []})
        elif tag in ("thead", "tbody"):
            self._where = tag
        elif tag == "th" and self.tables:
            self._cell = []
        elif tag == "figcaption":
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "th" and self._cell is not None and self.tables:
            text = "".join(self._cell).strip()
            self.tables[-1]["head" if self._where == "thead" else "rows"].append(text)
            self._cell = None
        elif tag == "figcaption" and self._cell is not None:
            self.captions.append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module", params=SIZES, ids=lambda n: f"{n}-districts")
def brief(request, tmp_path_factory):
    root = _synth().make(tmp_path_factory.mktemp("synthetic") / "project", request.param)
    ds = load_dataset(root)
    ctx = make_context(root, root / "output", ds)
    job = next(j for j in plan(ds) if j.label == "briefs/comparison")
    renderer = Renderer(root, ds)
    return ds, {lang: render_job(renderer, job, lang, ctx) for lang in ("zh", "en")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_districts_are_the_rows_of_every_indicator_table(brief, lang: str):
    ds, docs = brief
    page = _Tables()
    page.feed(docs[lang].html)
    names = [LANGUAGES[lang].place_name(ds.places[ds.districts[d].place], "brief") for d in ds.districts]
    indicators = [t for t in page.tables if "indicators" in t["class"]]
    assert len(indicators) == -(-len(ds.indicators) // PER_TABLE)
    for table in indicators:
        assert "by-district" in table["class"]
        assert table["rows"] == names  # every district, in record order, in every table
        assert 2 <= len(table["head"]) <= PER_TABLE + 1
    heads = [head for t in indicators for head in t["head"][1:]]
    assert len(heads) == len(ds.indicators)


def test_charts_are_sorted_by_value_and_name_what_is_not_reported(brief):
    ds, docs = brief
    for lang, doc in docs.items():
        charts = doc.extra["charts"]
        assert charts, lang
        for chart in charts:
            totals = [sum(values[k] for _, values in chart.series) for k in range(len(chart.categories))]
            assert totals == sorted(totals, reverse=True), (lang, chart.id, totals)
            assert 0 not in totals  # a district without a figure is not a bar
        page = _Tables()
        page.feed(doc.html)
        rankings = doc.extra["rankings"]
        for chart, caption in zip(charts, page.captions):
            missing = rankings[chart.id].missing if chart.id in rankings and chart.id != "paired-counties" else []
            said = {"zh": "未披露", "en": "Not reported"}[lang]
            assert (said in caption) == bool(missing), (lang, chart.id, caption)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_synthetic_brief_reads_as_its_golden_text(brief, lang: str):
    ds, docs = brief
    if len(ds.districts) not in (5, 16):
        pytest.skip("golden texts are kept for 5 and 16 districts")
    path = GOLDEN / f"{len(ds.districts)}-districts" / lang / "comparison.txt"
    text = plain_text(docs[lang].html)
    if os.environ.get("AIDREPORT_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    kept = path.read_text(encoding="utf-8")
    diff = list(difflib.unified_diff(kept.splitlines(), text.splitlines(), str(path), "rendered", lineterm="", n=1))
    assert not diff, "\n".join(diff[:80])
