"""A DOCX reads right anywhere: Chinese gets a Chinese face where our fonts are missing, in Word (the font
table) and in LibreOffice (the language marks), and a table row stays on one page."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from conftest import ROOT, TEST_ALL, heavy, run_cli

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
    from generator.writers.reference import make_reference

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


def _fontconfig(tmp: Path, families: tuple[str, ...], files: tuple[str, ...] = ()) -> tuple[dict[str, str], str]:
    """The environment of a machine whose fontconfig rejects these families and font files (globs), and the
    families it lists."""
    conf = tmp / "fonts.conf"
    rejected = "".join(f"<glob>{glob}</glob>" for glob in files) + "".join(
        f"<pattern><patelt name='family'><string>{family}</string></patelt></pattern>" for family in families)
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    f"<selectfont><rejectfont>{rejected}</rejectfont></selectfont>"
                    f"<cachedir>{tmp / 'fc'}</cachedir></fontconfig>")
    env = {"FONTCONFIG_FILE": str(conf), "HOME": str(tmp), "PATH": "/usr/bin:/bin"}
    return env, subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, env=env, check=True).stdout


def _machine_without_noto_sc(tmp: Path) -> dict[str, str]:
    """The environment of a machine with Debian's Noto CJK collections but not the Noto Serif SC and Noto
    Sans SC families (rejected, should this machine have them; the project's own faces are never installed)."""
    env, families = _fontconfig(tmp, ("Noto Serif SC", "Noto Sans SC"))
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


def _without_embedded_fonts(docx: Path, dest: Path) -> Path:
    """The same document with its font table naming no embedded face (its font parts left unread)."""
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(dest, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/fontTable.xml":
                data = re.sub(rb"<w:embed(Regular|Bold|Italic|BoldItalic) [^>]*/>", b"", data)
            out.writestr(info, data)
    return dest


@LIBREOFFICE
def test_libreoffice_sets_the_chinese_in_a_simplified_chinese_face(output: Path, tmp_path: Path):
    """Characters the embedded subsets lack (typed later) fall back by the language marks: to a Simplified face."""
    env = _machine_without_noto_sc(tmp_path)
    faces = _faces()
    docx = _without_embedded_fonts(output / "zh" / f"{ARTICLE}.docx", tmp_path / "plain.docx")
    pdf = _convert(docx, tmp_path / "zh", env)
    fonts = _pdffonts(pdf)
    cjk = [row for row in fonts if "CJK" in row[0]]
    assert cjk and all(row[-5:-3] == ["yes", "yes"] for row in fonts), fonts  # embedded, subset
    found = _faces_used(pdf, faces)
    assert set(found) == {row[0] for row in cjk}
    assert all(tally["telling"] >= 40 for tally in found.values() if tally["telling"]), found
    assert sum(tally["telling"] for tally in found.values()) >= 200, found
    assert _region(found) == {"sc"}, found
    if TEST_ALL:  # The check tells a Japanese face: the same document marked ja-JP is set in the JP face.
        japanese = _convert(_japanese(docx, tmp_path / "ja.docx"), tmp_path / "ja", env)
        assert _region(_faces_used(japanese, faces)) == {"jp"}


# Embedded faces: the DOCX carries its faces, as Word's "Embed fonts in the file" does ---------------------

R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
HAN = re.compile(r"[\u3400-\u9fff]")
GUID = re.compile(r"^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$")  # LibreOffice reads upper case


def _embedded(docx: Path) -> dict[tuple[str, str], object]:
    """Each face a DOCX embeds, by (font table name, embed element), read back by its key (ECMA-376 17.8.1)."""
    from fontTools.ttLib import TTFont

    faces = {}
    with zipfile.ZipFile(docx) as z:
        names = "word/_rels/fontTable.xml.rels"
        rels = {rel.get("Id"): rel for rel in (etree.fromstring(z.read(names)) if names in z.namelist() else [])}
        types = {el.get("PartName"): el.get("ContentType") for el in etree.fromstring(z.read("[Content_Types].xml"))}
        for font in etree.fromstring(z.read("word/fontTable.xml")).iter(f"{W}font"):
            for embed in (el for el in font if el.tag.startswith(f"{W}embed")):
                rel = rels[embed.get(f"{R}id")]
                assert rel.get("Type").endswith("/relationships/font") and GUID.match(embed.get(f"{W}fontKey"))
                target = f"word/{rel.get('Target')}"
                assert types[f"/{target}"] == "application/vnd.openxmlformats-officedocument.obfuscatedFont"
                key = bytes.fromhex(embed.get(f"{W}fontKey").strip("{}").replace("-", ""))[::-1]
                data = bytearray(z.read(target))
                for i in range(32):
                    data[i] ^= key[i % 16]
                faces[(font.get(f"{W}name"), embed.tag[len(W):])] = TTFont(io.BytesIO(bytes(data)))
    return faces


def _texts(docx: Path, style: str | None = None) -> list[str]:
    """The text of each paragraph of the document body (in one paragraph style)."""
    body = _part(docx, "word/document.xml").find(f"{W}body")
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")
            if style is None or p.find(f"{W}pPr/{W}pStyle[@{W}val='{style}']") is not None]


@pytest.mark.parametrize("lang", ["zh", "en", "zh-Hant"])
def test_the_docx_embeds_truetype_faces_named_as_its_font_table_names_them(output: Path, lang: str):
    docx = output / lang / f"{ARTICLE}.docx"
    faces = _embedded(docx)
    latin = ("Noto Serif", "embedRegular"), ("Noto Serif", "embedBold"), ("Noto Serif", "embedItalic")
    chinese = {"zh": "Noto Serif SC", "en": "Noto Serif SC", "zh-Hant": "Noto Serif CJK TC"}[lang]
    assert set(latin) <= set(faces) and (chinese, "embedRegular") in faces, sorted(faces)
    for (name, embed), font in faces.items():
        assert font.sfntVersion == "\0\1\0\0" and "glyf" in font and "CFF " not in font, (name, embed)  # TrueType
        assert font["name"].getDebugName(1) == name, (name, embed)
        assert (font["OS/2"].usWeightClass >= 600) == ("Bold" in embed), (name, embed)
        assert bool(font["OS/2"].fsSelection & 1) == ("Italic" in embed), (name, embed)
        assert font["OS/2"].fsType == 0, (name, embed)  # installable: LibreOffice and Word use it for editing
    settings = [el.tag[len(W):] for el in _part(docx, "word/settings.xml")]
    at = settings.index("embedTrueTypeFonts")
    assert settings[at + 1] == "saveSubsetFonts" and settings[at - 1] == "zoom", settings  # CT_Settings' order


def test_latin_faces_hold_the_whole_latin_range_and_chinese_ones_the_documents_characters(output: Path):
    from generator.fonts.faces import FACES, open_source

    faces = _embedded(output / "zh" / f"{ARTICLE}.docx")
    source = set(open_source(FACES[0]).unicodes)
    latin = {cp for lo, hi in ((0x20, 0x24F), (0x2000, 0x206F)) for cp in range(lo, hi + 1)} & source
    assert len(latin) > 500
    for embed in ("embedRegular", "embedBold", "embedItalic"):
        assert latin <= set(faces[("Noto Serif", embed)].getBestCmap()), embed
    body = {ch for text in _texts(output / "zh" / f"{ARTICLE}.docx", "BodyText") for ch in text if HAN.match(ch)}
    headings = {ch for text in _texts(output / "zh" / f"{ARTICLE}.docx", "Heading2") for ch in text if HAN.match(ch)}
    serif, bold = faces[("Noto Serif SC", "embedRegular")], faces[("Noto Sans SC", "embedBold")]
    assert len(body) > 300 and {ord(ch) for ch in body} <= set(serif.getBestCmap())
    assert len(headings) > 30 and {ord(ch) for ch in headings} <= set(bold.getBestCmap())
    # Subsets: the headings' face holds about their characters, not the 8,000 glyphs of the lean face.
    assert len(bold.getGlyphOrder()) < 3 * len(headings) + 100 < len(serif.getGlyphOrder())


def test_every_docx_of_a_build_embeds_its_faces_and_stays_under_3_mb(built):
    docs = sorted(built.output.rglob("*.docx"))
    assert len(docs) > 50
    sizes = {doc.relative_to(built.output).as_posix(): doc.stat().st_size for doc in docs}
    assert max(sizes.values()) < 3 * 1024 * 1024, max(sizes.items(), key=lambda item: item[1])
    assert all(_embedded(doc) for doc in docs[:: len(docs) // 8])


def _machine_without_noto(tmp: Path) -> dict[str, str]:
    """The environment of a machine with no Noto face at all: every Noto file (Debian's CJK collections too)
    and the families Noto Serif, Noto Sans and their SC and CJK members rejected."""
    env, listed = _fontconfig(tmp, ("Noto Serif", "Noto Sans", "Noto Serif SC", "Noto Sans SC", "Noto Serif CJK SC",
                                    "Noto Sans CJK SC", "Noto Serif CJK TC", "Noto Sans CJK TC"),
                              ("/usr/share/fonts/*Noto*", "/usr/local/share/fonts/*Noto*"))
    assert "Noto" not in listed and "DejaVu Sans" in listed, listed
    return env


def _drawn(pdf: Path) -> dict[str, str]:
    """The text a PDF draws in each font (by PostScript name, without its subset tag)."""
    from pypdf import PdfReader

    drawn: dict[str, str] = {}

    def visit(text, cm, tm, font, size):
        if font is not None and text.strip():
            name = str(font.get("/BaseFont", "?")).split("+")[-1]
            drawn[name] = drawn.get(name, "") + text

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return drawn


def _style_of(font) -> tuple[str, int]:
    """A face's kind by its own PANOSE serif style (2-10 serif, 11-13 sans) and its weight."""
    return ("sans" if font["OS/2"].panose.bSerifStyle in (11, 12, 13) else "serif"), font["OS/2"].usWeightClass


@LIBREOFFICE
@pytest.mark.parametrize("lang, body, heading", [("en", ("serif", 400), ("serif", 700)),
                                                 pytest.param("zh", ("serif", 400), ("sans", 700), marks=heavy)])
def test_libreoffice_without_noto_sets_the_text_in_the_embedded_faces(output: Path, tmp_path: Path, lang: str,
                                                                       body: tuple, heading: tuple):
    """The body in a serif; headings as print.css sets them: English in the Latin serif's bold (the Latin
    serif throughout), Chinese in the CJK sans. Read back from the PDF LibreOffice makes of the DOCX."""
    env = _machine_without_noto(tmp_path)
    docx = output / lang / f"{ARTICLE}.docx"
    faces = {font["name"].getDebugName(6): font for font in _embedded(docx).values()}
    title = re.sub(r"\s+", "", _texts(docx, "Heading2")[0])

    def fonts(pdf: Path) -> tuple[dict[str, str], str, list[str]]:
        drawn = _drawn(pdf)
        most = max(drawn, key=lambda name: len(drawn[name]))  # the body: most of the text
        return drawn, most, [name for name, text in drawn.items() if title in re.sub(r"\s+", "", text)]

    drawn, most, titled = fonts(_convert(docx, tmp_path / lang, env))
    assert most in faces and _style_of(faces[most]) == body, (most, sorted(drawn))
    assert titled and all(name in faces and _style_of(faces[name]) == heading for name in titled), (titled, title)
    assert set(drawn) <= set(faces), sorted(set(drawn) - set(faces))  # nothing fell back to the machine's faces
    if TEST_ALL:  # The check tells: without the embedded faces the same machine sets the text in its own fallback.
        plain, most, _ = fonts(_convert(_without_embedded_fonts(docx, tmp_path / "plain.docx"), tmp_path / "plain",
                                        env))
        assert most not in faces and not any(HAN.search(text) for name, text in plain.items() if name in faces), most


# The follow box ----------------------------------------------------------------------------------------


@LIBREOFFICE
def test_the_follow_box_keeps_its_frame_whole_and_pads_the_qr_code_and_text(output: Path, tmp_path: Path):
    """As print.css draws it: the QR code inside the frame (it once covered the top rule), the text 2 mm in."""
    from PIL import Image

    pdf = _convert(output / "en" / f"{ARTICLE}.docx", tmp_path / "en", {**os.environ, "HOME": str(tmp_path)})
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    page = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    width, height = page.size
    grey = [[150 <= page.getpixel((x, y)) <= 215 for x in range(width)] for y in range(height)]
    rules = [y for y in range(height) if sum(grey[y]) > width / 2]  # the frame's top and bottom rules
    assert len(rules) >= 2, rules
    top, bottom = rules[0], rules[-1]
    left = next(x for x in range(width) if all(grey[y][x] for y in range(top + 3, bottom - 3)))
    right = max(x for x in range(width) if all(grey[y][x] for y in range(top + 3, bottom - 3)))
    assert right - left > width / 2
    assert all(grey[top][x] or grey[top + 1][x] for x in range(left, right + 1)), "the top rule is broken"
    inside = [[page.getpixel((x, y)) < 100 for x in range(left + 2, right - 1)] for y in range(top + 2, bottom - 1)]
    ink = [y for y, row in enumerate(inside) if any(row)]
    mm = 100 / 25.4
    assert ink and ink[0] >= 1.5 * mm and len(inside) - 1 - ink[-1] >= 1.5 * mm, (ink[:1], ink[-1:], len(inside))
