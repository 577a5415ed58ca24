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
           "(hint: write ', ' instead)" in lines  # a comma and the space English sets after it
    assert any(f"data/districts/baoshan.yaml:{line}:" in entry and "full-width '（'" in entry
               and "(hint: write ' (' instead)" in entry for entry in lines)
    assert lines[-1] == "3 problems, 0 warnings"  # each mark once, nothing else


def test_an_unquoted_year_is_a_year(project_copy: Path):
    path = project_copy / "data/districts/baoshan.yaml"
    _edit(path, '        period: "2019"\n        text:\n          zh: 对口地区特色商品展销会',
          '        period: 2019\n        text:\n          zh: 对口地区特色商品展销会')
    result = run_cli("-C", str(project_copy), "check")
    assert result.returncode == 0, result.stderr


def test_a_year_written_with_nian_gets_a_hint(project_copy: Path):
    path = project_copy / "data/districts/baoshan.yaml"
    _edit(path, '        period: "2019"\n        text:\n          zh: 对口地区特色商品展销会',
          '        period: 2019年\n        text:\n          zh: 对口地区特色商品展销会')
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


FIGURE = "measure: workers-employed-locally, value: 11281,"


def _check_lines(project: Path) -> list[str]:
    result = run_cli("-C", str(project), "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    return result.stderr.splitlines()


def test_a_comma_in_a_figure_says_what_happened_and_what_to_write(project_copy: Path):
    path = project_copy / "data/districts/baoshan.yaml"
    _edit(path, FIGURE, FIGURE.replace("11281", "1,2345"))
    assert _check_lines(project_copy) == [
        "data/districts/baoshan.yaml:175:83: error: baoshan-workers-local.value: a comma inside the figure 1,2345: "
        "in a one-line {…} fact the comma ends the value, so '2345' became a field name "
        "(hint: write the figure without separators: value: 12345)", "1 problem, 0 warnings"]
    _edit(path, "value: 1,2345,", "value: 1,234,567,")  # two commas: still one slip, one error
    lines = _check_lines(project_copy)
    assert len(lines) == 2 and "(hint: write the figure without separators: value: 1234567)" in lines[0]


def test_a_qualifier_or_unit_word_in_a_value_points_to_the_field_to_use(project_copy: Path):
    path = project_copy / "data/districts/baoshan.yaml"
    cases = {"约5000": "(hint: write value: 5000 and qualifier: about)",
             "11281余": "(hint: write value: 11281 and qualifier: more-than)",
             '"8000以上"': "(hint: write value: 8000 and qualifier: at-least)",
             "1.15亿": "(hint: write the whole number: value: 115000000)"}
    before = FIGURE
    for written, hint in cases.items():
        after = FIGURE.replace("11281", written)
        _edit(path, before, after)
        before = after
        lines = _check_lines(project_copy)
        assert lines[-1] == "1 problem, 0 warnings", lines
        assert lines[0].startswith("data/districts/baoshan.yaml:175:83: error: baoshan-workers-local.value: ")
        assert lines[0].endswith(hint), lines[0]


def test_one_misspelt_place_is_one_error(project_copy: Path):
    path = project_copy / "data/districts/baoshan.yaml"
    _edit(path, "zh: 帮助@luoping引进", "zh: 帮助@luopng引进")
    assert _check_lines(project_copy) == [
        "data/districts/baoshan.yaml:45:15: error: unknown place '@luopng' (hint: did you mean 'luoping'? otherwise "
        "add it to data/gazetteer.yaml)", "1 problem, 0 warnings"]


def test_a_new_district_can_be_started_again(project_copy: Path):
    args = ("-C", str(project_copy), "new", "district", "songjiang", "--zh", "松江区", "--en", "Songjiang District")
    assert run_cli(*args).returncode == 0
    record = project_copy / "data/districts/songjiang.yaml"
    text = record.read_text(encoding="utf-8")
    comments = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    assert "<fill in>" not in comments  # only the values to fill in hold the marker
    assert ("# To start again:  aidreport new district songjiang --zh 松江区 --en \"Songjiang District\" --replace"
            in comments)
    record.unlink()  # a botched record, deleted: its gazetteer entry stays
    again = run_cli(*args)
    assert again.returncode == 1
    assert again.stderr == (
        "error: the gazetteer already has the district 'songjiang' (松江区, Songjiang District), from an earlier "
        "`aidreport new district` (hint: run it again with --replace to start the record afresh, or delete that "
        "entry under shanghai in data/gazetteer.yaml)\n")
    replaced = run_cli(*args, "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert record.read_text(encoding="utf-8") == text
    assert (project_copy / "data/gazetteer.yaml").read_text(encoding="utf-8").count("id: songjiang") == 1


def test_a_figure_written_with_an_exponent_gets_its_plain_number(project_copy: Path):
    """YAML reads 1e-06 as text (a float needs its dot): found by tests/test_record_mutations.py."""
    path = project_copy / "data/districts/baoshan.yaml"
    _edit(path, "{id: luoping-firms, value: 5,", "{id: luoping-firms, value: 5e0,")
    result = run_cli("-C", str(project_copy), "check")
    assert result.returncode == 1
    assert "luoping-firms.value: '5e0' is written with an exponent, which YAML reads as text (hint: write the " \
           "plain number: value: 5)" in result.stderr
