"""Consistency rules fire on broken figures; the source's own errata are reported as notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli
from generator.errors import Location
from generator.records.models import Fact
from generator.records.rules import FactRef, check_facts


def f(fid: str, value, **kw) -> FactRef:
    """A synthetic fixture fact at a made-up place."""
    kw.setdefault("unit", "items")
    kw.setdefault("qualifier", "exact")
    fact = Fact(id=fid, value=value, period="current", src="fixture", **kw)
    return FactRef(fact, Location("fixture.yaml", len(fid), 1))


def run(*refs: FactRef) -> tuple[list[str], list[str]]:
    errors, notes = [], []
    check_facts({r.fact.id: r for r in refs}, errors, notes)
    return [e.message for e in errors], [n.message for n in notes]


def test_a_part_never_exceeds_its_whole():
    assert run(f("households", 165, unit="households"), f("poor", 111, unit="households", of="households")) == ([], [])
    errors, _ = run(f("households", 165, unit="households"), f("poor", 200, unit="households", of="households"))
    assert errors == ["part poor (200) is larger than its whole households (165)"]


def test_a_count_matches_the_items_it_lists():
    assert run(f("fairs", 5, listed=["a", "b", "c", "d", "e"])) == ([], [])
    errors, _ = run(f("fairs", 5, listed=["a", "b", "c", "d"]))
    assert errors == ["fairs counts 5 but lists 4: a, b, c, d"]


def test_a_total_is_the_sum_of_its_parts():
    parts = (f("paired", 299), f("to-pair", 280))
    assert run(f("villages", 579, sum_of=["paired", "to-pair"]), *parts) == ([], [])
    errors, _ = run(f("villages", 580, sum_of=["paired", "to-pair"]), *parts)
    assert errors == ["villages (580) is not the sum of paired + to-pair (299 + 280 = 579)"]


def test_a_profit_does_not_exceed_its_output():
    output = f("output", 100000000, unit="yuan")
    assert run(output, f("profit", 20000000, unit="yuan", qualifier="at-least", at_most="output")) == ([], [])
    errors, _ = run(output, f("profit", 200000000, unit="yuan", at_most="output"))
    assert errors == ["profit (200000000) exceeds output (100000000)"]


def test_a_per_unit_figure_times_its_quantity_gives_the_total():
    per_mu = f("per-mu", 8000, unit="yuan-per-mu", value_to=10000)
    area = f("area", 1000, unit="mu")
    assert run(per_mu, area, f("output", 9000000, unit="yuan", product_of=["per-mu", "area"])) == ([], [])
    errors, _ = run(per_mu, area, f("output", 50000000, unit="yuan", product_of=["per-mu", "area"]))
    assert errors == ["output (50000000) is not per-mu × area (8000000 to 10000000)"]
    errors, _ = run(per_mu, area, f("profit", 50000000, unit="yuan", qualifier="more-than",
                                    at_most_product=["per-mu", "area"]))
    assert errors == ["profit (50000000) exceeds per-mu × area (at most 10000000)"]


def test_a_growth_rate_reproduces_from_whole_numbers():
    assert run(f("batches", 80, unit="batches"), f("growth", 185.71, unit="percent", growth_of="batches")) == ([], [])
    errors, _ = run(f("batches", 80, unit="batches"), f("growth", 185.18, unit="percent", growth_of="batches"))
    assert errors == ["growth 185.18% of batches (80) implies no whole-number earlier figure"]


def test_about_and_more_than_are_not_both_on_one_figure():
    errors, _ = run(f("staff", 180, unit="person-times", qualifier="about", printed="约180余人次"))
    assert errors == ["staff was printed with two qualifiers ('约180余人次'): 'about' and 'more than' disagree"]


def test_an_erratum_turns_the_rule_into_a_note():
    erratum = {"printed": "约180余人次", "used": "约180人次", "why": "约 and 余 contradict each other"}
    errors, notes = run(f("staff", 180, unit="person-times", qualifier="about", printed="约180余人次",
                          erratum=erratum))
    assert errors == []
    assert notes == ["staff was printed with two qualifiers ('约180余人次'): 'about' and 'more than' disagree; "
                     "erratum: printed '约180余人次', used '约180人次': 约 and 余 contradict each other"]


def test_check_counts_the_errata_and_lists_them_only_when_asked():
    plain = run_cli("check")
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.splitlines() == [
        "ok: 4 districts, 5 events, 83 facts, 71 places, 103 terms; 8 notes on errata (check --notes shows them)",
        "0 problems, 0 warnings"]


def test_check_lists_the_sources_errata_as_notes_with_their_place():
    result = run_cli("check", "--notes")
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stdout.splitlines() if ": note: " in line]
    places = [line.split(": note: ")[0] for line in notes]
    assert places == [
        "data/districts/baoshan.yaml:113:13",  # growth 185.18% (SOURCE_NOTES §B.10)
        "data/districts/baoshan.yaml:126:13",  # growth 19.53% (§B.10)
        "data/districts/jiading.yaml:112:13",  # 8000元以上10000元/亩 (§B.4)
        "data/districts/jiading.yaml:124:13",  # profit above output (§B.6)
        "data/districts/jiading.yaml:143:13",  # 751户2268户 (§B.3)
        "data/districts/jiading.yaml:198:13",  # 约180余 (§B.7)
        "data/districts/jiading.yaml:248:13",  # 2128册、108106册 (§B.5)
        "data/districts/minhang.yaml:111:13",  # 7个 / caption / 部门 (§B.11)
    ]
    assert "jiading-veg-profit (50000000) exceeds" in notes[3]
    assert "two qualifiers" in notes[5]


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("{id: jiading-trout-poor-households, value: 111,", "{id: jiading-trout-poor-households, value: 200,",
         "data/districts/jiading.yaml:77:13: error: part jiading-trout-poor-households (200) is larger than its "
         "whole jiading-trout-households (165)"),
        ("at_most: jiading-trout-direct-output, value: 20000000,",
         "at_most: jiading-trout-direct-output, value: 200000000,",
         "data/districts/jiading.yaml:69:13: error: jiading-trout-profit (200000000) exceeds "
         "jiading-trout-direct-output (100000000)"),
    ],
)
def test_rules_fire_at_the_facts_place(project_copy: Path, old, new, message):
    path = project_copy / "data/districts/jiading.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    result = run_cli("-C", str(project_copy), "check")
    assert result.returncode == 1
    assert [line.split(" (hint")[0] for line in result.stderr.splitlines()] == [message, "1 problem, 0 warnings"]
