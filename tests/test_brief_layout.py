"""The comparison brief's layout holds for 1 district or 40 (docs/templates.md, "The comparison brief's layout").

Up to four districts are the columns of one table; more are the rows of every table, the indicators
in even groups of three at most, so no table holds a district alone. Charts are bars sorted by value,
and the districts that reported nothing are named under the chart, not drawn as zero.
The corpora of 5 (make test), 16 and 40 districts (make test-all) are SYNTHETIC (bench/synth.py), made
in the test's folder and never in data/. The briefs of 5 and 16 districts read as their golden texts
(tests/golden/synthetic/), so that a change of wording at that size is a readable diff too.
"""

from __future__ import annotations

import difflib
import importlib.util
import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, TEST_ALL, heavy, run_cli
from generator.build.plan import plan
from generator.build.worker import render_job
from generator.context import make_context
from generator.kinds.brief.kind import COLUMNS, PER_TABLE, layout, tables
from generator.records.dataset import load_dataset
from generator.render.renderer import Renderer
from generator.words.lang import LANGUAGES
from generator.words.plaintext import plain_text

SIZES = [5, 16, 40] if TEST_ALL else [5]
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
def corpus(request, tmp_path_factory):
    """A synthetic series of so many districts (four an instalment, one instalment a day): its dataset, its
    build context and a renderer."""
    root = _synth().make(tmp_path_factory.mktemp("synthetic") / "project", request.param)
    ds = load_dataset(root)
    return ds, make_context(root, root / "output", ds), Renderer(root, ds)


def _render(corpus, label: str) -> dict:
    ds, ctx, renderer = corpus
    job = next(j for j in plan(ds) if j.label == label)
    return {lang: render_job(renderer, job, lang, ctx) for lang in ("zh", "en")}


@pytest.fixture(scope="module")
def brief(corpus):
    return corpus[0], _render(corpus, "briefs/comparison")


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


def test_a_long_brief_opens_with_a_contents_list_whose_links_and_pages_hold(corpus, brief, tmp_path: Path):
    """From five districts, the brief lists its sections and indicators first: in the PDF with the page each
    starts on (as the PDF's outline has it), in the DOCX as a Word table of contents linking to its headings,
    which LibreOffice opens without a prompt (nothing asks for the fields to be updated)."""
    import zipfile

    import docx
    from pypdf import PdfReader

    from generator.writers.docx import DocxWriter
    from generator.writers.pdf import PdfWriter

    ds, docs = brief
    if len(ds.districts) != 5:
        pytest.skip("the contents are written out for the 5-district brief")
    ctx = corpus[1]
    doc = docs["en"]
    links = re.findall(r'<li class="level-(\d)"><a href="#([^"]+)">([^<]+)</a></li>', doc.html)
    assert [level for level, _, _ in links].count("1") == 4 and len(links) == 4 + len(ds.indicators)
    assert all(f'id="{anchor}"' in doc.html for _, anchor, _ in links)

    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(PdfWriter(ctx).write(doc))
    reader = PdfReader(str(pdf))
    starts = {}
    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                starts.setdefault(item.title.strip(), reader.get_destination_page_number(item) + 1)
    walk(reader.outline)
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Contents" in first
    for _, _, label in links:
        page = starts[label]  # the heading's page, from the outline
        assert re.search(re.escape(label) + r" ?\.{3,} ?" + str(page) + r"\b", first), (label, page)

    path = tmp_path / "brief.docx"
    path.write_bytes(DocxWriter(ctx).write(doc))
    with zipfile.ZipFile(path) as z:
        body, settings = z.read("word/document.xml").decode(), z.read("word/settings.xml").decode()
    assert 'TOC \\o "2-3" \\h' in body and "updateFields" not in settings
    anchors = re.findall(r'w:anchor="([^"]+)"', body)
    bookmarks = set(re.findall(r'w:bookmarkStart w:id="\d+" w:name="([^"]+)"', body))
    assert len(anchors) == len(links) and set(anchors) <= bookmarks
    word = docx.Document(str(path))
    assert [p.text for p in word.paragraphs if p.style.name in ("TOC 1", "TOC 2")] == [label for _, _, label in links]
    converted = subprocess.run(["libreoffice", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless",
                                "--convert-to", "txt:Text", "--outdir", str(tmp_path), str(path)],
                               capture_output=True, text=True, timeout=180)
    assert converted.returncode == 0, converted.stderr
    text = (tmp_path / "brief.txt").read_text(encoding="utf-8-sig")
    assert all(label in text for _, _, label in links)


def test_the_series_release_names_every_instalment_with_its_day(corpus):
    ds = corpus[0]
    docs = _render(corpus, "press/series")
    instalments = ds.series.instalments
    assert len(instalments) == -(-len(ds.districts) // 4)
    en = " ".join(docs["en"].html.split())
    zh = "".join(docs["zh"].html.split())
    for n, inst in enumerate(instalments, 1):
        day = int(inst.date[-2:])
        ordinal = LANGUAGES["en"].ordinal_words(n)
        assert re.search(rf"The {ordinal} instalment, on {day} October 2019, covers ", en), (n, inst.date)
        assert f"{LANGUAGES['zh'].ordinal_words(n)}期（2019年10月{day}日）介绍" in zh, (n, inst.date)
    assert "This instalment" not in en and "本期" not in zh  # one instalment of several is not "this" one


@heavy
def test_the_synthetic_series_of_sixteen_districts_builds(corpus, tmp_path: Path):
    """Four instalments of four districts: four articles, the series release, the brief over all sixteen and
    an index listing them, in every language and format (make test-all: a build of 16 districts)."""
    ds, ctx, _ = corpus
    if len(ds.districts) != 16:
        pytest.skip("the whole build is of the 16-district series")
    out = tmp_path / "out"
    result = run_cli("-C", str(ctx.root), "build", "--output", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    for lang in ("zh", "en", "zh-Hant"):
        for ext in ("html", "pdf", "docx"):
            assert len(list((out / lang / "articles").glob(f"*.{ext}"))) == 4, (lang, ext)
            assert (out / lang / "press" / f"series.{ext}").is_file() and (out / lang / "briefs" / f"comparison.{ext}").is_file()
    brief = (out / "en/briefs/comparison.html").read_text(encoding="utf-8")
    assert all(brief.count(f'<th scope="row">Synthetic {n}</th>') >= 4 for n in range(1, 17))  # pairings + 3 tables
    index = (out / "index.html").read_text(encoding="utf-8")
    for inst in ds.series.instalments:
        assert f"en/articles/{inst.id}.pdf" in index and f"zh/articles/{inst.id}.docx" in index
    assert "en/briefs/comparison.pdf" in index and "en/press/series.pdf" in index
