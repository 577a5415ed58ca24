"""Every viewer engine draws the PDFs as poppler does: MuPDF (mutool), PDFium (pypdfium2) and pdf.js (Firefox).

Each page is drawn grey at 60 dpi by poppler and by the engine (engines.py), registered (moved by up to
3 pixels), and compared two ways:

- ink: the engine's dark pixels (darker than 192 of 255) less poppler's, over poppler's (or over 2,000
  pixels, if it has fewer: a near-empty page is not judged by a handful of pixels): within +-25 % (X);
- blocks: of the 8-pixel blocks holding ink in either drawing, the share holding ink in both (over at
  least 100 blocks): at least 75 % (Y).

How X and Y were chosen. The English PDFs drew right before the faces were mended; on them, every page
in MuPDF and PDFium and page 1 in pdf.js gave ink -8.7 % .. +4.7 % (pdf.js -8.7 .. +2.6, PDFium
-6.3 .. +4.7, MuPDF -3.5 .. +2.8) and blocks at least 82.1 % (pdf.js; PDFium 87.1, MuPDF 87.7); their
faces' pages alone (below) -3.4 % .. +18.8 % (pdf.js, the italic) and at least 85.2 %. The mended Chinese,
Traditional and side-by-side PDFs then gave -18.7 % .. +6.4 % and at least 78.2 % (PDFium and pdf.js draw
a brief's thin coloured rules a pixel thinner than poppler), their faces' pages -3.5 % .. +9.9 % and at
least 80.5 %. With the faces as they were, MuPDF drew those pages with -11 % .. -98 % of the ink and
3 % .. 72 % of the blocks, pdf.js their first pages with -30 % .. -97 % and 4 % .. 62 %, and the faces'
pages alone with -79 % .. -100 % and 0 % .. 38 %: none passes.

`make test` draws, in MuPDF and PDFium, a page of each face of generator.fonts.faces.FACES: the page of the build
that shows most of its glyphs (at least MIN_GLYPHS), with every other text, path and picture taken off
(engines.face_only), so a face that an engine cannot draw blanks its page however little of the page
it sets. `make test-all` draws those pages in pdf.js too, and every page of every PDF of the build and of
its `--archive` copies in MuPDF and PDFium, and page 1 of each in pdf.js.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import engines
from conftest import TEST_ALL, heavy
from generator.fonts.faces import FACES

INK, BLOCKS = 0.25, 0.75
MIN_GLYPHS = 50  # a face's page shows at least this many of its glyphs: ~1,000 dark pixels, -50 % of MIN_INK if lost
GROUPS = ("zh", "en", "zh-Hant", "bilingual", "archive")


def _missing(engine: str) -> str:
    """Why an engine cannot be run here ('' when it can)."""
    if engine == "mupdf" and not shutil.which("mutool"):
        return "mutool is not installed (Debian mupdf-tools; scripts/setup-system installs it)"
    if engine == "pdfjs" and not engines.FIREFOX:
        return "Firefox is not installed (Debian firefox-esr; scripts/setup-system installs it)"
    if engine == "pdfium":
        try:
            import pypdfium2  # noqa: F401
        except ImportError:
            return "pypdfium2 is not installed (pip install -e '.[test]')"
    return ""


pytestmark = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm (poppler-utils) is not installed")


def face_name(spec) -> str:
    """The name WeasyPrint gives a face in a PDF: its family, then Bold and Italic where it is so."""
    return "-".join([spec.family.replace(" ", "-"), *["Bold"] * (spec.weight >= 700),
                     *["Italic"] * (spec.style == "italic")])


@pytest.fixture(scope="module")
def face_pages(built) -> dict[str, tuple[Path, int, int]]:
    """For each face, the page of the build showing most of its glyphs: (pdf, page, glyphs)."""
    best: dict[str, tuple[Path, int, int]] = {}
    for pdf in sorted(built.output.rglob("*.pdf")):
        for page, tally in engines.face_glyphs(pdf).items():
            for face, glyphs in tally.items():
                if glyphs > best.get(face, (pdf, 0, 0))[2]:
                    best[face] = (pdf, page, glyphs)
    return best


@pytest.fixture(scope="module")
def face_pdfs(face_pages, tmp_path_factory) -> dict[str, Path]:
    """For each face, a one-page PDF of its page showing its text alone (in the order of FACES)."""
    folder = tmp_path_factory.mktemp("faces")
    names = [face_name(spec) for spec in FACES if face_name(spec) in face_pages]
    return {name: engines.face_only(*face_pages[name][:2], name, folder / f"{name}.pdf") for name in names}


@pytest.fixture(scope="module")
def references(face_pdfs) -> dict[tuple[Path, int], object]:
    return {(pdf, 1): engines.poppler(pdf, [1])[1] for pdf in face_pdfs.values()}


def unlike(engine: str, references: dict, pages: dict[Path, list[int]], root: Path) -> list[str]:
    """Draw pages with an engine and return a line for each it draws unlike poppler (none when all are alike).

    Firefox takes its screenshot once the viewer has loaded its first page, drawn or not quite: a page
    pdf.js draws unlike poppler is drawn once more before it counts (a face it cannot draw fails again).
    """
    failing = _failing(references, draw(engine, pages))
    if engine == "pdfjs" and failing:
        failing = _failing(references, engines.pdfjs(sorted(failing)))
    return [f"{pdf.relative_to(root)} page {page}: {alike}" for (pdf, page), alike in sorted(failing.items())]


def _failing(references: dict, drawn: dict) -> dict:
    alike = {key: engines.likeness(references[key], image) for key, image in drawn.items()}
    return {key: a for key, a in alike.items() if not (abs(a.ink) <= INK and a.blocks >= BLOCKS)}


def draw(engine: str, pages: dict[Path, list[int]]) -> dict[tuple[Path, int], object]:
    """Draw the pages with an engine: one process per PDF (pdf.js: per batch of pages)."""
    if engine == "pdfjs":
        return engines.pdfjs([(pdf, n) for pdf, numbers in pages.items() for n in numbers])
    drawer = getattr(engines, engine)
    return {(pdf, n): image for pdf, numbers in pages.items() for n, image in drawer(pdf, numbers).items()}


def test_each_face_has_a_page_that_shows_it(face_pages):
    for spec in FACES:
        pdf, page, glyphs = face_pages.get(face_name(spec), (None, 0, 0))
        assert glyphs >= MIN_GLYPHS, (face_name(spec), pdf, page, glyphs)


@pytest.mark.parametrize("engine", ["mupdf", "pdfium", pytest.param("pdfjs", marks=heavy)])
def test_each_face_draws_as_in_poppler(engine, face_pdfs, references):
    """A page of each face, its text alone (engines.face_only), drawn by the engine and by poppler. pdf.js
    (a Firefox started for it) in make test-all, with page 1 of every PDF."""
    if _missing(engine):
        pytest.skip(_missing(engine))
    assert len(face_pdfs) == len(FACES)
    folder = next(iter(face_pdfs.values())).parent
    failed = unlike(engine, references, {pdf: [1] for pdf in face_pdfs.values()}, folder)
    assert not failed, f"{engine} draws unlike poppler (ink within +-{INK:.0%}, blocks at least {BLOCKS:.0%}):\n" \
        + "\n".join(failed)


# make test-all ------------------------------------------------------------------------------------

def _group(built, archive_build, group: str) -> tuple[Path, list[Path]]:
    """The output folder and the PDFs of a group: a language or edition of the build, or the archive copies."""
    if group == "archive":
        return archive_build, sorted(archive_build.rglob("archive/**/*.pdf"))
    return built.output, sorted((built.output / group).rglob("*.pdf"))


@pytest.mark.skipif(not TEST_ALL, reason="every page of every PDF: make test-all (AIDREPORT_TEST_ALL=1)")
@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("engine", ["mupdf", "pdfium"])
def test_every_page_draws_as_in_poppler(engine, group, built, archive_build):
    if _missing(engine):
        pytest.skip(_missing(engine))
    root, pdfs = _group(built, archive_build, group)
    assert pdfs, group
    failed, pages = [], 0
    for pdf in pdfs:
        numbers = list(range(1, engines.page_count(pdf) + 1))
        pages += len(numbers)
        references = {(pdf, n): image for n, image in engines.poppler(pdf, numbers).items()}
        failed += unlike(engine, references, {pdf: numbers}, root)
    assert not failed, f"{engine}: {len(failed)} of {pages} pages unlike poppler:\n" + "\n".join(failed)


@pytest.mark.skipif(not TEST_ALL, reason="page 1 of every PDF in pdf.js: make test-all (AIDREPORT_TEST_ALL=1)")
@pytest.mark.parametrize("group", GROUPS)
def test_page_one_of_every_pdf_draws_in_pdfjs_as_in_poppler(group, built, archive_build):
    if _missing("pdfjs"):
        pytest.skip(_missing("pdfjs"))
    root, pdfs = _group(built, archive_build, group)
    assert pdfs, group
    references = {(pdf, 1): engines.poppler(pdf, [1])[1] for pdf in pdfs}
    failed = unlike("pdfjs", references, {pdf: [1] for pdf in pdfs}, root)
    assert not failed, f"pdf.js: {len(failed)} of {len(pdfs)} first pages unlike poppler:\n" + "\n".join(failed)
