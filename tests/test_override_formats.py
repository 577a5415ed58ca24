"""An override in every format: three figures changed in the records print inside the editor's sentences in the
PDF, the DOCX, the WeChat edition, the Traditional edition and the side-by-side one, with no override stale;
and an override identical to the generated text changes no output's bytes.

The overrides are synthetic (a test's wording); the figures changed are real facts given new values.
"""

from __future__ import annotations

import filecmp
import re
from pathlib import Path

from conftest import Built, run_cli, squash
from test_overrides import skeletons_of, write_overrides

DOC = "press/district-baoshan"
OVERRIDES = [
    {"block": f"{DOC}#lead", "lang": "en",
     "text": "Edited lead: Baoshan drew {luoping-investment} into @luoping and moved {yecheng-poor-employed} poor "
             "people into work."},
    {"block": f"{DOC}#lead", "lang": "zh",
     "text": "编辑导语：宝山区为@luoping引进投资{luoping-investment}，帮助贫困人口转移就业{yecheng-poor-employed}。"},
    {"block": f"{DOC}#industry.luoping-investors", "lang": "en",
     "text": "Edited sentence: {luoping-firms} companies came to @luoping:short."},
    {"block": f"{DOC}#industry.luoping-investors", "lang": "zh", "text": "编辑句：{luoping-firms}企业落户@luoping。"},
]
# The three facts, each from its value to a new one, and the figures the new values print.
CHANGES = [("{id: luoping-firms, value: 5,", "{id: luoping-firms, value: 7,"),
           ("measure: investment, value: 100000000,", "measure: investment, value: 300000000,"),
           ("measure: poor-workers-employed, value: 8000,", "measure: poor-workers-employed, value: 9000,")]
EXPECTED = {
    "en": ["Edited lead: Baoshan drew more than 300 million yuan into Luoping County and moved more than 9,000 "
           "poor people into work.", "Edited sentence: 7 companies came to Luoping."],
    "zh": ["编辑导语：宝山区为罗平县引进投资3亿多元，帮助贫困人口转移就业9000余名。", "编辑句：7家企业落户罗平县。"],
    "zh-Hant": ["編輯導語：寶山區爲羅平縣引進投資3億多元，幫助貧困人口轉移就業9000餘名。", "編輯句：7家企業落戶羅平縣。"],
}


def _text(path: Path) -> str:
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(path).pages)
    if path.suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        cells = [p.text for table in document.tables for row in table.rows for cell in row.cells
                 for p in cell.paragraphs]  # the side-by-side edition sets its languages in a table
        return "\n".join([p.text for p in document.paragraphs] + cells)
    return re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))


def test_three_changed_figures_print_inside_the_edited_sentences_in_every_format(project_copy: Path, tmp_path: Path):
    skeletons = skeletons_of(project_copy, DOC)
    write_overrides(project_copy, [{**o, "replaced": skeletons[(o["block"], o["lang"])]} for o in OVERRIDES])
    record = project_copy / "data/districts/baoshan.yaml"
    text = record.read_text(encoding="utf-8")
    for old, new in CHANGES:
        assert text.count(old) == 1
        text = text.replace(old, new)
    record.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("-C", str(project_copy), "build", "--only", DOC, "--jobs", "2", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert "is stale" not in result.stderr
    listed = run_cli("-C", str(project_copy), "overrides")
    assert "4 overrides: 4 current, 0 stale, 0 orphaned" in listed.stdout, listed.stdout
    files = {(lang, fmt): out / lang / ("wechat/press" if fmt == "wechat" else "press") / f"district-baoshan.{ext}"
             for lang in ("zh", "en", "zh-Hant") for fmt, ext in
             (("html", "html"), ("pdf", "pdf"), ("docx", "docx"), ("wechat", "html"))}
    for fmt, ext in (("html", "html"), ("pdf", "pdf"), ("docx", "docx")):
        files[("bilingual", fmt)] = out / "bilingual/press" / f"district-baoshan.{ext}"
    for (lang, fmt), path in files.items():
        read = _text(path)
        for code in (("zh", "en") if lang == "bilingual" else (lang,)):
            found = squash(read, "en" if code == "en" else "zh")
            for sentence in EXPECTED[code]:
                assert squash(sentence, "en" if code == "en" else "zh") in found, (lang, fmt, sentence)


def test_an_override_identical_to_the_generated_text_changes_no_output(project_copy: Path, built: Built,
                                                                     tmp_path: Path):
    skeletons = skeletons_of(project_copy, DOC)
    same = [{"block": block, "lang": lang, "text": text, "replaced": text}
            for (block, lang), text in skeletons.items() if block.endswith(("#lead", "#headline", "#industry",
                                                                             ".luoping-investors"))]
    assert len(same) == 12  # four blocks in zh, en and zh-Hant
    write_overrides(project_copy, same)
    out = tmp_path / "out"
    result = run_cli("-C", str(project_copy), "build", "--only", DOC, "--jobs", "2", "--output", str(out))
    assert result.returncode == 0, result.stderr
    made = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")
                  and "manifest" not in p.name and "/archive/" not in f"/{p.relative_to(out).as_posix()}"
                  and DOC.split("/")[1] in p.name)
    assert len(made) >= 14
    differ = [str(rel) for rel in made if not filecmp.cmp(out / rel, built.output / rel, shallow=False)]
    assert differ == []
