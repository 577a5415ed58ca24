"""Press releases from event records: dated from the record, with a real quotation and its speaker."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import ROOT, run_cli

RECORD = ROOT / "tests" / "records" / "test-fair-with-quote.yaml"


def text_of(path: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


def test_an_event_release_is_dated_from_its_record_and_quotes_its_speaker(project_copy: Path, tmp_path: Path):
    shutil.copy(RECORD, project_copy / "data/events" / RECORD.name)
    out = tmp_path / "out"
    result = run_cli("-C", str(project_copy), "build", "--format", "html", "--only", "press/test-*",
                     "--output", str(out))
    assert result.returncode == 0, result.stderr
    zh = text_of(out / "zh/press/test-fair-with-quote.html")
    en = text_of(out / "en/press/test-fair-with-quote.html")
    # The release goes out on the event's last day, not on the series' first.
    assert "上海，2019年11月7日电" in zh and "SHANGHAI, Nov. 7 —" in en
    assert "2019年11月5日至7日，宝山区举办测试用展销会。" in zh
    assert "From 5 to 7 November 2019, Baoshan held a test fair." in en
    assert "“这是一段测试用的引语”——测试发言人" in zh
    assert "“This is a quotation for the test” — a test speaker" in en
    assert 'class="quote"' in (out / "en/press/test-fair-with-quote.html").read_text(encoding="utf-8")


def test_an_event_without_a_full_day_needs_a_release_date(project_copy: Path):
    text = RECORD.read_text(encoding="utf-8").replace('date: "2019-11-05"\ndate_to: "2019-11-07"\n',
                                                      'date: "2019"\n')
    (project_copy / "data/events" / RECORD.name).write_text(text, encoding="utf-8")
    result = run_cli("-C", str(project_copy), "check")
    assert result.returncode == 1
    assert re.search(r"data/events/test-fair-with-quote\.yaml:\d+:\d+: error: the release needs a date", result.stderr)
    assert "add release_date: YYYY-MM-DD" in result.stderr


def test_a_district_release_lead_names_its_figures_by_rank_never_by_value():
    """The lead names the first three ranked measures a record has (measures.yaml's `lead`), one figure each: a
    changed figure changes what it prints, never which figures it names (so an override of it never goes stale)."""
    from generator.records.dataset import load_dataset
    from generator.view.parts import lead_figures
    from generator.view.prose import Writer
    from generator.words.lang import LANGUAGES

    ds = load_dataset(ROOT)
    chosen = {}
    for did, record in ds.districts.items():
        origin = ds.district_files[did]
        for scale in (1, 7, 1000):  # every figure of the record multiplied
            for block in record.blocks:
                for item in block.items:
                    for f in item.facts:
                        if f.value is not None and scale > 1:
                            object.__setattr__(f, "value", f.value * scale)
            figures = lead_figures(Writer(ds, LANGUAGES["en"]), record, origin, 3)
            chosen.setdefault(did, [f["measure"] for f in figures])
            assert [f["measure"] for f in figures] == chosen[did], did
    assert chosen == {
        "baoshan": ["investment brought in", "jobs created", "poor people moved into work"],
        "minhang": ["paired areas’ produce sold", "poor villages paired", "schools paired"],
        "jiading": ["investment brought in", "households lifted out of poverty", "medical staff sent"],
        "jinshan": ["poor villages paired", "schools paired", "hospitals paired"]}
