"""The comparison brief, fact sheets and releases, read back from the built files."""

from __future__ import annotations

import re

import docx
import pytest

from conftest import ROOT, Built, squash
from generator.context import make_context
from generator.records.crossref import HAN
from generator.records.dataset import load_dataset
from generator.kinds.brief.kind import indicator_figures
from generator.words.numbers import format_fact, period_label
from generator.build.worker import render_documents
from generator.words.lang import LANGUAGES

DATASET = load_dataset(ROOT)
LANGS = ("zh", "en")


@pytest.fixture(scope="module")
def documents():
    ctx = make_context(ROOT, ROOT / "output")
    return {(d.folder, d.name, d.lang.code): d for d in render_documents(ctx, DATASET)}


def gather():
    """Each indicator with every district's facts for it (as the brief's table shows them)."""
    return [(i, {did: [fact for fact, _ in figs] for did, figs in indicator_figures(DATASET, i).items()})
            for i in DATASET.indicators]


def test_every_document_family_is_built(built: Built):
    for lang in LANGS:
        for ext in ("pdf", "docx", "html"):
            assert built.path(lang, ext, "briefs", "comparison").is_file()
            for did in DATASET.districts:
                assert built.path(lang, ext, "briefs", did).is_file()
                assert built.path(lang, ext, "press", f"district-{did}").is_file()
            for eid in DATASET.events:
                assert built.path(lang, ext, "press", eid).is_file()
            assert built.path(lang, ext, "press", "series").is_file()
    assert len(DATASET.events) >= 4


def _docx_tables(path) -> list[list[list[str]]]:
    document = docx.Document(str(path))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


@pytest.mark.parametrize("lang", LANGS)
def test_every_indicator_cell_is_the_records_fact(built: Built, lang):
    rows = gather()
    assert len(rows) >= 8
    assert sum(1 for _, figures in rows if sum(1 for figs in figures.values() if figs) > 1) >= 8
    tables = _docx_tables(built.path(lang, "docx", "briefs", "comparison"))
    indicator_table = tables[1]  # after the pairing overview
    header = indicator_table[0]
    names = {did: (DATASET.places[DATASET.districts[did].place].place.zh if lang == "zh"
                   else DATASET.places[DATASET.districts[did].place].place.en_short) for did in DATASET.districts}
    assert header[1:] == [names[d] for d in DATASET.districts]
    pdf_text = squash(built.pdf_text_of(lang, "briefs", "comparison"), lang)
    not_reported = "未披露" if lang == "zh" else "not reported"
    for (indicator, figures), cells in zip(rows, indicator_table[1:]):
        assert cells[0] == getattr(indicator.label, lang)
        # One measure word per indicator (measures.yaml), whatever each record's own.
        word = DATASET.measures[indicator.measures[0]].classifier if len(indicator.measures) == 1 else None
        for did, cell in zip(DATASET.districts, cells[1:]):
            figs = figures[did]
            if not figs:
                assert cell == not_reported
                continue
            for fact in figs:
                figure = format_fact(fact.model_copy(update={"classifier": word}) if word else fact, lang)
                assert figure in cell, (indicator.id, did)
                assert period_label(fact.period, lang) in cell
                assert squash(figure, lang) in pdf_text
            assert not re.search(r"(^|\D)0(\D|$)", cell.replace(",", "")), cell  # never a zero


def test_no_two_figures_of_different_periods_are_ranked_together(documents):
    for lang in LANGS:
        doc = documents[("briefs", "comparison", lang)]
        facts = {f.id: f for did in DATASET.districts for f in DATASET.facts(did).values()}
        for indicator, ranking in doc.extra["rankings"].items():
            ranked = [facts[fid] for _, fid, _ in ranking.ranked if fid in facts]
            assert len({f.period for f in ranked}) <= 1
            assert all(f.period != "cumulative" for f in ranked)
            ranks = [rank for _, _, rank in ranking.ranked]
            assert ranks == sorted(ranks)
            if len(ranked) < 2:
                continue
            for did, fid in ranking.apart:
                mine = [f for f in DATASET.facts(did).values() if f.measure in
                        next(i for i in DATASET.indicators if i.id == indicator).measures]
                assert facts[fid].period != ranked[0].period or len(mine) > 1


def test_the_brief_sets_apart_figures_of_another_period(built: Built):
    zh = squash(built.pdf_text_of("zh", "briefs", "comparison"), "zh")
    en = squash(built.pdf_text_of("en", "briefs", "comparison"), "en")
    # Minhang's villages are counted to the end of 2018; Baoshan's and Jinshan's at present.
    assert "目前，宝山区以299个居首，比金山区（96个）多203个。" in zh
    assert "闵行区的数字（105个，截至2018年底）统计时段或口径不同，未参与排序。" in zh
    assert "At present, Baoshan leads with 299, 203 more than Jinshan (96)." in en
    assert "Minhang's figure (105, end of 2018) covers a different period or scope and is not ranked." in en
    assert "嘉定区未披露该项数字" in zh and "Jiading did not report a figure" in en


def test_charts_plot_the_data_and_label_it_in_the_language(documents):
    for lang in LANGS:
        doc = documents[("briefs", "comparison", lang)]
        charts = {c.id: c for c in doc.extra["charts"]}
        assert len(charts) >= 2
        counties = charts["paired-counties"]
        totals = [sum(values[i] for _, values in counties.series) for i in range(len(counties.categories))]
        counted = {d: sum(len(p.places) for p in DATASET.districts[d].pairings) for d in DATASET.districts}
        # The most first; between equal counts, record order.
        assert totals == sorted(counted.values(), reverse=True)
        order = sorted(DATASET.districts, key=lambda d: -counted[d])
        assert counties.categories == [LANGUAGES[lang].place_name(DATASET.places[DATASET.districts[d].place], "brief")
                                       for d in order]
        facts = {f.id: f for did in DATASET.districts for f in DATASET.facts(did).values()}
        for cid, chart in charts.items():
            if cid == "paired-counties":
                continue
            assert chart.series[0][1] == [facts[fid].value for _, fid, _ in doc.extra["rankings"][cid].ranked]
        for chart in charts.values():
            svg = chart.svg.decode("utf-8")
            for name in chart.categories:
                assert f">{name}<" in svg
            for value in chart.value_labels:
                assert value in " ".join(chart.texts)
            alt = re.search(rf'alt="([^"]+)" data-chart="{chart.id}"', doc.html).group(1)
            assert HAN.search(alt) if lang == "zh" else not HAN.search(alt)
            assert chart.png.startswith(b"\x89PNG")
            labels = " ".join(chart.texts)
            assert bool(HAN.search(labels)) == (lang == "zh"), labels


def test_charts_are_vector_in_the_pdf_and_pictures_in_the_docx(built: Built):
    html = built.path("en", "html", "briefs", "comparison").read_text(encoding="utf-8")
    assert html.count('src="data:image/svg+xml;base64,') >= 2
    document = docx.Document(str(built.path("en", "docx", "briefs", "comparison")))
    pictures = [r for r in document.part.rels.values() if "image" in r.reltype]
    assert len(pictures) >= 2
    descriptions = re.findall(r'descr="([^"]+)"', document.element.xml)
    assert any(d.startswith("Bar chart:") for d in descriptions)


@pytest.mark.parametrize("lang", LANGS)
def test_fact_sheets_fit_one_page_and_show_each_figure_with_its_period(built: Built, lang):
    from pypdf import PdfReader

    for did in DATASET.districts:
        reader = PdfReader(built.path(lang, "pdf", "briefs", did))
        assert len(reader.pages) == 1, did
        text = squash(reader.pages[0].extract_text(), lang)
        for fact in DATASET.facts(did).values():
            if fact.measure:
                word = DATASET.measures[fact.measure].classifier  # one measure word per measure
                assert squash(format_fact(fact.model_copy(update={"classifier": word}) if word else fact, lang),
                              lang) in text
                assert squash(period_label(fact.period, lang), lang) in text


@pytest.mark.parametrize("lang", LANGS)
def test_releases_follow_the_press_office_form(built: Built, lang):
    for name in [*DATASET.events, "district-baoshan", "series"]:
        text = built.pdf_text_of(lang, "press", name)
        if lang == "zh":
            assert text.lstrip().startswith("新闻稿")
            assert "上海，2019年10月13日电" in text and "（完）" in text and "媒体联系" in text
        else:
            assert text.lstrip().startswith("FOR IMMEDIATE RELEASE")
            assert "SHANGHAI, Oct. 13 —" in text and "###" in text and "Media contact" in text
            assert not HAN.search(text.replace(DATASET.series.follow.account.zh, ""))


def test_no_quote_is_printed_without_a_recorded_speaker(built: Built):
    for eid, event in DATASET.events.items():
        html = built.path("en", "html", "press", eid).read_text(encoding="utf-8")
        assert ('class="quote"' in html) == (event.quote is not None)


@pytest.mark.parametrize("lang", LANGS)
def test_docx_tables_have_the_pdf_column_widths(built: Built, lang):
    document = docx.Document(str(built.path(lang, "docx", "briefs", "comparison")))
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    pairings, indicators = document.tables[0], document.tables[1]
    shares = [column.width / text_width for column in pairings.columns]
    assert shares[0] == pytest.approx(0.18, abs=0.005) and shares[-1] == pytest.approx(0.09, abs=0.005)
    assert sum(shares) == pytest.approx(1, abs=0.01)
    widths = [column.width for column in indicators.columns]
    assert widths[0] / text_width == pytest.approx(0.18, abs=0.005) and len(set(widths[1:])) == 1
    assert all(cell.width == widths[0] for cell in indicators.columns[0].cells)


def test_every_pdf_has_an_outline_of_its_headings(built: Built):
    """A reader's viewer lists each PDF's headings (bookmarks), whatever the document's length."""
    from pypdf import PdfReader

    pdfs = sorted(built.output.glob("*/*/*.pdf"))
    assert len(pdfs) >= 59
    for path in pdfs:
        reader = PdfReader(str(path))
        titles = [item.title for item in reader.outline if not isinstance(item, list)]
        assert titles, path.relative_to(built.output)
        assert titles[0].strip() in " ".join(reader.pages[0].extract_text().split()), path.relative_to(built.output)
