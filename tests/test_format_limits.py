"""Limits an output format sets are kept by the writers: whatever `check` accepts builds.

The long headline here is SYNTHETIC: it is written only into this test's copy of the project.
"""

from __future__ import annotations

from pathlib import Path

import docx

from conftest import run_cli

ZH = "宝山区：" + "产业、市场、人才多路并进，助受援地长效脱贫" * 7  # 4 + 147 characters
EN = "Baoshan: " + "industry, markets and skills for lasting gains; " * 4  # 201 characters


def test_a_headline_longer_than_a_word_property_builds_with_its_title_cut(project_copy: Path):
    record = project_copy / "data/districts/baoshan.yaml"
    text = record.read_text(encoding="utf-8")
    text = text.replace("zh: 宝山区：产业、市场、人才多路并进，助受援地长效脱贫", f"zh: {ZH}", 1)
    text = text.replace('en: "Baoshan: industry, markets and skills for lasting gains"', f'en: "{EN.strip()}"', 1)
    record.write_text(text, encoding="utf-8")
    assert run_cli("-C", str(project_copy), "check").returncode == 0
    result = run_cli("-C", str(project_copy), "build", "--only", "press/district-baoshan", "--format", "docx",
                     "--format", "pdf")
    assert result.returncode == 0, result.stderr
    output = project_copy / "output"
    assert not (output / ".staging").exists()
    side_by_side = docx.Document(str(output / "bilingual/press/district-baoshan.docx")).core_properties.title
    assert len(side_by_side) == 255 and side_by_side.endswith("…") and side_by_side.startswith(ZH)
    assert docx.Document(str(output / "zh/press/district-baoshan.docx")).core_properties.title == ZH
    body = "\n".join(p.text for p in docx.Document(str(output / "en/press/district-baoshan.docx")).paragraphs)
    assert EN.strip() in body  # the page keeps the whole headline
    # A PDF's title is a string of at most 32,767 bytes (PDF 1.7, Annex C): a record's text of at most 2,000
    # characters (models.Str) keeps even the side-by-side title far within it, whole.
    from pypdf import PdfReader

    assert PdfReader(output / "bilingual/press/district-baoshan.pdf").metadata.title == f"{ZH} · {EN.strip()}"
