"""Broken data gives one located line per problem, exit code 1, no traceback, and untouched output."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import run_cli

BAOSHAN = "data/districts/baoshan.yaml"


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".cache" not in p.parts
    }


def edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")


CASES = {
    "yaml-syntax": (
        BAOSHAN, "place: baoshan\n", "place: [baoshan\n",
        "data/districts/baoshan.yaml:8:9: error: YAML syntax error: expected ',' or ']', but got ':' (hint: check indentation, colons and quotes)",
    ),
    "wrong-type": (
        BAOSHAN, "{id: luoping-firms, value: 5,", "{id: luoping-firms, value: 五家,",
        "data/districts/baoshan.yaml:48:40: error: luoping-firms.value: Input should be a valid number "
        "(got str '五家') (hint: write the number without units or Chinese numerals, e.g. 590000000)",
    ),
    "unknown-county": (
        BAOSHAN, "places: [luoping, shizong,", "places: [luopin, shizong,",
        "data/districts/baoshan.yaml:16:14: error: unknown county 'luopin' "
        "(hint: did you mean 'luoping'? otherwise add it to data/gazetteer.yaml)",
    ),
    "missing-english": (
        BAOSHAN, '  en: "Baoshan: industry, markets and skills for lasting gains"\n', "",
        "data/districts/baoshan.yaml:9:3: error: missing field 'en' "
        "(hint: add it (every text needs both zh and en))",
    ),
    "instalment-date": (
        "data/series.yaml", "    districts: [baoshan, minhang, jiading, jinshan]\n",
        '    districts: [baoshan, minhang, jiading, jinshan]\n    date: "2019-11-02"\n',
        "data/series.yaml:38:11: error: instalment date 2019-11-02 is outside the series' run (2019-10-13 to "
        "2019-10-16) (hint: give the day the instalment ran, or no date)",
    ),
    "unknown-term": (
        BAOSHAN, "relation: counterpart-support", "relation: counterpart-aid",
        "data/districts/baoshan.yaml:17:15: error: unknown glossary term 'counterpart-aid' "
        "(hint: did you mean 'counterpart-support'? otherwise use east-west-cooperation or counterpart-support, "
        "or add the term)",
    ),
    # Every item has an id (editors' overrides are keyed by block.item), unique in its record and no block's id.
    "item-without-id": (
        BAOSHAN, "      - id: luoping-investors\n        text:\n", "      - text:\n",
        "data/districts/baoshan.yaml:43:9: error: item has no id (hint: add a short id naming what the item says, "
        "unique in this record, e.g. `id: luoping-investors`)",
    ),
    "item-id-in-two-blocks": (
        BAOSHAN, "- id: produce-fairs\n", "- id: luoping-investors\n",
        "data/districts/baoshan.yaml:74:13: error: duplicate item id 'luoping-investors' (first at line 43) "
        "(hint: item ids are unique in a record: give this one another short id naming what it says)",
    ),
    "item-id-of-a-block": (
        BAOSHAN, "- id: job-fairs\n", "- id: talent\n",
        "data/districts/baoshan.yaml:167:13: error: item id 'talent' is also a block id (hint: give the item another "
        "id: an item id that is also a block id makes `block.item` ids ambiguous)",
    ),
    "event-item-without-id": (
        "data/events/baoshan-produce-fairs-2019.yaml", "  - id: showrooms-shops\n    text:\n", "  - text:\n",
        "data/events/baoshan-produce-fairs-2019.yaml:32:5: error: item has no id (hint: add a short id naming what "
        "the item says, unique in this record, e.g. `id: luoping-investors`)",
    ),
    "event-lead-id-of-an-item": (
        "data/events/baoshan-produce-fairs-2019.yaml", "lead:\n  text:\n", "lead:\n  id: online-platforms\n  text:\n",
        "data/events/baoshan-produce-fairs-2019.yaml:38:9: error: duplicate item id 'online-platforms' (first at line "
        "22) (hint: item ids are unique in a record: give this one another short id naming what it says)",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("command", ["check", "build"])
def test_bad_input_gives_one_located_line(project_copy: Path, case: str, command: str):
    rel, old, new, expected = CASES[case]
    output = project_copy / "output"
    output.mkdir(exist_ok=True)
    (output / "zh").mkdir()
    (output / "zh" / "kept.pdf").write_bytes(b"%PDF- an earlier build")
    before = snapshot(output)
    edit(project_copy, rel, old, new)

    result = run_cli("-C", str(project_copy), command)

    assert result.returncode == 1
    assert result.stderr.splitlines() == [expected, "1 problem; nothing written" if command == "build"
                                          else "1 problem, 0 warnings"]
    assert "Traceback" not in result.stderr + result.stdout
    assert snapshot(output) == before


def test_every_problem_is_reported_at_once(project_copy: Path):
    edit(project_copy, BAOSHAN, "{id: luoping-firms, value: 5,", "{id: luoping-firms, value: 五家,")
    edit(project_copy, "data/districts/jiading.yaml", "places: [jiuzhi]", "places: [jiuzhii]")
    edit(project_copy, "data/districts/minhang.yaml", "relation: counterpart-support", "relation: counterpart")
    result = run_cli("-C", str(project_copy), "check")
    assert result.returncode == 1
    assert [line.split(": error:")[0] for line in result.stderr.splitlines()] == [
        "data/districts/baoshan.yaml:48:40",
        "data/districts/jiading.yaml:21:14",
        "data/districts/minhang.yaml:21:15",
        "3 problems, 0 warnings",
    ]


def test_placeholders_must_match_between_languages(project_copy: Path):
    edit(project_copy, BAOSHAN, "{baoshan-job-fairs} job fairs", "five job fairs")
    result = run_cli("-C", str(project_copy), "check")
    assert result.returncode == 1
    assert "only in zh: {baoshan-job-fairs}" in result.stderr
    assert "fact 'baoshan-job-fairs' is never printed" not in result.stderr  # still printed in zh


def test_an_english_text_stating_another_figure_fails_naming_both(project_copy: Path):
    edit(project_copy, BAOSHAN, "{baoshan-job-fairs} job fairs", "{baoshan-job-fairs} job fairs (6 in all)")
    result = run_cli("-C", str(project_copy), "check")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "data/districts/baoshan.yaml:170:15: error: figures written into the text differ: zh (line 170) [] vs "
        "en (line 171) ['6'] (hint: put figures in facts and refer to them as {fact-id})",
        "1 problem, 0 warnings"]


def test_a_template_wording_a_figure_wrongly_in_one_language_fails_the_build(project_copy: Path, tmp_path: Path):
    template = project_copy / "templates/article.en.html.j2"
    text = template.read_text(encoding="utf-8")
    assert "over {{ intro.days }} days" in text
    template.write_text(text.replace("over {{ intro.days }} days", "over five days, 5 in print,"), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("-C", str(project_copy), "build", "--only", "articles/*", "--output", str(out))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "output/zh/articles/baoshan-minhang-jiading-jinshan.html:1:1: error: figure 4 appears 2 time(s) here but "
        "1 time(s) in output/en/articles/baoshan-minhang-jiading-jinshan.html (hint: the Chinese and English "
        "editions must state the same figures)",
        "output/zh/articles/baoshan-minhang-jiading-jinshan.html:1:1: error: figure 5 appears 4 time(s) here but "
        "5 time(s) in output/en/articles/baoshan-minhang-jiading-jinshan.html (hint: the Chinese and English "
        "editions must state the same figures)",
        "2 problems; nothing written",
    ]
    assert not out.exists() or not any(out.rglob("*.pdf"))


def test_a_character_no_font_has_names_its_record_and_line(project_copy: Path):
    edit(project_copy, BAOSHAN, "en: A tourism, culture and farm-produce fair", "en: A tourism 🎉 fair")
    result = run_cli("-C", str(project_copy), "build")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "data/districts/baoshan.yaml:205:11: error: character '🎉' (U+1F389) has no glyph in the document fonts "
        "(hint: replace it or remove it)",
        "1 problem; nothing written",
    ]


def test_the_check_command_reports_success():
    result = run_cli("check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-2].startswith("ok: 4 districts, 5 events,")
    assert result.stdout.splitlines()[-1] == "0 problems, 0 warnings"


def test_a_template_naming_a_value_its_kind_does_not_give_is_located(project_copy: Path, tmp_path: Path):
    """An older copy of a template (the release lead's list of key figures, before the lead named three by rank)
    is a located problem in the project's template, not an internal error."""
    template = project_copy / "templates/district_release.en.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("; its results include ", "; key figures: {{ key_figures|length }}; "),
                        encoding="utf-8")
    line = 1 + text[:text.index("; its results include ")].count("\n")
    result = run_cli("-C", str(project_copy), "build", "--format", "html", "--only", "press/district-baoshan",
                     "--output", str(tmp_path / "out"))
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[0] == (
        f"templates/district_release.en.j2:{line}:1: error: template: 'key_figures' is undefined (hint: compare "
        "the template with the toolkit's own: a value it names is not one this kind of document gives)")
    assert "internal error" not in result.stderr and not (tmp_path / "out/en/press/district-baoshan.html").exists()
