"""Every embedded face is drawn by its CIDs as ISO 32000 says, in every PDF of a real build and in an archive copy.

WeasyPrint writes each glyph's number as its CID (Identity-H). A CIDFontType0 (CFF outlines) is then
drawn right only if its CFF is name-keyed or its charset gives glyph g the CID g; a CIDFontType2
(TrueType outlines) only if its /CIDToGIDMap is /Identity (or a map that is). poppler and PDFium draw a
CID-keyed face by glyph number whatever its charset says, MuPDF and pdf.js by CID, so a face that is
none of these forms loses its text in some viewers and not in others (test_pdf_engines.py draws it).
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from fontTools.cffLib import CFFFontSet
from fontTools.ttLib import TTFont

from conftest import ROOT, TEST_ALL

IDENTITY_CFF, NAME_KEYED_CFF, TRUETYPE = "CID-keyed CFF, identity charset", "name-keyed CFF", "TrueType, identity map"


def font_forms(path: Path) -> tuple[Counter, list[str]]:
    """Return how many descendant fonts of each correct form a PDF holds, and what is wrong with any other."""
    forms: Counter = Counter()
    problems: list[str] = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
                continue
            subtype, name = str(obj.get("/Subtype")), str(obj.get("/BaseFont"))
            if subtype == "/Type0":
                continue  # a composite font: its descendant CIDFont is what draws
            check = {"/CIDFontType0": _cff_form, "/CIDFontType2": _truetype_form}.get(subtype)
            form, problem = check(obj) if check else (None, f"a {subtype} font, which WeasyPrint never writes")
            if form:
                forms[form] += 1
            else:
                problems.append(f"{path.name}: {name}: {problem}")
    return forms, problems


def _cff_form(cidfont: pikepdf.Dictionary) -> tuple[str | None, str]:
    stream = cidfont.FontDescriptor.get("/FontFile3")
    if stream is None:
        return None, "not embedded"
    data = stream.read_bytes()
    if stream.get("/Subtype") == "/OpenType":
        cff = TTFont(io.BytesIO(data), lazy=True)["CFF "].cff
    else:
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(data), None)
    top = cff.topDictIndex[0]
    if not hasattr(top, "ROS"):
        return NAME_KEYED_CFF, ""
    charset = top.charset
    wrong = [gid for gid, glyph in enumerate(charset) if gid and glyph != f"cid{gid:05d}"]
    if wrong:
        return None, (f"CID-keyed CFF whose CIDs are not its glyph numbers for {len(wrong)} of {len(charset)} "
                      f"glyphs (glyph {wrong[0]} is {charset[wrong[0]]})")
    return IDENTITY_CFF, ""


def _truetype_form(cidfont: pikepdf.Dictionary) -> tuple[str | None, str]:
    if cidfont.FontDescriptor.get("/FontFile2") is None:
        return None, "not embedded"
    mapping = cidfont.get("/CIDToGIDMap", pikepdf.Name.Identity)  # absent: Identity (ISO 32000-1, table 117)
    if isinstance(mapping, pikepdf.Name):
        return (TRUETYPE, "") if mapping == pikepdf.Name.Identity else (None, f"/CIDToGIDMap {mapping}")
    data = mapping.read_bytes()
    gids = [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2)]
    wrong = [cid for cid, gid in enumerate(gids) if gid not in (0, cid)]  # 0: a CID no text uses
    return (TRUETYPE, "") if not wrong else (None, f"/CIDToGIDMap sends CID {wrong[0]} to glyph {gids[wrong[0]]}")


def check_pdfs(paths: list[Path]) -> Counter:
    """Assert every font of every PDF is of a correct form; return how many of each form were seen."""
    seen: Counter = Counter()
    problems: list[str] = []
    for path in paths:
        forms, wrong = font_forms(path)
        seen += forms
        problems += wrong
    assert not problems, f"{len(problems)} fonts drawn by CIDs that are not their glyphs:\n" + "\n".join(problems[:20])
    return seen


def test_every_font_of_every_pdf_of_the_build_is_of_a_correct_form(built):
    paths = sorted(built.output.rglob("*.pdf"))
    for lang in ("zh", "en", "zh-Hant", "bilingual"):
        assert any(p.relative_to(built.output).parts[0] == lang for p in paths), lang
    seen = check_pdfs(paths)
    # The CJK faces (CFF) and the Latin ones (TrueType) were both looked at, in every PDF.
    assert seen[IDENTITY_CFF] >= len(paths) and seen[TRUETYPE] >= len(paths), seen


def test_an_archive_copy_too(tmp_path):
    """One PDF/A copy (the Traditional release of the series: its own faces), written as `build --archive` does."""
    from generator.context import make_context
    from generator.records.dataset import load_dataset
    from generator.fonts.faces import coverage
    from generator.build.plan import plan
    from generator.render.renderer import Renderer
    from generator.build.worker import render_job
    from generator.build.worker import derive_editions, template_dirs
    from generator.writers.pdf import ArchiveWriter

    dataset = load_dataset(ROOT)
    ctx = make_context(ROOT, tmp_path / "output", dataset)
    renderer = Renderer(ROOT, dataset, template_dirs())
    job = next(job for job in plan(dataset) if job.label == "press/series")
    renders = [render_job(renderer, job, lang, ctx) for lang in ("zh", "en")]
    [doc], problems = derive_editions(ctx, renders, {"zh-Hant"}, coverage(ctx.faces))
    assert not problems and doc.lang.code == "zh-Hant"
    path = tmp_path / "series.pdf"
    path.write_bytes(ArchiveWriter(ctx).write(doc))
    with pikepdf.open(path) as pdf:
        assert pdf.open_metadata().get("pdfaid:part") == "3"
    seen = check_pdfs([path])
    assert seen[IDENTITY_CFF] >= 2 and seen[TRUETYPE] >= 1, seen  # serif and bold sans TC, Latin


@pytest.mark.skipif(not TEST_ALL, reason="the archive build: make test-all (AIDREPORT_TEST_ALL=1)")
def test_every_archive_copy_of_a_build_too(archive_build):
    paths = sorted(archive_build.rglob("archive/**/*.pdf"))
    assert len(paths) >= 40, len(paths)
    seen = check_pdfs(paths)
    assert seen[IDENTITY_CFF] >= len(paths), seen


def test_the_check_finds_a_face_whose_cids_are_not_its_glyph_numbers(tmp_path):
    """The PyPI source face itself gives most glyphs another CID: embedded as it is, the check must say so."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from generator.fonts.faces import FACES, _source_path

    source = _source_path(next(spec.source for spec in FACES if spec.family == "AR Serif SC"))
    config = FontConfiguration()
    css = weasyprint.CSS(string=f'@font-face {{ font-family: Probe; src: url({source.as_uri()}); }} '
                                'body { font-family: Probe; }', font_config=config)
    path = tmp_path / "probe.pdf"
    weasyprint.HTML(string="<p>上海对口支援</p>").write_pdf(path, stylesheets=[css], font_config=config)
    forms, problems = font_forms(path)
    assert not forms and len(problems) == 1 and "CIDs are not its glyph numbers" in problems[0], (forms, problems)
