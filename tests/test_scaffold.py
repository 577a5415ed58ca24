"""`aidreport new`: an editor following only docs/editing.md adds a district that builds, touching no other file.

The values typed into the scaffolds here are SYNTHETIC (a test district, 松江区 with a made-up
figure); they live only in this test's copy of the project.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_cli, squash

MARKER = '"<fill in>"'
LEFT = re.compile(r"^(data/[^:]+):(\d+):(\d+): error: (\S+) is still to fill in \(hint: replace '<fill in>' with ")


def _readme_commands() -> list[list[str]]:
    """The `aidreport new district` command of docs/editing.md's walk-through, as an editor would type it."""
    text = (ROOT / "docs" / "editing.md").read_text(encoding="utf-8")
    section = text.split("## Adding a district or an event", 1)[1].split("\n## ", 1)[0]
    return [shlex.split(line.strip())[1:] for line in section.splitlines()
            if line.strip().startswith(".venv/bin/aidreport new district")]


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "data").rglob("*")) if p.is_file()}


def _inserted(old: bytes, new: bytes) -> list[str]:
    """The lines new adds to old; fails if anything of old was changed or removed."""
    import difflib

    a, b = old.decode().splitlines(), new.decode().splitlines()
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    assert all(tag in ("equal", "insert") for tag, *_ in ops), [op for op in ops if op[0] != "equal"]
    return [line for tag, _, _, j1, j2 in ops if tag == "insert" for line in b[j1:j2]]


def _markers(path: Path) -> list[tuple[int, int]]:
    """The line and column of every marker outside the comments."""
    found = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.lstrip().startswith("#"):
            found += [(n, m.start() + 1) for m in re.finditer(re.escape(MARKER), line)]
    return found


def _fill(path: Path, values: list[str]) -> None:
    """Replace the markers in order, as an editor would, leaving the comments as they are."""
    supply = iter(values)
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if not line.lstrip().startswith("#"):
            line = re.sub(re.escape(MARKER), lambda _: next(supply), line)
        lines.append(line)
    assert next(supply, None) is None, "more values than markers"
    path.write_text("".join(lines), encoding="utf-8")


DISTRICT_VALUES = [  # SYNTHETIC: in the order the scaffold asks
    '"松江区：测试记录"', '"Songjiang: a test record"',  # headline
    "source-article", '"松江区"',  # source
    "east-west-cooperation", "luoping",  # pairings
    "industry",  # theme
    '"松江区为@luoping引进投资{songjiang-investment}"',
    '"Songjiang brought {songjiang-investment} of investment to @luoping"', '"松江区 ¶1"',
    "songjiang-investment", "123000000", "yuan", "exact", '"2019"', "investment", '"松江区 ¶1"', '"1.23亿元"',
]


def test_a_new_district_from_the_readme_builds_into_the_brief_fact_sheet_and_release(project_copy):
    root = project_copy
    before = _snapshot(root)
    [command] = _readme_commands()
    made = run_cli("-C", str(root), *command)
    assert made.returncode == 0, made.stderr
    assert made.stdout.splitlines()[:2] == ["wrote data/districts/songjiang.yaml", "wrote data/gazetteer.yaml"]
    record = root / "data/districts/songjiang.yaml"
    assert record.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../../schemas/district.schema.json\n")

    # Only the gazetteer changed, and only by the district's entry: every line it had is kept.
    after = _snapshot(root)
    changed = {k for k in after if before.get(k) != after[k]}
    assert changed == {"data/gazetteer.yaml", "data/districts/songjiang.yaml"}
    assert _inserted(before["data/gazetteer.yaml"], after["data/gazetteer.yaml"]) == ["      - id: songjiang", "        level: district", "        zh: 松江区", "        zh_short: 松江",
                     "        en: Songjiang District", "        en_short: Songjiang"]

    # check lists exactly what is left to fill: one line per marker, at its line and column.
    checked = run_cli("-C", str(root), "check")
    assert checked.returncode == 1
    *lines, count = checked.stderr.splitlines()
    assert count == f"{len(lines)} problems, 0 warnings"
    left = [LEFT.match(line) for line in lines]
    assert all(left), checked.stderr
    assert [(int(m[2]), int(m[3])) for m in left] == _markers(record)
    assert {m[1] for m in left} == {"data/districts/songjiang.yaml"}
    assert len(left) == len(DISTRICT_VALUES)

    _fill(record, DISTRICT_VALUES)
    checked = run_cli("-C", str(root), "check")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("ok: 5 districts")

    built = run_cli("-C", str(root), "build", "--jobs", "1", "--only", "briefs/comparison",
                    "--only", "briefs/songjiang", "--only", "press/district-songjiang")
    assert built.returncode == 0, built.stderr
    _read_back(root / "output")


def _read_back(output: Path) -> None:
    import docx
    from pypdf import PdfReader

    wanted = {"zh": ["松江区", "1.23亿元", "罗平县"], "en": ["Songjiang District", "123 million yuan", "Luoping County"]}
    for lang, words in wanted.items():
        for folder, name in (("briefs", "comparison"), ("briefs", "songjiang"), ("press", "district-songjiang")):
            pdf = squash("\n".join(p.extract_text() for p in PdfReader(output / lang / folder / f"{name}.pdf").pages),
                         lang)
            document = docx.Document(str(output / lang / folder / f"{name}.docx"))
            word = squash("\n".join([p.text for p in document.paragraphs] + [
                p.text for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs]), lang)
            for text in words[:2]:
                assert squash(text, lang) in pdf, (lang, name, text)
                assert squash(text, lang) in word, (lang, name, text)
        sheet = squash("\n".join(p.extract_text() for p in PdfReader(output / lang / "briefs/songjiang.pdf").pages),
                       lang)
        assert squash(words[2], lang) in sheet


def test_the_filled_record_validates_against_its_schema(project_copy):
    import jsonschema

    assert run_cli("-C", str(project_copy), "new", "district", "songjiang", "--zh", "松江区",
                   "--en", "Songjiang District").returncode == 0
    record = project_copy / "data/districts/songjiang.yaml"
    _fill(record, DISTRICT_VALUES)
    schema = json.loads((ROOT / "schemas/district.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(record.read_text(encoding="utf-8")), schema)


EVENT_VALUES = [  # SYNTHETIC
    "fair", '"松江区测试展销会"', '"A Songjiang test fair"', '"2019-10"', '"2019-10-20"',
    '"松江区在@luoping:short举办展销会"', '"Songjiang held a fair in @luoping:short"', '"测试 ¶1"',
    "source-article", '"松江区"',
]


def test_a_new_event_lists_what_is_left_then_builds_its_release(project_copy):
    root = project_copy
    assert run_cli("-C", str(root), "new", "district", "songjiang", "--zh", "松江区",
                   "--en", "Songjiang District").returncode == 0
    _fill(root / "data/districts/songjiang.yaml", DISTRICT_VALUES)
    made = run_cli("-C", str(root), "new", "event", "songjiang-test-fair", "--district", "songjiang")
    assert made.returncode == 0, made.stderr
    event = root / "data/events/songjiang-test-fair.yaml"
    text = event.read_text(encoding="utf-8")
    assert "organiser:\n  zh: \"松江区\"\n  en: \"Songjiang District\"" in text
    assert "counties: [luoping]" in text
    checked = run_cli("-C", str(root), "check")
    *lines, count = checked.stderr.splitlines()
    assert count == f"{len(lines)} problems, 0 warnings"
    left = [LEFT.match(line) for line in lines]
    assert checked.returncode == 1 and all(left), checked.stderr
    assert [(int(m[2]), int(m[3])) for m in left] == _markers(event)
    _fill(event, EVENT_VALUES)
    built = run_cli("-C", str(root), "build", "--jobs", "1", "--format", "html", "--only", "press/songjiang-test-fair")
    assert built.returncode == 0, built.stderr
    html = (root / "output/en/press/songjiang-test-fair.html").read_text(encoding="utf-8")
    assert "A Songjiang test fair" in html and "20 October 2019" in html


@pytest.mark.parametrize("args, message", [
    (["district", "baoshan", "--zh", "宝山区", "--en", "Baoshan District"],
     "error: data/districts/baoshan.yaml already exists (hint: open it, or choose another id)"),
    (["district", "puer", "--zh", "普洱区", "--en", "Puer District"],
     "error: the gazetteer already has a place 'puer' (普洱市, Pu'er City) (hint: choose another id)"),
    (["district", "Song_jiang", "--zh", "松江区", "--en", "Songjiang District"],
     "error: 'Song_jiang' is not a valid district id (hint: ids are lowercase ASCII letters, digits and '-', "
     "e.g. songjiang)"),
    (["event", "baoshan-produce-fairs-2019", "--district", "baoshan"],
     "error: data/events/baoshan-produce-fairs-2019.yaml already exists (hint: open it, or choose another id)"),
    (["event", "a-new-fair", "--district", "baoshang"],
     "error: no district record 'baoshang' in data/districts/ (hint: did you mean 'baoshan'?)"),
    (["place", "luoping", "--zh", "罗平县", "--en", "Luoping County", "--level", "county", "--in", "qujing"],
     "error: the gazetteer already has a place 'luoping' (罗平县, Luoping County) (hint: choose another id)"),
    (["place", "menghai", "--zh", "勐海县", "--en", "Menghai County", "--level", "county", "--in", "qujng"],
     "error: no place 'qujng' in data/gazetteer.yaml (hint: did you mean 'qujing'?)"),
    (["place", "menghai", "--zh", "勐海县", "--en", "Menghai County", "--level", "shire", "--in", "yunnan"],
     "error: unknown level 'shire' (hint: one of: municipality, province, autonomous-region, prefecture, "
     "autonomous-prefecture, prefecture-city, county, autonomous-county, county-city, district, township, town, "
     "subdistrict, village, site)"),
    (["source", "source-article", "--zh", "标题", "--en", "Title"],
     "error: data/series.yaml already has a source 'source-article' (hint: choose another id)"),
])
def test_a_taken_or_malformed_id_is_refused_and_nothing_is_written(project_copy, args, message):
    before = _snapshot(project_copy)
    result = run_cli("-C", str(project_copy), "new", *args)
    assert result.returncode == 1
    assert result.stderr.strip() == message
    assert "Traceback" not in result.stderr
    assert _snapshot(project_copy) == before


def test_new_place_and_source_keep_every_other_line(project_copy):
    root = project_copy
    before = _snapshot(root)
    place = run_cli("-C", str(root), "new", "place", "test-county", "--zh", "测试县", "--en", "Test County",
                    "--level", "county", "--in", "qujing")
    source = run_cli("-C", str(root), "new", "source", "test-report", "--zh", "测试报告", "--en", "A test report")
    assert place.returncode == 0 and source.returncode == 0, place.stderr + source.stderr
    after = _snapshot(root)
    assert _inserted(before["data/gazetteer.yaml"], after["data/gazetteer.yaml"]) == [
        "          - id: test-county", "            level: county", "            zh: 测试县", "            en: Test County"]
    assert _inserted(before["data/series.yaml"], after["data/series.yaml"]) == [
        "  - id: test-report", "    title:", "      zh: 测试报告", "      en: A test report"]
    assert run_cli("-C", str(root), "check").returncode == 0
