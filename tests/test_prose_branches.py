"""Sentences branch on the facts: every branch is exercised here with fixture data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from generator.records.dataset import load_dataset
from generator.records.models import Fact, Item, Previous, Text
from generator.words.lang import LANGUAGES
from generator.view.prose import Writer
from generator.render.renderer import Renderer

DATASET = load_dataset(ROOT)
RENDERER = Renderer(ROOT, DATASET)


def writer(lang: str) -> Writer:
    return Writer(DATASET, LANGUAGES[lang])


def say(lang: str):
    """The language's sentence macros (templates/prose.<lang>.j2), as the documents use them."""
    context = {"lang": LANGUAGES[lang], "L": RENDERER.labels[lang]}
    return RENDERER.env.get_template(f"prose.{lang}.j2").make_module(context)


def change(lang: str, f: Fact) -> str | None:
    c = writer(lang).change(f)
    return None if c is None else str(say(lang).change(c))


def fact(value, period="2019", **kw) -> Fact:
    """A fixture fact (synthetic: it is not in data/)."""
    kw.setdefault("unit", "people")
    kw.setdefault("qualifier", "exact")
    return Fact(id="x", value=value, period=period, src="test fixture", **kw)


@pytest.mark.parametrize(
    "f, zh, en",
    [
        (fact(1200, previous=Previous(value=1000, period="2018", src="t")),
         "比2018年的1000人增长20%", "up 20 per cent from 1,000 in 2018"),
        (fact(800, previous=Previous(value=1000, period="2018", src="t")),
         "比2018年的1000人下降20%", "down 20 per cent from 1,000 in 2018"),
        (fact(1000, previous=Previous(value=1000, period="2018", src="t")), "与2018年持平", "unchanged from 2018"),
        # A half-year against a year so far: set side by side, never turned into growth.
        (fact(2532, period="2019/", previous=Previous(value=1303, period="2018H2", src="t")),
         "2018年下半年为1303人", "against 1,303 in the second half of 2018"),
        (fact(80, growth_stated=185.18), "同比增长185.2%", "up 185.2 per cent year on year"),
        (fact(80, growth_stated=-5), "同比下降5%", "down 5 per cent year on year"),
        (fact(80), None, None),
    ],
)
def test_a_figure_against_an_earlier_one(f, zh, en):
    assert change("zh", f) == zh
    assert change("en", f) == en


def test_stated_growth_must_follow_from_the_figures(project_copy: Path):
    path = project_copy / "data/districts/baoshan.yaml"
    text = path.read_text(encoding="utf-8")
    old = "{id: baoshan-job-fairs, measure: job-fairs, value: 5,"
    assert old in text
    path.write_text(text.replace(old, old + " previous: {value: 4, period: '2018', src: fixture}, growth_stated: 30,"),
                    encoding="utf-8")
    result = run_cli("-C", str(project_copy), "check")
    assert result.returncode == 1
    assert "stated growth 30.0% does not follow from 4 to 5 (25.00%)" in result.stderr


@pytest.mark.parametrize(
    "ids, zh, en",
    [
        ([], None, None),
        (["zepu"], "泽普县", "Zepu County"),
        (["zepu", "shangri-la"], "泽普县和香格里拉市（共2个）", "Zepu County and Shangri-La City (two in all)"),
    ],
)
def test_one_county_or_several(ids, zh, en):
    for lang, expected in (("zh", zh), ("en", en)):
        text = str(say(lang).counties([writer(lang).place(pid) for pid in ids]))
        assert re.sub("<[^>]+>", "", text) == (expected or "")


@pytest.mark.parametrize(
    "start, end, zh, en",
    [
        ("2019", None, "2019年", "In 2019"),
        ("2019-10", None, "2019年10月", "In October 2019"),
        ("2019-10-13", None, "2019年10月13日", "On 13 October 2019"),
        ("2019-10-13", "2019-10-16", "2019年10月13日至16日", "From 13 to 16 October 2019"),
        ("2019-07", "2019-08", "2019年7月至8月", "From July to August 2019"),
        ("2019-10-13", "2019-11-02", "2019年10月13日至11月2日", "From 13 October to 2 November 2019"),
        ("2019-12-30", "2020-01-02", "2019年12月30日至2020年1月2日", "From 30 December 2019 to 2 January 2020"),
        ("2018", "2019", "2018年至2019年", "From 2018 to 2019"),
    ],
)
def test_full_and_partial_dates_open_a_sentence(start, end, zh, en):
    assert str(say("zh").opener(writer("zh").when(start, end))) == zh
    assert str(say("en").opener(writer("en").when(start, end))) == en
    # A run says its shared year once in both languages, so the editions state the same figures.
    runs = {lang: writer(lang).when(start, end).text for lang in ("zh", "en")}
    assert re.findall(r"\d{4}", runs["zh"]) == re.findall(r"\d{4}", runs["en"]), runs


def test_a_missing_figure_gives_the_not_reported_sentence():
    item = Item(text=Text(zh="宝山区有{x}干部挂职", en="{x} officials are on secondment"),
                facts=[Fact(id="x", measure="cadres-sent", unit="people", qualifier="exact", period="current",
                            src="test fixture")], src="test fixture")
    assert str(say("zh").sentence(writer("zh").sentence(item, "fixture"))) == "挂职干部：未披露。"
    assert str(say("en").sentence(writer("en").sentence(item, "fixture"))) == "Officials on secondment: not reported."


def test_removing_a_figure_prints_not_reported_never_zero(project_copy: Path, tmp_path: Path):
    path = project_copy / "data/districts/baoshan.yaml"
    text = path.read_text(encoding="utf-8")
    old = "measure: cadres-sent, value: 22, "
    assert old in text
    path.write_text(text.replace(old, "measure: cadres-sent, "), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("-C", str(project_copy), "build", "--format", "html", "--only", "articles/*", "--only",
                     "briefs/baoshan", "--output", str(out))
    assert result.returncode == 0, result.stderr
    article = (out / "zh/articles/baoshan-minhang-jiading-jinshan.html").read_text(encoding="utf-8")
    assert "挂职干部：未披露。" in article
    assert "22名" not in article and not re.search('<span class="figure"[^>]*>0', article)
    sheet = (out / "en/briefs/baoshan.html").read_text(encoding="utf-8")
    assert "not reported" in sheet
    english = (out / "en/articles/baoshan-minhang-jiading-jinshan.html").read_text(encoding="utf-8")
    assert "Officials on secondment: not reported." in english


def test_a_first_event_and_a_recurring_one(project_copy: Path, tmp_path: Path):
    path = project_copy / "data/events/minhang-youth-camps-2019.yaml"
    assert "first: true" in path.read_text(encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("-C", str(project_copy), "build", "--format", "html", "--only", "press/minhang-*", "--output",
                     str(out))
    assert result.returncode == 0, result.stderr
    first = (out / "en/press/minhang-youth-camps-2019.html").read_text(encoding="utf-8")
    assert "It was the first such event Minhang District has held." in first
    assert re.sub("<[^>]+>", "", first).count("Counties taking part: Zepu County and Shangri-La City (two in all).") == 1
    # The same event, now a yearly one held before: no "first", a "held every year".
    text = path.read_text(encoding="utf-8").replace("first: true", "first: false\nrecurring: annual")
    path.write_text(text, encoding="utf-8")
    result = run_cli("-C", str(project_copy), "build", "--format", "html", "--only", "press/minhang-*", "--output",
                     str(out))
    assert result.returncode == 0, result.stderr
    again = (out / "zh/press/minhang-youth-camps-2019.html").read_text(encoding="utf-8")
    assert "首次" not in again and "该活动每年举办。" in again
