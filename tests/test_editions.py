"""The editions made from the zh and en renders: Traditional Chinese (zh-Hant) and zh and en side by side.

Every zh document has a zh-Hant twin with the same figures and no Simplified-only character, by
OpenCC's own table; the gazetteer and glossary can name a place or term themselves; the parallel
edition holds both languages, block by block, in its PDF and its DOCX.
"""

from __future__ import annotations

import json
import re
import subprocess
import zipfile

import pytest
from conftest import ROOT, Built, run_cli

from generator.records.dataset import load_dataset
from generator.words.hanzi import character_table, simplified_only
from generator.render.parity import figures, visible_text
from generator.words.plaintext import plain_text

HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORDS = re.compile(r"[A-Za-z]{4,}")


def _manifest(built: Built) -> dict:
    return json.loads((built.output / "manifest.json").read_text("utf-8"))


def _pdf(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_every_zh_document_has_a_traditional_twin_with_the_same_figures(built: Built):
    documents = _manifest(built)["documents"]
    zh = sorted(stem.split("/", 1)[1] for stem in documents if stem.startswith("zh/"))
    hant = sorted(stem.split("/", 1)[1] for stem in documents if stem.startswith("zh-Hant/"))
    assert zh == hant and len(zh) == 16
    ds = load_dataset(ROOT)
    for label in zh:
        simplified = (built.output / f"zh/{label}.html").read_text("utf-8")
        traditional = (built.output / f"zh-Hant/{label}.html").read_text("utf-8")
        assert figures(visible_text(traditional), "zh-Hant", ds) == figures(visible_text(simplified), "zh", ds), label
        assert '<html lang="zh-Hant">' in traditional
        # Each figure the document printed is listed with its Traditional wording.
        printed = {(f[1], f[2]) for f in documents[f"zh/{label}"]["figures"]}
        assert printed == {(f[1], f[2]) for f in documents[f"zh-Hant/{label}"]["figures"]}


def test_no_simplified_only_character_remains(built: Built):
    """OpenCC's character table (STCharacters, read with its own opencc_dict) says which are Simplified only."""
    table = character_table()
    assert table["发"] == ("發", "髮") and "后" in table["后"]  # 后 is Traditional too (皇后)
    assert simplified_only("发后") == ["发"]
    for path in sorted((built.output / "zh-Hant").rglob("*.html")):
        text = plain_text(path.read_text("utf-8"))
        assert HAN.search(text), path
        assert simplified_only(text) == [], path
    for path in sorted((built.output / "zh-Hant").rglob("*.pdf")):
        assert simplified_only(_pdf(path)) == [], path


def test_the_traditional_pdf_and_docx_use_traditional_faces(built: Built):
    fonts = subprocess.run(["pdffonts", str(built.output / "zh-Hant/briefs/comparison.pdf")], capture_output=True,
                           text=True, check=True).stdout
    assert "AR-Serif-TC" in fonts and "AR-Sans-TC" in fonts and "SC" not in fonts
    with zipfile.ZipFile(built.output / "zh-Hant/press/district-baoshan.docx") as z:
        styles, table = z.read("word/styles.xml").decode(), z.read("word/fontTable.xml").decode()
    assert 'w:eastAsia="Noto Serif CJK TC"' in styles and 'w:eastAsia="zh-TW"' in styles
    assert "Noto Serif SC" not in styles and 'w:eastAsia="zh-CN"' not in styles
    assert '<w:font w:name="Noto Serif CJK TC"><w:altName w:val="PMingLiU"/>' in table
    # The brief's charts are drawn again in Traditional words, for Word (the page's SVG is converted).
    with zipfile.ZipFile(built.output / "zh-Hant/briefs/comparison.docx") as z:
        assert any(name.startswith("word/media/") for name in z.namelist())


def test_the_gazetteer_names_a_place_in_traditional_itself(project_copy, tmp_path):
    """SYNTHETIC: a Traditional name written into this test's copy only, to show that it wins over OpenCC."""
    gazetteer = project_copy / "data/gazetteer.yaml"
    text = gazetteer.read_text("utf-8")
    assert "zh: 罗平县" in text
    gazetteer.write_text(text.replace("zh: 罗平县\n", "zh: 罗平县\n            zh_hant: 羅平縣（測試）\n", 1), "utf-8")
    out = tmp_path / "out"
    result = run_cli("-C", str(project_copy), "build", "--only", "press/district-baoshan", "--format", "html",
                     "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert "羅平縣（測試）" in (out / "zh-Hant/press/district-baoshan.html").read_text("utf-8")
    assert "羅平縣（測試）" not in (out / "zh/press/district-baoshan.html").read_text("utf-8")


@pytest.mark.parametrize("config, expected", [("s2tw", "公眾號"), ("s2t", "公衆號")])
def test_the_series_sets_the_conversion(project_copy, tmp_path, config, expected):
    series = project_copy / "data/series.yaml"
    series.write_text(series.read_text("utf-8") + f"traditional:\n  opencc: {config}\n", "utf-8")
    out = tmp_path / "out"
    result = run_cli("-C", str(project_copy), "build", "--only", "press/series", "--format", "html",
                     "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert expected in (out / "zh-Hant/press/series.html").read_text("utf-8")


def test_s2twp_is_refused_where_it_is_set(project_copy):
    series = project_copy / "data/series.yaml"
    lines = series.read_text("utf-8").count("\n")
    series.write_text(series.read_text("utf-8") + "traditional:\n  opencc: s2twp\n", "utf-8")
    result = run_cli("-C", str(project_copy), "check")
    assert result.returncode == 1
    assert result.stderr.startswith(f"data/series.yaml:{lines + 2}:11: error: traditional.opencc: ")
    assert "'s2t', 's2hk' or 's2tw'" in result.stderr


def test_the_parallel_edition_sets_zh_and_en_block_by_block(built: Built):
    import docx

    documents = _manifest(built)["documents"]
    side = sorted(stem for stem in documents if stem.startswith("bilingual/"))
    assert len(side) == 11 and "bilingual/articles/baoshan-minhang-jiading-jinshan" in side
    article = "bilingual/articles/baoshan-minhang-jiading-jinshan"
    html = (built.output / f"{article}.html").read_text("utf-8")
    rows = re.findall(r'<div class="parallel"[^>]*><div class="lang-zh" lang="zh-CN">(.*?)</div>'
                      r'<div class="lang-en" lang="en-GB">(.*?)</div></div>', html, re.S)
    assert len(rows) >= 50
    paired = [(zh, en) for zh, en in rows if zh and en]
    assert len(paired) == len(rows)  # the two renders have the same blocks: each row has both
    for zh, en in paired:
        if "<h2" in zh:
            assert "<h2" in en
    # The Baoshan headline and its English twin sit in one row.
    assert any("宝山区：产业、市场、人才多路并进" in zh and "Baoshan: industry, markets and skills" in en for zh, en in rows)

    word = docx.Document(str(built.output / f"{article}.docx"))
    both = [t for t in word.tables if len(t.columns) == 2
            and HAN.search(t.cell(0, 0).text) and LATIN_WORDS.search(t.cell(0, 1).text)]
    assert len(both) >= 50
    assert any("11281名" in t.cell(0, 0).text and "11,281" in t.cell(0, 1).text for t in both)
    text = _pdf(built.output / f"{article}.pdf")
    assert "11281" in text.replace(" ", "") and "11,281" in text


def test_a_new_traditional_name_reconverts_where_the_name_is_written_plainly(project_copy):
    """SYNTHETIC: a Traditional name for Tuozhi Village, which Baoshan's release prints only inside a
    cooperative's name (a glossary term). The next build must convert the release again, as a clean build would."""
    only = ["--only", "press/district-baoshan", "--format", "html"]
    assert run_cli("-C", str(project_copy), "build", *only).returncode == 0
    gazetteer = project_copy / "data/gazetteer.yaml"
    text = gazetteer.read_text("utf-8")
    new = "zh: 拖枝村\n                    zh_hant: 拖枝村（繁）\n"
    gazetteer.write_text(text.replace("zh: 拖枝村\n", new, 1), "utf-8")
    result = run_cli("-C", str(project_copy), "build", *only)
    assert result.returncode == 0, result.stderr
    page = (project_copy / "output/zh-Hant/press/district-baoshan.html").read_text("utf-8")
    assert "拖枝村（繁）" in page
