"""A DOCX reads right anywhere: Chinese gets a Chinese face where our fonts are missing, in Word (the font
table) and in LibreOffice (the language marks), and a table row stays on one page."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from conftest import ROOT, run_cli

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NOTO_CJK = Path("/usr/share/fonts/opentype/noto")
ARTICLE = "articles/baoshan-minhang-jiading-jinshan"
LIBREOFFICE = pytest.mark.skipif(not (shutil.which("libreoffice") and shutil.which("pdffonts")),
                                 reason="LibreOffice or poppler-utils missing (make setup installs them)")


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    """The article, the comparison brief (its tables have header rows) and a fact sheet, as DOCX in both languages."""
    out = tmp_path_factory.mktemp("docx") / "output"
    result = run_cli("build", "--format", "docx", "--jobs", "1", "--only", ARTICLE, "--only", "briefs/comparison",
                     "--only", "briefs/baoshan", "--output", str(out))
    assert result.returncode == 0, result.stderr
    return out


def _part(docx: Path | bytes, name: str):
    data = io.BytesIO(docx) if isinstance(docx, bytes) else docx
    return etree.fromstring(zipfile.ZipFile(data).read(name))


# Word: the font table --------------------------------------------------------------------------------


def test_the_reference_docx_is_what_reference_py_makes(tmp_path: Path):
    from generator.reference import make_reference

    make_reference(tmp_path / "reference.docx")
    assert (tmp_path / "reference.docx").read_bytes() == (ROOT / "templates/reference.docx").read_bytes(), \
        "templates/reference.docx is stale: run 'aidreport reference-docx'"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_east_asian_font_has_a_chinese_substitute_in_the_font_table(output: Path, lang: str):
    docx = output / lang / f"{ARTICLE}.docx"
    styles = _part(docx, "word/styles.xml")
    named = {el.get(f"{W}eastAsia") for el in styles.iter(f"{W}rFonts")} - {None}
    assert named == {"Noto Serif SC", "Noto Sans SC"}
    table = {font.get(f"{W}name"): font for font in _part(docx, "word/fontTable.xml").iter(f"{W}font")}
    for name, alt, panose in (("Noto Serif SC", "SimSun", "02010600030101010101"),
                              ("Noto Sans SC", "SimHei", "02010609060101010101"), ("宋体", "SimSun", None)):
        font = table[name]
        assert font.find(f"{W}charset").get(f"{W}val") == "86", name  # GB2312
        assert font.find(f"{W}altName").get(f"{W}val") == alt, name
        assert panose is None or font.find(f"{W}panose1").get(f"{W}val") == panose, name
        assert font.find(f"{W}sig").get(f"{W}csb0") == "00040001", name  # Latin 1 and GB2312, no JIS
    assert not [name for name, font in table.items() if font.find(f"{W}charset").get(f"{W}val") == "80"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_defaults_and_theme_mark_east_asian_text_simplified_chinese(output: Path, lang: str):
    docx = output / lang / f"{ARTICLE}.docx"
    defaults = _part(docx, "word/styles.xml").find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert defaults.find(f"{W}rFonts").get(f"{W}eastAsia") == "Noto Serif SC"
    assert defaults.find(f"{W}rFonts").get(f"{W}eastAsiaTheme") is None
    assert defaults.find(f"{W}lang").get(f"{W}eastAsia") == "zh-CN"
    for style in _part(docx, "word/styles.xml").iter(f"{W}style"):
        lang_el = style.find(f"{W}rPr/{W}lang")
        assert lang_el is None or lang_el.get(f"{W}eastAsia") in (None, "zh-CN"), style.get(f"{W}styleId")
    assert _part(docx, "word/settings.xml").find(f"{W}themeFontLang").get(f"{W}eastAsia") == "zh-CN"
    theme = _part(docx, "word/theme/theme1.xml")
    scripts = {font.get("script"): font.get("typeface") for font in theme.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/main}font")}
    assert "Jpan" not in scripts and scripts["Hans"] == "宋体"


# Tables ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_table_row_splits_across_pages_and_header_rows_repeat(output: Path, lang: str):
    import docx

    repeated = 0
    for name in (ARTICLE, "briefs/comparison", "briefs/baoshan"):
        document = docx.Document(str(output / lang / f"{name}.docx"))
        assert document.tables, name
        for t, table in enumerate(document.tables):
            for r, row in enumerate(table.rows):
                trpr = row._tr.trPr
                assert trpr is not None and trpr.find(f"{W}cantSplit") is not None, (name, t, r)
                # A header row (th cells only, set in Table Heading) repeats on every page; no other row does.
                heading = all(p.style.name == "Table Heading" for cell in row.cells for p in cell.paragraphs)
                assert (trpr.find(f"{W}tblHeader") is not None) == heading, (name, t, r)
                repeated += heading
    assert repeated >= 2  # the comparison brief's pairings and indicators


# LibreOffice: what it really sets ---------------------------------------------------------------------
# Debian's fonts-noto-cjk ships each weight as one collection (OTC) of JP, KR, SC, TC and HK faces
# that share one CFF table, named after the first face. LibreOffice embeds that CFF under its own
# name, so pdffonts lists "NotoSansCJKjp-Regular" whichever face set the text: the name cannot tell
# SC from JP. The glyphs can. The faces map a character whose regional forms differ (骨, 直, 海, 说 …)
# to different glyphs of the shared CFF, and LibreOffice keeps each glyph's CID in its name (cid45133).
# So each character's glyph in the PDF says which face LibreOffice chose for it.


def _faces() -> dict[str, dict[int, int]]:
    """Each face of the Noto CJK collections (PostScript name) -> its cmap, code point -> CID."""
    from fontTools.ttLib import TTCollection

    faces = {}
    for path in sorted(NOTO_CJK.glob("Noto*CJK-*.ttc")):
        for font in TTCollection(str(path), lazy=True).fonts:
            name = font["name"].getDebugName(6)
            if "Mono" not in name:
                faces[name] = {cp: int(glyph[3:]) for cp, glyph in font["cmap"].getBestCmap().items()}
    return faces


def _to_unicode(cmap: bytes) -> dict[int, str]:
    codes = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            codes[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, start in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for offset in range(int(hi, 16) - int(lo, 16) + 1):
                codes[int(lo, 16) + offset] = chr(int(start, 16) + offset)
    return codes


def _faces_used(pdf: Path, faces: dict[str, dict[int, int]]) -> dict[str, Counter]:
    """For each CJK font LibreOffice embedded: how many of its telling characters each face would draw so."""
    import pikepdf

    found: dict[str, Counter] = {}
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            for font in page.Resources.Font.values():
                name = str(font.BaseFont)[1:]  # BAAAAA+NotoSansCJKjp-Regular-VKana: a subset of one face
                base = name.split("+")[-1]
                if "CJK" not in base or name in found:
                    continue
                program = font.FontDescriptor.FontFile.read_bytes()  # Type 1: /Encoding of cid glyph names
                cids = {int(code): int(cid) for code, cid in re.findall(rb"dup (\d+) /cid(\d+) put", program)}
                chars = _to_unicode(font.ToUnicode.read_bytes())
                family, weight = re.sub(r"CJK[a-z]{2}", "CJK", base).split("-")[:2]
                candidates = [face for face in faces if re.sub(r"CJK[a-z]{2}", "CJK", face) == f"{family}-{weight}"]
                tally = found[name] = Counter()
                for code, cid in cids.items():
                    cp = ord(chars.get(code, "\0")[0])
                    if len({faces[face].get(cp) for face in candidates}) > 1:  # the faces differ here
                        tally["telling"] += 1
                        tally.update(face for face in candidates if faces[face].get(cp) == cid)
    return found


def _region(found: dict[str, Counter]) -> set[str]:
    """The regions (sc, jp …) of the faces that drew every telling character of some font."""
    return {re.search(r"CJK([a-z]{2})", name).group(1) for tally in found.values()
            for name, n in tally.items() if name != "telling" and n == tally["telling"]}


def _machine_without_noto_sc(tmp: Path) -> dict[str, str]:
    """The environment of a machine with Debian's Noto CJK collections but not the Noto Serif SC and Noto
    Sans SC families (rejected, should this machine have them; the project's own faces are never installed)."""
    conf = tmp / "fonts.conf"
    rejected = "".join(f"<pattern><patelt name='family'><string>{family}</string></patelt></pattern>"
                       for family in ("Noto Serif SC", "Noto Sans SC"))
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    f"<selectfont><rejectfont>{rejected}</rejectfont></selectfont>"
                    f"<cachedir>{tmp / 'fc'}</cachedir></fontconfig>")
    env = {"FONTCONFIG_FILE": str(conf), "HOME": str(tmp), "PATH": "/usr/bin:/bin"}
    families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, env=env, check=True).stdout
    names = {name for line in families.splitlines() for name in line.split(",")}
    assert not names & {"Noto Serif SC", "Noto Sans SC"} and "Noto Serif CJK SC" in names, names
    return env


def _convert(docx: Path, out: Path, env: dict[str, str]) -> Path:
    out.mkdir()
    result = subprocess.run(["libreoffice", f"-env:UserInstallation=file://{out / 'profile'}", "--headless",
                             "--convert-to", "pdf", "--outdir", str(out), str(docx)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    return out / docx.with_suffix(".pdf").name


def _pdffonts(pdf: Path) -> list[list[str]]:
    rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [row.split() for row in rows.splitlines()[2:]]


def _japanese(docx: Path, dest: Path) -> Path:
    """The same document with its East Asian text marked Japanese: what the check must tell apart."""
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(dest, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            out.writestr(info, data.replace(b"zh-CN", b"ja-JP") if info.filename == "word/styles.xml" else data)
    return dest


@LIBREOFFICE
def test_libreoffice_sets_the_chinese_in_a_simplified_chinese_face(output: Path, tmp_path: Path):
    env = _machine_without_noto_sc(tmp_path)
    faces = _faces()
    pdf = _convert(output / "zh" / f"{ARTICLE}.docx", tmp_path / "zh", env)
    fonts = _pdffonts(pdf)
    cjk = [row for row in fonts if "CJK" in row[0]]
    assert cjk and all(row[-5:-3] == ["yes", "yes"] for row in fonts), fonts  # embedded, subset
    found = _faces_used(pdf, faces)
    assert set(found) == {row[0] for row in cjk}
    assert all(tally["telling"] >= 40 for tally in found.values() if tally["telling"]), found
    assert sum(tally["telling"] for tally in found.values()) >= 200, found
    assert _region(found) == {"sc"}, found
    # The check tells a Japanese face: the same document marked ja-JP is set in the JP face.
    japanese = _convert(_japanese(output / "zh" / f"{ARTICLE}.docx", tmp_path / "ja.docx"), tmp_path / "ja", env)
    assert _region(_faces_used(japanese, faces)) == {"jp"}
