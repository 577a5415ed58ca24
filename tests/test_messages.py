"""Messages an editor can act on: each names its place and says how to fix the mistake."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_full_width_punctuation_in_english_is_refused_at_its_column(project_copy: Path):
    path = project_copy / "data/districts/baoshan.yaml"
    _edit(path, 'en: "Baoshan: industry, markets and skills for lasting gains"',
          'en: "Baoshan: industry，markets and skills for lasting gains（new）"')
    result = run_cli("-C", str(project_copy), "check")
    assert result.returncode == 1
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "industry，" in text)
    column = path.read_text(encoding="utf-8").splitlines()[line - 1].index("，") + 1
    lines = result.stderr.splitlines()
    assert f"data/districts/baoshan.yaml:{line}:{column}: error: full-width '，' in English text " \
           "(hint: write ',' instead)" in lines
    assert any(f"data/districts/baoshan.yaml:{line}:" in entry and "full-width '（'" in entry
               and "(hint: write '(' instead)" in entry for entry in lines)
    assert len(lines) == 3  # each mark once, nothing else


def test_an_unquoted_year_is_a_year(project_copy: Path):
    path = project_copy / "data/districts/baoshan.yaml"
    _edit(path, '      - period: "2019"\n        text:\n          zh: 对口地区特色商品展销会',
          '      - period: 2019\n        text:\n          zh: 对口地区特色商品展销会')
    result = run_cli("-C", str(project_copy), "check")
    assert result.returncode == 0, result.stderr


def test_a_year_written_with_nian_gets_a_hint(project_copy: Path):
    path = project_copy / "data/districts/baoshan.yaml"
    _edit(path, '      - period: "2019"\n        text:\n          zh: 对口地区特色商品展销会',
          '      - period: 2019年\n        text:\n          zh: 对口地区特色商品展销会')
    result = run_cli("-C", str(project_copy), "check")
    assert result.returncode == 1
    assert "write the year as 2019, without 年" in result.stderr


def test_a_misspelt_id_gets_the_closest_one(project_copy: Path):
    path = project_copy / "data/districts/baoshan.yaml"
    _edit(path, "places: [luoping, shizong,", "places: [luopin, shizong,")
    _edit(path, "zh: 在@qujing，宝山区帮助@xuanwei", "zh: 在@qujin，宝山区帮助@xuanwei")
    _edit(path, 'en: "In @qujing, Baoshan helped @xuanwei', 'en: "In @qujin, Baoshan helped @xuanwei')
    result = run_cli("-C", str(project_copy), "check")
    assert result.returncode == 1
    assert "error: unknown county 'luopin' (hint: did you mean 'luoping'? otherwise add it to data/gazetteer.yaml)" \
        in result.stderr
    assert "error: unknown place '@qujin' (hint: did you mean 'qujing'? otherwise add it to data/gazetteer.yaml)" \
        in result.stderr


def test_a_missing_field_lists_its_allowed_values_and_a_fact_is_named_by_its_id(project_copy: Path):
    path = project_copy / "data/districts/baoshan.yaml"
    _edit(path, "{id: luoping-firms, value: 5, unit: organisations,", "{id: luoping-firms, value: five,")
    result = run_cli("-C", str(project_copy), "check")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any(": error: missing field 'unit' (hint: add it, one of: yuan, yuan-per-mu," in line for line in lines)
    assert any(": error: luoping-firms.value: Input should be a valid number (got str 'five')" in line
               for line in lines)


def test_a_value_that_no_longer_matches_what_the_source_printed_is_a_warning(project_copy: Path):
    path = project_copy / "data/districts/baoshan.yaml"
    _edit(path, "{id: luoping-firms, value: 5,", "{id: luoping-firms, value: 6,")
    result = run_cli("-C", str(project_copy), "check")
    assert result.returncode == 0, result.stderr  # a warning: the editor may mean it
    warning = next(line for line in result.stdout.splitlines() if ": warning: " in line)
    assert warning.startswith("data/districts/baoshan.yaml:")
    assert "luoping-firms is 6 but the source printed '5家企业'" in warning
    assert "update printed and src to the new source" in warning
