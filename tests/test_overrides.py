"""The editor's overrides: blocks and skeletons, applying one, and what becomes of it when the project changes.

The overrides here are synthetic (a test's wording of real blocks); data/ ships none.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from generator.errors import Location
from generator.records.overrides import Override
from generator.render.overrides import apply, blocks, skeleton

BAOSHAN = "press/district-baoshan"
PAGE = ('<html><body><h1 data-block="headline">Title</h1><p class="lead"><strong>SHANGHAI —</strong> '
        '<span data-block="lead">Baoshan brought in <span class="figure" data-ref="luoping-firms">5</span> companies '
        '(<span class="count" data-n="7" data-ref="counties">seven</span> in all).</span></p>'
        '<p data-block="industry"><span data-block="industry.a">One &amp; two.</span> '
        '<span data-block="industry.b">Up <span class="change" data-ref="x.change">12%</span>.</span></p></body></html>')


def _override(block: str, text: str, replaced: str = "", lang: str = "en") -> Override:
    return Override(block=f"{BAOSHAN}#{block}", lang=lang, text=text, replaced=replaced or text)


def _resolve(token: str):
    from markupsafe import Markup

    return {"@luoping": Markup("Luoping County"), "{yecheng-jobs}": Markup('<span class="figure" '
                                                                           'data-ref="yecheng-jobs">10,000</span>')}.get(token)


def test_a_block_s_skeleton_has_each_figure_as_its_reference():
    found = blocks(PAGE)
    assert list(found) == ["headline", "lead", "industry", "industry.a", "industry.b"]
    lead = PAGE[found["lead"].start:found["lead"].end]
    assert skeleton(lead) == "Baoshan brought in {luoping-firms} companies ({counties} in all)."
    assert skeleton(PAGE[found["industry"].start:found["industry"].end]) == "One & two. Up {x.change}."


def test_an_override_replaces_its_block_with_live_figures_places_and_the_document_s_own_references():
    text = "@luoping drew {luoping-firms} firms, {yecheng-jobs} jobs & {counties} counties."
    html, applied, problems = apply(PAGE, BAOSHAN, [_override("lead", text, "Baoshan brought in {luoping-firms} "
                                                              "companies ({counties} in all).")], _resolve, {})
    assert problems == [] and [a.state for a in applied] == ["current"]
    lead = html[blocks(html)["lead"].start:blocks(html)["lead"].end]
    assert lead == ('Luoping County drew <span class="figure" data-ref="luoping-firms">5</span> firms, <span '
                    'class="figure" data-ref="yecheng-jobs">10,000</span> jobs &amp; <span class="count" data-n="7" '
                    'data-ref="counties">seven</span> counties.')
    assert html.replace(lead, "") == PAGE.replace(PAGE[blocks(PAGE)["lead"].start:blocks(PAGE)["lead"].end], "")


def test_an_override_identical_to_the_skeleton_leaves_the_page_byte_for_byte():
    for block in blocks(PAGE).values():
        same = skeleton(PAGE[block.start:block.end])
        html, applied, problems = apply(PAGE, BAOSHAN, [_override(block.id, same)], _resolve, {})
        assert (html, problems, applied[0].state) == (PAGE, [], "current")


def test_a_changed_skeleton_makes_an_override_stale_and_a_missing_block_an_orphan_with_the_nearest_ids():
    where = {f"en/{BAOSHAN}#leed": Location("data/overrides/x.yaml", 3, 11)}
    html, applied, problems = apply(PAGE, BAOSHAN, [_override("industry.a", "One.", "One and two."),
                                                    _override("leed", "Text.")], _resolve, where)
    assert [a.state for a in applied] == ["stale", "orphaned"]
    assert len(problems) == 1 and html == PAGE
    assert problems[0].format().startswith("data/overrides/x.yaml:3:11: error: the override of "
                                           f"{BAOSHAN}#leed (en) names a block {BAOSHAN} does not have")
    assert f"did you mean {BAOSHAN}#lead?" in problems[0].hint


def test_overlapping_overrides_and_unknown_references_are_errors():
    _, _, problems = apply(PAGE, BAOSHAN, [_override("industry", "All."), _override("industry.a", "One.")], _resolve, {})
    assert ["overlap" in p.message for p in problems] == [True]
    _, _, problems = apply(PAGE, BAOSHAN, [_override("lead", "{nothing-like-it} and #no-term.")], _resolve, {})
    assert ["{nothing-like-it}, #no-term" in p.message for p in problems] == [True]


# The project: check, build, confirm -------------------------------------------------------------------

def write_overrides(project: Path, entries: list[dict], name: str = BAOSHAN) -> Path:
    """Write a document's overrides file (synthetic overrides of a test)."""
    path = project / "data" / "overrides" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"overrides": entries}, allow_unicode=True, sort_keys=False, width=4096),
                    encoding="utf-8")
    return path


def skeletons_of(project: Path, label: str = BAOSHAN) -> dict[tuple[str, str], str]:
    """Every block's generated text (figures as references), by (block id, language), as `aidreport blocks` lists them."""
    result = run_cli("-C", str(project), "blocks", label)
    assert result.returncode == 0, result.stderr
    out, block = {}, ""
    for line in result.stdout.splitlines():
        if not line.startswith(" "):
            block = line
        elif re.match(r"  (zh|en|zh-Hant): ", line):
            lang, _, text = line.strip().partition(": ")
            out[(block, lang)] = text.removesuffix("  [overridden]")
    return out


def test_check_warns_of_a_stale_override_and_confirm_makes_it_current(project_copy: Path):
    skel = skeletons_of(project_copy)
    lead = skel[(f"{BAOSHAN}#lead", "en")]
    assert "{luoping-investment}" in lead and "{counties}" in lead
    write_overrides(project_copy, [{"block": f"{BAOSHAN}#lead", "lang": "en", "text": "Baoshan drew {luoping-investment}.",
                           "replaced": lead.replace("its results include", "its results included")}])
    result = run_cli("-C", str(project_copy), "check")
    assert result.returncode == 0, result.stderr
    assert f"data/overrides/{BAOSHAN}.yaml:4:9: warning: the override of {BAOSHAN}#lead (en) is stale" in result.stdout
    assert f"aidreport overrides confirm en/{BAOSHAN}#lead" in result.stdout
    listed = run_cli("-C", str(project_copy), "overrides")
    assert "stale" in listed.stdout and "1 override: 0 current, 1 stale, 0 orphaned" in listed.stdout
    page = run_cli("-C", str(project_copy), "overrides", "--format", "html")
    assert 'class="stale" data-override="en/press/district-baoshan#lead"' in page.stdout
    assert run_cli("-C", str(project_copy), "overrides", "confirm", f"en/{BAOSHAN}#lead").returncode == 0
    assert "0 warnings" in run_cli("-C", str(project_copy), "check").stdout
    kept = yaml.safe_load((project_copy / f"data/overrides/{BAOSHAN}.yaml").read_text(encoding="utf-8"))
    assert kept["overrides"][0]["replaced"] == lead and kept["overrides"][0]["text"] == "Baoshan drew {luoping-investment}."


def test_a_typed_figure_that_matches_a_fact_is_a_warning_naming_its_reference(project_copy: Path):
    lead = skeletons_of(project_copy)[(f"{BAOSHAN}#lead", "zh")]
    write_overrides(project_copy, [{"block": f"{BAOSHAN}#lead", "lang": "zh", "text": "宝山区引进投资5.9亿元。", "replaced": lead}])
    result = run_cli("-C", str(project_copy), "check")
    assert "types the figure 590000000 as a number" in result.stdout
    assert "write its reference instead: {yecheng-investment}" in result.stdout
    # A name that holds a digit is a name: Luoping's firms made 2, "Yecheng No. 2 Middle School" types no figure.
    record = project_copy / "data/districts/baoshan.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("{id: luoping-firms, value: 5,",
                                                                 "{id: luoping-firms, value: 2,"), encoding="utf-8")
    en = skeletons_of(project_copy)[(f"{BAOSHAN}#lead", "en")]
    write_overrides(project_copy, [{"block": f"{BAOSHAN}#lead", "lang": "en", "replaced": en,
                                    "text": "Yecheng No. 2 Middle School and 2 companies."}])
    found = [line for line in run_cli("-C", str(project_copy), "check").stdout.splitlines() if "types the" in line]
    assert len(found) == 1 and "types the figure 2 as a number" in found[0] and "{luoping-firms}" in found[0]


def test_deleting_an_item_turns_its_override_into_an_error_that_suggests_ids(project_copy: Path):
    skel = skeletons_of(project_copy)
    block = f"{BAOSHAN}#industry.luoping-investors"
    write_overrides(project_copy, [{"block": block, "lang": "en", "text": "Edited: " + skel[(block, "en")],
                           "replaced": skel[(block, "en")]}])
    record = project_copy / "data/districts/baoshan.yaml"
    text = record.read_text(encoding="utf-8")
    start = text.index("      - id: luoping-investors")
    end = text.index("      - id:", start + 1)
    record.write_text(text[:start] + text[end:], encoding="utf-8")
    result = run_cli("-C", str(project_copy), "build", "--format", "html", "--output", str(project_copy / "out"))
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"data/overrides/{BAOSHAN}.yaml:2:10: error:")  # at its block id
    assert f"names a block {BAOSHAN} does not have" in lines[0] and "did you mean" in lines[0]
    assert not (project_copy / "out").exists()


def test_a_zh_override_whose_figures_differ_from_the_en_fails_parity_at_the_override(project_copy: Path):
    skel = skeletons_of(project_copy)
    write_overrides(project_copy, [
        {"block": f"{BAOSHAN}#lead", "lang": "zh", "text": "宝山区引进投资{luoping-investment}，创造就业岗位{yecheng-jobs}。",
         "replaced": skel[(f"{BAOSHAN}#lead", "zh")]},
        {"block": f"{BAOSHAN}#lead", "lang": "en", "text": "Baoshan drew {luoping-investment} of investment.",
         "replaced": skel[(f"{BAOSHAN}#lead", "en")]}])
    result = run_cli("-C", str(project_copy), "build", "--format", "html", "--only", BAOSHAN, "--output",
                     str(project_copy / "out"))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"data/overrides/{BAOSHAN}.yaml:4:9: error: the zh and en texts of {BAOSHAN}#lead state different figures "
        "(10000) (hint: an override and its twin in the other language state the same figures: write each figure "
        "as its {reference} in both)")


def test_an_override_of_a_document_the_project_does_not_make_is_an_error(project_copy: Path):
    write_overrides(project_copy, [{"block": "press/district-baoshn#lead", "lang": "en", "text": "X.", "replaced": "Y."}])
    result = run_cli("-C", str(project_copy), "check")
    assert result.returncode == 1
    assert "names a document the project does not make (hint: did you mean press/district-baoshan" in result.stderr


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_blocks_command_names_every_paragraph_sentence_and_reference(project_copy: Path, lang: str):
    skel = skeletons_of(project_copy)
    ids = {block for block, code in skel if code == lang}
    assert {f"{BAOSHAN}#headline", f"{BAOSHAN}#lead", f"{BAOSHAN}#industry",
            f"{BAOSHAN}#industry.luoping-investors"} <= ids
    assert "{luoping-firms}" in skel[(f"{BAOSHAN}#industry.luoping-investors", lang)]
    result = run_cli("-C", str(project_copy), "blocks", "press/district-baoshn")
    assert result.returncode == 1 and "did you mean press/district-baoshan," in result.stderr


def test_an_override_rebuilds_exactly_the_documents_it_feeds(project_copy: Path, built):
    import shutil

    shutil.copytree(built.output, project_copy / "output")
    skel = skeletons_of(project_copy)
    block = f"{BAOSHAN}#industry.luoping-investors"
    write_overrides(project_copy, [{"block": block, "lang": "zh", "text": "（编辑稿）" + skel[(block, "zh")],
                                    "replaced": skel[(block, "zh")]}])
    result = run_cli("-C", str(project_copy), "build", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    rebuilt = [line for line in result.stdout.splitlines() if line.startswith("rebuilt ")]
    assert rebuilt == [f"rebuilt {BAOSHAN}: data/overrides/ changed"], result.stdout
    # The zh files (HTML, PDF, DOCX, WeChat) and the editions made of them (zh-Hant's four, which convert the
    # zh override, and the side-by-side HTML, PDF and DOCX): 11; the English ones stay as they were.
    assert re.search(r"\b11 written, 0 unchanged, 214 up to date", result.stdout), result.stdout
    text = (project_copy / "output/zh-Hant/press/district-baoshan.html").read_text(encoding="utf-8")
    assert "（編輯稿）" in text


def test_a_broken_template_under_an_override_is_a_located_error_not_a_traceback(project_copy: Path):
    lead = skeletons_of(project_copy)[(f"{BAOSHAN}#lead", "en")]
    write_overrides(project_copy, [{"block": f"{BAOSHAN}#lead", "lang": "en", "text": lead, "replaced": lead}])
    template = project_copy / "templates/district_release.en.j2"
    template.write_text(template.read_text(encoding="utf-8").replace("{{ district_name }} is paired",
                                                                     "{{ district_name } is paired"), encoding="utf-8")
    for command in (["check"], ["blocks", BAOSHAN], ["overrides"]):
        result = run_cli("-C", str(project_copy), *command)
        assert result.returncode == 1, (command, result.stdout)
        assert result.stderr.startswith("templates/district_release.en.j2:7:1: error: template: unexpected '}'"), \
            (command, result.stderr)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
