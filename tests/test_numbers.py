"""Figures and periods are worded per language the way each press writes them."""

from __future__ import annotations

import pytest
from conftest import ROOT

from generator.records.models import Fact
from generator.words.numbers import format_fact, format_period


def fact(value, unit="people", qualifier="exact", **kw) -> Fact:
    return Fact(id="x", value=value, unit=unit, qualifier=qualifier, period="2019", src="test", **kw)


@pytest.mark.parametrize(
    "f, zh, en",
    [
        (fact(590000000, "yuan"), "5.9亿元", "590 million yuan"),
        (fact(123000000, "yuan", "about"), "约1.23亿元", "about 123 million yuan"),
        (fact(100000000, "yuan", "more-than"), "1亿多元", "more than 100 million yuan"),
        (fact(50000000, "yuan-per-year", "more-than"), "5000多万元/年", "more than 50 million yuan a year"),
        (fact(30000000, "yuan"), "3000万元", "30 million yuan"),
        (fact(20000000, "yuan", "at-least"), "2000万元以上", "at least 20 million yuan"),
        (fact(10000, "items", "more-than"), "1万多个", "more than 10,000"),
        (fact(8000, "people", "more-than", classifier="名"), "8000余名", "more than 8,000"),
        (fact(11281, "people", classifier="名"), "11281名", "11,281"),
        (fact(108106, "volumes"), "108106册", "108,106"),
        (fact(5408, "person-times"), "5408人次", "5,408"),
        (fact(185.18, "percent"), "185.18%", "185.18 per cent"),
        (fact(1000, "mu"), "1000亩", "1,000 mu"),
        (fact(4000, "metres", "at-least"), "4000米以上", "at least 4,000 metres"),
        (fact(8000, "yuan-per-mu", value_to=10000), "8000至10000元/亩", "8,000 to 10,000 yuan per mu"),
        (fact(5000000, "pairs"), "500万双", "5 million"),
        # The schema's bound (10^15): 1000多万亿, never 1000万多亿 (found by tests/test_record_mutations.py).
        (fact(10**15, "items", "more-than"), "1000多万亿个", "more than 1000 trillion"),
        (fact(10**12, "people", "more-than", classifier="名"), "1万亿多名", "more than 1 trillion"),
    ],
)
def test_figures_are_worded_per_language(f, zh, en):
    assert format_fact(f, "zh") == zh
    assert format_fact(f, "en") == en


@pytest.mark.parametrize(
    "period, zh, en",
    [
        ("2019", "2019年", "In 2019"),
        ("2018H2", "2018年下半年", "In the second half of 2018"),
        ("2018/", "2018年以来", "Since 2018"),
        ("by:2018-12", "截至2018年底", "By the end of 2018"),
        ("by:2019-06", "截至2019年6月", "By June 2019"),
        ("current", "目前", "At present"),
    ],
)
def test_periods_open_sentences(period, zh, en):
    assert format_period(period, "zh") == zh
    assert format_period(period, "en") == en


def test_a_fact_refuses_impossible_values():
    with pytest.raises(ValueError, match="negative"):
        fact(-3)
    with pytest.raises(ValueError, match="finite"):
        fact(float("nan"))
    with pytest.raises(ValueError, match="period"):
        Fact(id="x", value=1, unit="people", qualifier="exact", period="今年", src="test")


def test_both_languages_have_every_label():
    import yaml

    from conftest import ROOT

    labels = yaml.safe_load((ROOT / "templates/labels.yaml").read_text(encoding="utf-8"))

    def keys(d, prefix=""):
        return {prefix + k for k in d} | {x for k, v in d.items() if isinstance(v, dict) for x in keys(v, k + ".")}

    assert keys(labels["zh"]) == keys(labels["en"])


@pytest.mark.parametrize("value", [10**12, 1.5 * 10**12, 10**15])
def test_a_figure_up_to_the_bound_reads_alike_in_both_editions(value: float):
    """10^15 people, the schema's bound, is 1000万亿 / 1000 trillion: the comparison of the editions' figures
    read 10^7 and 1000, and the build failed (found by tests/test_record_mutations.py)."""
    from collections import Counter
    from decimal import Decimal

    from generator.records.dataset import load_dataset
    from generator.words.lang import LANGUAGES
    from generator.render.parity import figures

    dataset = load_dataset(ROOT)  # its names: a name with a figure in it is no figure
    zh, en = (figures(LANGUAGES[code].number(value), code, dataset) for code in ("zh", "en"))
    assert zh == en == Counter({Decimal(value).normalize(): 1})


def test_figures_are_read_once_for_every_language():
    from decimal import Decimal

    from generator.figures import en_values, zh_values

    assert zh_values("引进5.9亿元，8000余人，1万多个，1000万亿，2.5萬人") == [
        Decimal("5.9E+8"), Decimal("8E+3"), Decimal("1E+4"), Decimal("1E+15"), Decimal("2.5E+4")]
    assert en_values("590 million yuan, 11,281 people, 1.5 billion, 1,000 trillion") == [
        Decimal("5.9E+8"), Decimal("11281"), Decimal("1.5E+9"), Decimal("1E+15")]


def test_every_unit_has_its_word_in_every_language():
    from generator.records.models import UNITS
    from generator.words.lang import LANGUAGES

    for code, language in LANGUAGES.items():
        assert set(language.unit_words) == set(UNITS), code
