"""What a DOCX says about its fonts, so that Chinese is set in a Chinese face where ours are missing.

The styles name Noto Serif SC and Noto Sans SC (the faces of the PDF) for East Asian text. Where
a machine lacks them, each program substitutes, and each by its own rules:

- Word follows the font table (ECMA-376 Part 1, 17.8.3): a missing font is looked for under its
  altName first, then matched by its panose1, charset, family, pitch and sig. Each of our CJK
  fonts therefore gets SimSun's or SimHei's entry as Word itself writes it: altName SimSun
  (SimHei), the GB2312 charset 86, and their panose and code pages (GB2312 alone: the Noto faces'
  own code-page bits claim JIS too, which would let a match by metrics land on a Japanese face).
- LibreOffice reads no altName, panose1, family or sig (writerfilter's FontTable.cxx keeps a
  font's name and charset only). It asks fontconfig for the family with the run's language, so
  w:lang w:eastAsia="zh-CN" (on docDefaults and every style) is what gives it a Chinese face:
  without it, Debian's fonts-noto-cjk answers with the Japanese or Hong Kong member of its
  collections.

So the East Asian slot names our face, not 宋体 or SimSun: Word and LibreOffice use Noto Serif SC
wherever it is installed (naming SimSun would make Word use SimSun even there, as every Windows
has it), and substitute a Chinese face where it is not. The price: fontconfig knows SimSun as a
serif but not Noto Serif SC, so LibreOffice without it sets the serif styles in a Chinese sans
(Noto Sans CJK SC on Debian). The default template python-docx starts from is Japanese besides
(its theme resolves East Asian text for ja-JP, its font table lists ＭＳ 明朝 and ＭＳ ゴシック):
that goes too.
"""

from __future__ import annotations

from typing import NamedTuple

from docx.oxml.ns import qn
from lxml import etree

DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
JAPANESE_CHARSET = "80"  # Shift-JIS: ＭＳ 明朝, ＭＳ ゴシック


class FontEntry(NamedTuple):
    """A font table entry: what Word substitutes a missing font by."""

    alt: str | None
    panose: str
    charset: str
    family: str
    pitch: str
    sig: tuple[str, str, str, str, str, str]  # usb0-3, csb0-1


SIMSUN = FontEntry("SimSun", "02010600030101010101", "86", "auto", "variable",
                   ("00000003", "288F0000", "00000016", "00000000", "00040001", "00000000"))
SIMHEI = FontEntry("SimHei", "02010609060101010101", "86", "modern", "fixed",
                   ("800002BF", "38CF7CFA", "00000016", "00000000", "00040001", "00000000"))
# Traditional Chinese: PMingLiU (新細明體) and Microsoft JhengHei (微軟正黑體), the Big5 charset 136.
PMINGLIU = FontEntry("PMingLiU", "02020500000000000000", "88", "roman", "variable",
                     ("A00002FF", "28CFFCFA", "00000016", "00000000", "00100001", "00000000"))
JHENGHEI = FontEntry("Microsoft JhengHei", "020B0604030504040204", "88", "swiss", "variable",
                     ("87000287", "288F4400", "00000016", "00000000", "0010009F", "00000000"))
NOTO_SERIF = FontEntry(None, "02020502060505020204", "00", "roman", "variable",
                       ("E00002FF", "4000201F", "08000029", "00100000", "0000019F", "00000000"))
SIG = ("usb0", "usb1", "usb2", "usb3", "csb0", "csb1")


def font_entries(latin: str, serif: str, sans: str) -> dict[str, FontEntry]:
    """Return the font table entries of the reference's fonts (宋体: the theme's font for Simplified Chinese)."""
    return {latin: NOTO_SERIF, serif: SIMSUN, sans: SIMHEI, "宋体": SIMSUN}


def _font(name: str, entry: FontEntry):
    font = etree.Element(qn("w:font"), {qn("w:name"): name})
    if entry.alt:
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): entry.alt})
    for tag, value in (("panose1", entry.panose), ("charset", entry.charset), ("family", entry.family),
                       ("pitch", entry.pitch)):
        etree.SubElement(font, qn(f"w:{tag}"), {qn("w:val"): value})
    etree.SubElement(font, qn("w:sig"), {qn(f"w:{key}"): value for key, value in zip(SIG, entry.sig)})
    return font


def font_table(blob: bytes, entries: dict[str, FontEntry]) -> bytes:
    """Return a font table with the Japanese fonts gone and an entry for each of ours."""
    root = etree.fromstring(blob)
    for font in root.findall(qn("w:font")):
        charset = font.find(qn("w:charset"))
        if font.get(qn("w:name")) in entries or (charset is not None and charset.get(qn("w:val")) == JAPANESE_CHARSET):
            root.remove(font)
    for name, entry in entries.items():
        root.append(_font(name, entry))
    return _xml(root)


def theme_without_japanese(blob: bytes) -> bytes:
    """Return a theme whose font scheme has no Japanese font (Simplified Chinese keeps 宋体)."""
    root = etree.fromstring(blob)
    for font in root.iter(f"{DRAWING}font"):
        if font.get("script") == "Jpan":
            font.getparent().remove(font)
    return _xml(root)


def _xml(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def set_rpr_fonts(rpr, latin: str, east_asian: str) -> None:
    """Name the Latin and East Asian fonts of a run property set (no theme fonts) and mark its East Asian text zh-CN."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east_asian)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "en-GB")
    lang.set(qn("w:eastAsia"), "zh-CN")


def chinese_fonts(doc, serif: tuple[str, str], sans: tuple[str, str]) -> None:
    """Make a python-docx document's defaults, theme and font table give Chinese text a Chinese face."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_rpr_fonts(rpr, *serif)
    # Theme fonts (the unused built-in styles keep them) resolve for Simplified Chinese, not Japanese.
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    entries = font_entries(serif[0], serif[1], sans[1])
    for part in doc.part.package.iter_parts():
        if part.partname == "/word/fontTable.xml":
            part._blob = font_table(part.blob, entries)
        elif part.partname.startswith("/word/theme/"):
            part._blob = theme_without_japanese(part.blob)


# The faces of the Traditional edition, in place of the reference's Simplified ones (fonts.FACES' docx_name).
SCRIPT_FONTS = {"Hant": {"Noto Serif SC": ("Noto Serif CJK TC", PMINGLIU),
                         "Noto Sans SC": ("Noto Sans CJK TC", JHENGHEI), "宋体": ("新細明體", PMINGLIU)}}


def for_script(doc, script: str, east_asia_tag: str) -> None:
    """Give a document made from the reference the faces and East Asian language of a script (Hant):
    every style and default names them, and the font table gives their Traditional alternates."""
    fonts = SCRIPT_FONTS.get(script)
    if fonts is None:
        return  # the reference's own: Simplified
    styles = doc.styles.element
    for rfonts in styles.iter(qn("w:rFonts")):
        if rfonts.get(qn("w:eastAsia")) in fonts:
            rfonts.set(qn("w:eastAsia"), fonts[rfonts.get(qn("w:eastAsia"))][0])
    for lang in styles.iter(qn("w:lang")):
        if lang.get(qn("w:eastAsia")) is not None:
            lang.set(qn("w:eastAsia"), east_asia_tag)
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), east_asia_tag)
    for part in doc.part.package.iter_parts():
        if part.partname == "/word/fontTable.xml":
            part._blob = font_table(part.blob, dict(fonts.values()))
