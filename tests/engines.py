"""PDF pages drawn by four viewer engines, and how alike two drawings of a page are (for test_pdf_engines.py).

- poppler: `pdftoppm` (what the other engines are compared with);
- MuPDF: `mutool draw` (Debian's mupdf-tools);
- PDFium: the pypdfium2 package, in this process;
- pdf.js: Firefox's own viewer (Debian's firefox-esr), `--headless --screenshot` of a page of iframes,
  one PDF page each, shown by `#page=N&zoom=Z`; each page is cut out of its viewer (toolbar and the
  grey around the page dropped). Firefox, not pdfjs-dist in Node: Node would need a canvas package
  with native parts, and Firefox is the viewer readers use.

Every engine draws grey at the same resolution; one process per PDF (pdf.js: per batch of pages).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DPI = 60
DARK = 192  # a pixel darker than this holds ink (three quarters of white: engines smooth small text differently)
SHIFT = 3  # pixels a drawing may be moved against poppler's to register them
BLOCK = 8  # the side of the blocks compared, in pixels
MIN_INK, MIN_BLOCKS = 2000, 100  # a near-empty page is judged against this much ink, not by a handful of pixels
FIREFOX = shutil.which("firefox-esr") or shutil.which("firefox")
FRAME = (560, 790)  # one iframe of the pdf.js batch: an A4 page at 60 dpi (496 x 702) under its toolbar
BATCH = 12  # pages a Firefox process draws at once
# Firefox reaches for nothing outside this machine: no name looked up, no update, report or service.
PREFS = "".join(f'user_pref("{name}", {value});\n' for name, value in (
    ("network.dns.disabled", "true"), ("network.captive-portal-service.enabled", "false"),
    ("network.connectivity-service.enabled", "false"), ("app.update.auto", "false"),
    ("app.normandy.enabled", "false"), ("datareporting.policy.dataSubmissionEnabled", "false"),
    ("toolkit.telemetry.reportingpolicy.firstRun", "false"), ("browser.safebrowsing.malware.enabled", "false"),
    ("browser.safebrowsing.phishing.enabled", "false"), ("extensions.update.enabled", "false"),
    ("browser.shell.checkDefaultBrowser", "false")))


@dataclass(frozen=True)
class Likeness:
    """How an engine's drawing of a page compares with poppler's."""

    ink: float  # the engine's dark pixels less poppler's, over poppler's (0.0: as much ink)
    blocks: float  # blocks inked in both, over blocks inked in either (1.0: the same blocks)

    def __str__(self) -> str:
        return f"ink {self.ink:+.1%}, blocks {self.blocks:.1%}"


def likeness(reference: np.ndarray, drawn: np.ndarray) -> Likeness:
    """Compare two grey drawings of one page: registered (moved by up to SHIFT pixels), cut to the size they share."""
    ref, got = _register(reference < DARK, drawn < DARK)
    h, w = ref.shape
    ink = (float(got.sum()) - float(ref.sum())) / max(float(ref.sum()), MIN_INK)
    h, w = h // BLOCK * BLOCK, w // BLOCK * BLOCK

    def inked(a: np.ndarray) -> np.ndarray:
        return a[:h, :w].reshape(h // BLOCK, BLOCK, w // BLOCK, BLOCK).any(axis=(1, 3))

    a, b = inked(ref), inked(got)
    either, both = int((a | b).sum()), int((a & b).sum())
    return Likeness(ink, 1.0 - (either - both) / max(either, MIN_BLOCKS))


def _register(ref: np.ndarray, got: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the two ink maps moved against each other as they overlap best, cut to the same size.

    Engines round a page's size and position differently (pdf.js may hide a row under its toolbar).
    """
    h = min(ref.shape[0], got.shape[0]) - 2 * SHIFT
    w = min(ref.shape[1], got.shape[1]) - 2 * SHIFT
    fixed = ref[SHIFT:SHIFT + h, SHIFT:SHIFT + w]
    best = max(((int((fixed & got[dy:dy + h, dx:dx + w]).sum()), dy, dx)
                for dy in range(2 * SHIFT + 1) for dx in range(2 * SHIFT + 1)))
    return fixed, got[best[1]:best[1] + h, best[2]:best[2] + w]


def _grey(path: Path) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as image:
        return np.asarray(image.convert("L"))


def page_count(pdf: Path) -> int:
    import pikepdf

    with pikepdf.open(pdf) as doc:
        return len(doc.pages)


def poppler(pdf: Path, pages: list[int], dpi: int = DPI) -> dict[int, np.ndarray]:
    """Draw pages (numbered from 1) with pdftoppm, in one process."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", str(min(pages)), "-l", str(max(pages)),
                        str(pdf), f"{tmp}/p"], check=True, capture_output=True, timeout=300)
        drawn = {int(re.search(r"-(\d+)\.pgm$", p.name)[1]): p for p in Path(tmp).glob("p-*.pgm")}
        return {n: _grey(drawn[n]) for n in pages}


def mupdf(pdf: Path, pages: list[int], dpi: int = DPI) -> dict[int, np.ndarray]:
    """Draw pages with `mutool draw`, in one process."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["mutool", "draw", "-q", "-r", str(dpi), "-c", "gray", "-o", f"{tmp}/p%d.pgm", str(pdf),
                        ",".join(map(str, pages))], check=True, capture_output=True, timeout=300)
        return {n: _grey(Path(tmp) / f"p{n}.pgm") for n in pages}


def pdfium(pdf: Path, pages: list[int], dpi: int = DPI) -> dict[int, np.ndarray]:
    """Draw pages with PDFium (pypdfium2)."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        drawn = {}
        for n in pages:
            page = doc[n - 1]
            drawn[n] = np.asarray(page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
            page.close()
        return drawn
    finally:
        doc.close()


def pdfjs(items: list[tuple[Path, int]], dpi: int = DPI) -> dict[tuple[Path, int], np.ndarray]:
    """Draw pages with Firefox's pdf.js, BATCH pages to a Firefox process (a page of iframes)."""
    drawn: dict[tuple[Path, int], np.ndarray] = {}
    for start in range(0, len(items), BATCH):
        drawn.update(_pdfjs_batch(items[start:start + BATCH], dpi))
    return drawn


def _pdfjs_batch(items: list[tuple[Path, int]], dpi: int) -> dict[tuple[Path, int], np.ndarray]:
    columns = min(len(items), 4)
    rows = -(-len(items) // columns)
    w, h = FRAME
    zoom = dpi / 96 * 100  # pdf.js's 100 % sets a PDF point at 96/72 pixels
    frames = "".join(
        f'<iframe style="left:{i % columns * w}px;top:{i // columns * h}px" '
        f'src="{pdf.resolve().as_uri()}#page={page}&amp;zoom={zoom:g}"></iframe>' for i, (pdf, page) in enumerate(items))
    html = ("<!doctype html><html><body style='margin:0'><style>iframe{position:absolute;border:0;margin:0;"
            f"width:{w}px;height:{h}px}}</style>{frames}</body></html>")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "profile").mkdir()  # a new profile: no viewer history (pdf.js keeps each file's last zoom)
        (Path(tmp) / "profile" / "user.js").write_text(PREFS, encoding="utf-8")
        (Path(tmp) / "pages.html").write_text(html, encoding="utf-8")
        shot = Path(tmp) / "shot.png"
        subprocess.run([FIREFOX, "--headless", "--no-remote", "--profile", f"{tmp}/profile",
                        "--window-size", f"{columns * w},{rows * h}", "--screenshot", str(shot),
                        (Path(tmp) / "pages.html").as_uri()], check=True, capture_output=True, timeout=300,
                       env={"HOME": tmp, "PATH": "/usr/bin:/bin", "MOZ_HEADLESS": "1"})
        image = _grey(shot)
    return {item: _cut_page(image[i // columns * h:(i // columns + 1) * h, i % columns * w:(i % columns + 1) * w])
            for i, item in enumerate(items)}


def _cut_page(frame: np.ndarray) -> np.ndarray:
    """Cut the page out of one viewer: below the toolbar, inside the grey around it; the tallest page shown.

    The viewer may hide a page's top row or two under its toolbar: likeness() registers the drawings.
    """
    background = frame[-2, 1]  # the viewer's grey, left of the page
    # The toolbar: the rows above the first row that is the viewer's grey at the left edge.
    grey_rows = np.nonzero(frame[:, 1] == background)[0]
    body = frame[int(grey_rows[0]) if grey_rows.size else 0:]
    # The page's columns: the widest run not grey in most rows (a scroll bar may stand apart on the right).
    left, width = _longest_run((body != background).sum(axis=0) > body.shape[0] // 4)
    # Its rows: the longest run of its white left margin (the grey between pages breaks it).
    top, height = _longest_run(body[:, left + 1] != background)
    return body[top:top + height, left:left + width]


def _longest_run(flags: np.ndarray) -> tuple[int, int]:
    """Return the start and length of the longest run of true values."""
    best, start = (0, 0), None
    for i, on in enumerate([*flags.tolist(), False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            best = max(best, (start, i - start), key=lambda run: run[1])
            start = None
    return best


# Which faces a page draws with -------------------------------------------------------------------

def face_glyphs(pdf: Path) -> dict[int, dict[str, int]]:
    """Return, for each page, how many glyphs it shows in each face (by PDF font name, subset tag dropped)."""
    import pikepdf

    counts: dict[int, dict[str, int]] = {}
    with pikepdf.open(pdf) as doc:
        for number, page in enumerate(doc.pages, 1):
            tally: dict[str, int] = {}
            _count_glyphs(page.obj.get("/Resources"), page.obj, tally, 0)
            counts[number] = tally
    return counts


def _count_glyphs(resources, content, tally: dict[str, int], depth: int) -> None:
    import pikepdf

    fonts = resources.get("/Font", {}) if resources is not None else {}
    xobjects = resources.get("/XObject", {}) if resources is not None else {}
    face = None
    for operands, operator in pikepdf.parse_content_stream(content):
        op = str(operator)
        if op == "Tf":
            face = re.sub(r"^[A-Z]{6}\+", "", str(fonts[operands[0]].get("/BaseFont", "/?"))[1:])
        elif op in ("Tj", "'", '"', "TJ"):
            strings = operands[0] if op == "TJ" else [operands[-1]]
            shown = sum(len(bytes(s)) // 2 for s in strings if isinstance(s, pikepdf.String))  # Identity-H: 2 bytes
            tally[face] = tally.get(face, 0) + shown
        elif op == "Do" and depth < 4:
            xobject = xobjects[operands[0]]
            if xobject.get("/Subtype") == "/Form":
                _count_glyphs(xobject.get("/Resources"), xobject, tally, depth + 1)


# A page with one face's text alone --------------------------------------------------------------

PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}  # path painting: ended unpainted ("n") instead
TEXT = {"Tj", "TJ", "'", '"'}


def face_only(pdf: Path, page: int, face: str, out: Path) -> Path:
    """Write a one-page PDF of a page showing only the text set in one face.

    No other text, path, picture or annotation is left; the fonts are the page's own objects,
    untouched. So a face that an engine cannot draw leaves the page blank in that engine, however
    little of the original page the face sets.
    """
    import pikepdf

    with pikepdf.open(pdf) as source:
        single = pikepdf.new()
        single.pages.append(source.pages[page - 1])
        if "/Annots" in single.pages[0].obj:
            del single.pages[0].obj["/Annots"]
        _keep_face(single, single.pages[0].obj, face, 0)
        single.save(out, deterministic_id=True)
    return out


def _keep_face(doc, holder, face: str, depth: int) -> None:
    import pikepdf

    resources = holder.get("/Resources")
    fonts = resources.get("/Font", {}) if resources is not None else {}
    xobjects = resources.get("/XObject", {}) if resources is not None else {}
    ops, current = [], None
    for operands, operator in pikepdf.parse_content_stream(holder):
        op = str(operator)
        if op == "Tf":
            current = re.sub(r"^[A-Z]{6}\+", "", str(fonts[operands[0]].get("/BaseFont", "/?"))[1:])
        elif op in TEXT and current != face:
            continue
        elif op in PAINT:
            operands, operator = [], pikepdf.Operator("n")
        elif op in ("sh", "INLINE IMAGE"):
            continue
        elif op == "Do":
            xobject = xobjects[operands[0]]
            if xobject.get("/Subtype") != "/Form" or depth >= 4:
                continue
            _keep_face(doc, xobject, face, depth + 1)
        ops.append((operands, operator))
    data = pikepdf.unparse_content_stream(ops)
    if isinstance(holder, pikepdf.Stream):
        holder.write(data)
    else:
        holder.Contents = doc.make_stream(data)
