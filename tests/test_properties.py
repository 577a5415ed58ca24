"""Property-based: records with arbitrary text and numbers either build or stop with our located error."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import lxml.html
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import ROOT, TEST_ALL

N = 200 if TEST_ALL else 60  # records per property: make test-all, make test
from generator.records.dataset import load_dataset
from generator.errors import AidReportError, DataError
from generator.fonts.faces import missing_glyphs, source_coverage
from generator.build.plan import plan
from generator.render.renderer import Renderer
from generator.build.worker import check_parity, render_job

LOCATED = re.compile(r"^[\w./-]+\.yaml:\d+:\d+: (error|note): .+")

any_text = st.text(st.characters(codec="utf-8"), max_size=40)
zh_text = st.text(st.characters(whitelist_categories=("Lo", "Ll", "Lu", "Zs", "Po")), min_size=1, max_size=30)
en_text = st.text(st.characters(whitelist_categories=("Ll", "Lu", "Zs", "Po"), max_codepoint=0x24F),
                  min_size=1, max_size=30)
good_number = st.one_of(st.integers(0, 10**12), st.floats(min_value=0, max_value=1e12, allow_nan=False))
bad_number = st.one_of(st.integers(-10**17, -1), st.floats(allow_nan=True, allow_infinity=True), any_text, st.none())
# Mostly well-formed, sometimes not: both paths, building and refusing, are exercised.
fact = st.fixed_dictionaries({
    "id": st.sampled_from(["x-a"] * 6 + ["X A", "../x"]),
    "value": st.one_of(good_number, good_number, good_number, bad_number),
    "unit": st.sampled_from(["yuan", "people", "items", "mu", "percent", "households", "furlongs"]),
    "qualifier": st.sampled_from(["exact", "about", "more-than", "at-least", "up-to", "exact", "maybe"]),
    "period": st.sampled_from(["2019", "2018H2", "2018/", "by:2018-12", "current", "cumulative", "today"]),
    "src": st.one_of(zh_text, any_text),
})
text_zh = st.one_of(zh_text, zh_text, zh_text, any_text)
text_en = st.one_of(en_text, en_text, en_text, any_text)


# An item's id: any well-formed id (the record's only item, so unique in it).
good_item_id = st.from_regex(r"\A[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,2}\Z")
# Mostly well-formed, sometimes missing or malformed.
item_id = st.one_of(good_item_id, good_item_id, good_item_id, st.sampled_from([None, "Villages Paired", "../x"]))


def wrap(text: str, placeholder: bool) -> str:
    return text + ("{x-a}" if placeholder else "")


record = st.builds(
    lambda head_zh, head_en, body_zh, body_en, ph, f, theme, iid: {
        "id": "xinqu",
        "place": "minhang",
        "headline": {"zh": head_zh, "en": head_en},
        "source": {"doc": "source-article", "section": "synthetic"},
        "pairings": [{"relation": "east-west-cooperation", "places": ["luoping"]}],
        "blocks": [{"theme": theme, "items": [{"id": iid, "text": {"zh": wrap(body_zh, ph), "en": wrap(body_en, ph)},
                                               "facts": [f], "src": "synthetic"}]}],
    },
    text_zh, text_en, text_zh, text_en, st.just(True) | st.booleans(), fact,
    st.sampled_from(["pairing", "industry", "consumption", "nonsense"]), item_id,
)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A project holding only a SYNTHETIC district, so that each example is quick to check and render."""
    root = tmp_path_factory.mktemp("prop")
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "data" / "districts").mkdir(parents=True)
    for name in ("gazetteer", "glossary", "measures"):
        shutil.copy(ROOT / "data" / f"{name}.yaml", root / "data" / f"{name}.yaml")
    series = (ROOT / "data/series.yaml").read_text(encoding="utf-8")
    series = series.replace("districts: [baoshan, minhang, jiading, jinshan]", "districts: [xinqu]")
    (root / "data/series.yaml").write_text(series, encoding="utf-8")
    (root / "output").mkdir()
    return root


# Well-formed records whose texts are any printable Unicode and whose figures are any size.
printable = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cf", "Zl", "Zp"))
well_formed = st.builds(
    lambda zh, en, body_zh, body_en, value, unit, qualifier, period, iid: {
        "id": "xinqu", "place": "minhang", "headline": {"zh": zh, "en": en},
        "source": {"doc": "source-article", "section": "synthetic"},
        "pairings": [{"relation": "east-west-cooperation", "places": ["luoping"]}],
        "blocks": [{"theme": "pairing", "items": [{
            "id": iid, "text": {"zh": body_zh + "{x-a}", "en": body_en + "{x-a}"},
            "facts": [{"id": "x-a", "value": value, "unit": unit, "qualifier": qualifier, "period": period,
                       "src": "synthetic"}], "src": "synthetic"}]}],
    },
    st.text(printable, min_size=1, max_size=30), st.text(printable, min_size=1, max_size=30),
    st.text(printable, max_size=30), st.text(printable, max_size=30),
    st.one_of(st.integers(0, 10**14), st.floats(min_value=0, max_value=1e14, allow_nan=False)),
    st.sampled_from(["yuan", "people", "items", "mu", "percent", "households", "person-times"]),
    st.sampled_from(["exact", "about", "more-than", "at-least", "up-to"]),
    st.sampled_from(["2019", "2018H2", "2018/", "by:2018-12", "by:2019-06", "current", "cumulative", "annual"]),
    good_item_id,
)


@settings(max_examples=N, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(well_formed)
def test_well_formed_records_with_any_text_and_figures(project: Path, data: dict):
    attempt(project, data)


@settings(max_examples=N, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(record)
def test_any_record_builds_or_fails_with_a_located_error(project: Path, data: dict):
    attempt(project, data)


def attempt(project: Path, data: dict) -> None:
    """Build the record (check, glyphs, render, parity): it builds, or stops with our located error."""
    path = project / "data/districts/xinqu.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        dataset = load_dataset(project)
        problems = missing_glyphs(dataset.files, source_coverage())
        if problems:
            raise DataError(problems)
        renderer = Renderer(project, dataset)
        docs = [render_job(renderer, job, lang) for job in plan(dataset) if job.kind == "article"
                for lang in ("zh", "en")]
        problems = check_parity(docs, dataset)
        if problems:
            raise DataError(problems)
    except DataError as exc:
        event("stopped: " + re.sub(r"'.*", "", exc.lines()[0].split(": error: ")[-1])[:50])
        lines = exc.lines()
        assert lines
        for line in lines:
            assert LOCATED.match(line) or line.startswith("output/"), line
            assert "\n" not in line
        return
    except AidReportError as exc:  # a build error of ours: one clear line
        assert str(exc) and "\n" not in str(exc)
        return
    event("built")
    for doc in docs:
        tree = lxml.html.document_fromstring(doc.html)
        assert tree.find(".//section") is not None
        assert "<script" not in doc.html.split("<body", 1)[1]
