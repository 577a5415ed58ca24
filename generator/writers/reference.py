"""Make templates/reference.docx: the named Word styles every DOCX takes its look from.

Users may restyle the file in Word (as with pandoc's reference doc); the writer only needs the
style names below to exist. Run `aidreport reference-docx` to recreate the default.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor

from .wordfonts import chinese_fonts, set_rpr_fonts

RED = RGBColor(0xA3, 0x17, 0x1B)
GREY = RGBColor(0x55, 0x55, 0x55)
# Each style's (Latin, East Asian) fonts: the faces of the PDF, by the names Word and LibreOffice know
# them by (FaceSpec.docx_name). The East Asian slot names our face, with SimSun and SimHei as its
# alternates in the font table; wordfonts.py says why, and how Word and LibreOffice substitute.
SERIF = ("Noto Serif", "Noto Serif SC")
# Labels and headings: the Latin serif (as in the PDF) with the CJK sans for Chinese.
SANS = ("Noto Serif", "Noto Sans SC")

# name: (base, fonts, size pt, bold, italic, colour, alignment, space before, space after)
PARAGRAPH_STYLES = {
    "Kicker": ("Normal", SANS, 13, True, False, RED, WD_ALIGN_PARAGRAPH.CENTER, 0, 2),
    "Dateline": ("Normal", SANS, 9, False, False, GREY, WD_ALIGN_PARAGRAPH.CENTER, 0, 10),
    "Intro": ("Body Text", SERIF, 11, False, False, None, WD_ALIGN_PARAGRAPH.JUSTIFY, 0, 6),
    "Box Title": ("Normal", SANS, 10.5, True, False, RED, None, 0, 3),
    "Box Text": ("Normal", SERIF, 9.5, False, False, None, None, 0, 2),
    "Follow Text": ("Normal", SANS, 9, False, False, GREY, None, 0, 0),
    "Source": ("Normal", SANS, 8, False, False, GREY, None, 12, 0),
    "Subhead": ("Normal", SANS, 11.5, False, False, GREY, None, 0, 8),
    "Release Line": ("Normal", SANS, 9.5, True, False, RED, None, 0, 8),
    "End Mark": ("Normal", SERIF, 10.5, False, False, None, WD_ALIGN_PARAGRAPH.CENTER, 8, 8),
    "Table Text": ("Normal", SERIF, 8.5, False, False, None, None, 0, 0),
    "Table Heading": ("Normal", SANS, 8.5, True, False, None, None, 0, 0),
    "TOC 1": ("Normal", SERIF, 10, False, False, None, None, 0, 2),  # a long document's contents (Word's names)
    "TOC 2": ("Normal", SERIF, 9.5, False, False, GREY, None, 0, 1),
}
# Built-in styles we restyle: (fonts, size, bold, italic, colour, alignment, before, after)
BUILTIN_STYLES = {
    "Normal": (SERIF, 10.5, False, False, None, None, 0, 0),
    "Body Text": (SERIF, 10.5, False, False, None, WD_ALIGN_PARAGRAPH.JUSTIFY, 0, 5),
    "Heading 1": (SANS, 20, True, False, RGBColor(0x11, 0x11, 0x11), WD_ALIGN_PARAGRAPH.CENTER, 2, 2),
    "Heading 2": (SANS, 15, True, False, RED, None, 18, 6),
    "Heading 3": (SANS, 11, True, False, RGBColor(0x33, 0x33, 0x33), None, 8, 2),
    "Caption": (SERIF, 9, False, True, GREY, None, 3, 9),
    "TOC Heading": (SANS, 15, True, False, RED, WD_ALIGN_PARAGRAPH.LEFT, 18, 6),  # as Heading 2
}


def set_fonts(style, fonts: tuple[str, str]) -> None:
    """Name the Latin and East Asian fonts of a style, and mark its East Asian text as zh-CN."""
    style.font.name = fonts[0]
    set_rpr_fonts(style.element.get_or_add_rPr(), *fonts)


def _apply(style, fonts, size, bold, italic, colour, align, before, after) -> None:
    set_fonts(style, fonts)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    if colour is not None:
        style.font.color.rgb = colour
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.3 if size <= 11 else 1.15


def make_reference(path: Path) -> None:
    """Write the default reference document to path."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    section.left_margin = section.right_margin = Mm(18)
    styles = doc.styles
    for name, spec in BUILTIN_STYLES.items():
        _apply(styles[name], *spec)
    for name, (base, *spec) in PARAGRAPH_STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
        _apply(style, *spec)
    styles["TOC 2"].paragraph_format.left_indent = Mm(6)
    # Headings must not be left at the page foot.
    for name in ("Heading 1", "Heading 2", "Heading 3", "Kicker", "Box Title"):
        styles[name].paragraph_format.keep_with_next = True
    chinese_fonts(doc, SERIF, SANS)
    core = doc.core_properties
    core.author = core.last_modified_by = "aidreport"
    core.title = "aidreport reference styles"
    from .wordparts import normalise_docx

    import io

    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(normalise_docx(buf.getvalue()))
