"""The built series article, read back from its PDF, DOCX and HTML, says every figure in both languages."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, Built, run_cli, squash
from generator.records.crossref import HAN
from generator.records.dataset import load_dataset
from generator.records.models import PLACE_REF
from generator.words.numbers import format_fact

DATASET = load_dataset(ROOT)
LANGS = ("zh", "en")
FORMATS = ("pdf", "docx")

# Figures and names of the source article, typed by hand from shared/seeds (not derived from data/),
# as the Chinese edition must print them.
SOURCE_ZH = [
    # Baoshan
    "5.9亿元", "1万多个", "8000余名", "1亿多元", "1000亩", "500万双", "22名", "57名", "80批次", "5408人次",
    "185.18%", "19.53%", "130名", "11281名", "24个", "579个", "299个", "280个", "15个", "5场",
    # Minhang
    "1.23亿元", "585名", "47个", "105个", "50所", "32家", "10次", "26次", "81次", "14个", "7家",
    # Jiading
    "3000万元", "1亿元", "2亿元", "2000万元以上", "165户", "111户", "2000亩以上", "751户", "2268人", "100户",
    "4000米以上", "12批", "约180人次", "200余例", "120所", "108106册", "79所",
    # Jinshan
    "23年", "112个", "82个", "24个", "39个", "1303人", "98批次", "2532人", "96个", "20家", "30所", "16名", "25名",
    # Paired counties as the box prints them
    "罗平县", "师宗县", "富源县", "会泽县", "宣威市", "维西县", "叶城县", "昌宁县", "龙陵县", "隆阳区", "施甸县",
    "香格里拉市", "泽普县", "双柏县", "永仁县", "大姚县", "南华县", "姚安县", "牟定县", "武定县", "德钦县", "久治县",
    "宁洱县", "镇沅县", "墨江县", "景东县",
]


@pytest.fixture(scope="module")
def texts(built: Built) -> dict[tuple[str, str], str]:
    return {
        (lang, fmt): squash(built.pdf_text(lang) if fmt == "pdf" else built.docx_text(lang), lang)
        for lang in LANGS
        for fmt in FORMATS
    }


def test_the_hand_list_covers_at_least_sixty_source_figures_and_names():
    assert len(SOURCE_ZH) >= 60


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_chinese_edition_prints_the_source_figures(texts, fmt):
    text = texts[("zh", fmt)]
    missing = [item for item in SOURCE_ZH if item not in text]
    assert missing == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_fact_of_every_district_is_printed(texts, lang, fmt):
    text = texts[(lang, fmt)]
    missing = []
    for did in DATASET.districts:
        for fact in DATASET.facts(did).values():
            figure = squash(format_fact(fact, lang), lang)
            if figure not in text:
                missing.append(f"{did}/{fact.id}: {figure}")
    assert missing == []
    assert sum(len(DATASET.facts(d)) for d in DATASET.districts) >= 80


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_paired_county_is_named_in_the_language(texts, lang, fmt):
    text = texts[(lang, fmt)]
    for record in DATASET.districts.values():
        for pairing in record.pairings:
            for pid in pairing.places:
                place = DATASET.places[pid].place
                name = (place.zh_short or place.zh) if lang == "zh" else place.en
                assert squash(name, lang) in text, pid


def test_the_box_has_the_source_form(texts):
    text = texts[("zh", "pdf")]
    assert "扶贫协作：云南曲靖罗平县、师宗县、富源县、会泽县、宣威市、云南迪庆维西县" in text
    assert "对口支援：新疆喀什叶城县" in text
    assert "扶贫协作：云南普洱宁洱县、镇沅县、墨江县、景东县" in text


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_the_english_edition_has_no_chinese_but_the_account_name(built: Built, fmt):
    if fmt == "html":
        html = built.path("en", "html").read_text(encoding="utf-8")
        html = re.sub(r'<nav class="preview">.*?</nav>', " ", html)  # its link to the Chinese twin says 中文
        text = re.sub(r"<[^>]+>", " ", html)
    else:
        text = built.pdf_text("en") if fmt == "pdf" else built.docx_text("en")
    account = DATASET.series.follow.account.zh
    assert account in text  # the one deliberate original name, beside its English
    assert HAN.findall(text.replace(account, "")) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_english_place_names_are_the_gazetteers(texts, fmt):
    text = texts[("en", fmt)]
    expected = set()
    for record in DATASET.districts.values():
        for block in record.blocks:
            for item in block.items:
                for m in PLACE_REF.finditer(item.text.en):
                    place = DATASET.places[m.group(1)].place
                    expected.add(place.en_short or place.en if m.group(2) == "short" else place.en)
    missing = sorted(name for name in expected if squash(name, "en") not in text)
    assert missing == []
    for wrong in ("Xianggelila", "Guoluo", "Puer ", "Kashi ", "Jiangzhe", "Shangri-la "):
        assert wrong not in text
    assert "Baoshan City" in text and "Baoshan District" in text


def test_pdf_fonts_are_embedded_and_subset(built: Built):
    from pypdf import PdfReader

    for lang in LANGS:
        reader = PdfReader(built.path(lang, "pdf"))
        fonts = {}
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
                descriptor = descendant["/FontDescriptor"]
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts[str(font["/BaseFont"])] = embedded
        assert fonts and all(fonts.values()), fonts
        assert all(re.match(r"^/[A-Z]{6}\+AR-", name) for name in fonts), fonts  # only the project's faces
        if lang == "zh":
            assert any("Serif-SC" in name for name in fonts)


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils missing (make setup installs it)")
def test_pdffonts_lists_every_font_embedded_and_subset(built: Built):
    for lang in LANGS:
        out = subprocess.run(["pdffonts", str(built.path(lang, "pdf"))], capture_output=True, text=True, check=True)
        rows = out.stdout.splitlines()[2:]
        assert rows
        for row in rows:
            cells = row.split()
            assert cells[-5:-3] == ["yes", "yes"], row  # emb, sub


def test_docx_uses_real_headings_and_named_styles(built: Built):
    import docx

    for lang in LANGS:
        document = docx.Document(str(built.path(lang, "docx")))
        by_style: dict[str, list[str]] = {}
        for p in document.paragraphs:
            by_style.setdefault(p.style.name, []).append(p.text)
        assert by_style["Heading 1"] == [DATASET.series.title.zh if lang == "zh" else
                                         DATASET.series.title.en.replace("'", "\u2019")]
        assert len(by_style["Heading 2"]) == 4
        assert len(by_style["Heading 3"]) >= 12
        assert {"Kicker", "Dateline", "Intro", "Body Text", "Caption", "Source"} <= by_style.keys()
        assert document.core_properties.language == ("zh-CN" if lang == "zh" else "en-GB")
        assert document.core_properties.title
        # The box and the follow box are tables; the box is shaded.
        xml = document.element.xml
        assert 'w:fill="F3EDE4"' in xml
        assert len(document.tables) == 5


def test_docx_styles_give_chinese_a_cjk_font(built: Built):
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(built.path("zh", "docx")))
    for name in ("Normal", "Body Text", "Heading 1", "Heading 2", "Heading 3", "Box Text", "Caption"):
        rpr = document.styles[name].element.rPr
        assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) in {"Noto Serif SC", "Noto Sans SC"}, name
    lang = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN" and lang.get(qn("w:val")) == "zh-CN"


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice missing (make setup installs it)")
def test_docx_opens_in_libreoffice_with_cjk_fonts(built: Built, tmp_path: Path):
    from pypdf import PdfReader

    from generator.fonts.faces import prepare_fonts

    fonts = tmp_path / "fonts"
    fonts.mkdir()
    for face in prepare_fonts(ROOT):  # the project's faces, as the machine of an editor with Noto installed
        shutil.copy(face.path, fonts)
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{fonts}</dir><cachedir>{tmp_path / 'fc'}</cachedir></fontconfig>"
    )
    env = {"FONTCONFIG_FILE": str(conf), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                             str(built.path("zh", "docx"))], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / built.path("zh", "docx").with_suffix(".pdf").name
    reader = PdfReader(pdf)
    text = squash("".join(page.extract_text() for page in reader.pages), "zh")
    assert "5.9亿元" in text and "罗平县" in text
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert any("SerifSC" in f or "SansSC" in f for f in fonts), fonts


def test_html_preview_is_self_contained(built: Built):
    for lang in LANGS:
        html = built.path(lang, "html").read_text(encoding="utf-8")
        assert f'<html lang="{"zh-CN" if lang == "zh" else "en-GB"}">' in html
        assert "http://" not in html and "https://" not in html
        assert html.count('<section class="district"') == 4


def test_a_second_build_into_the_same_folder_writes_nothing(built: Built):
    result = run_cli("build", "--output", str(built.output))
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"nothing to do: \d+ outputs up to date", result.stdout.strip().splitlines()[-1])
