"""Faces to embed in a DOCX: TrueType copies of the project's faces, made once and kept in the cache.

Word embeds TrueType outlines only (ECMA-376 Part 1, 17.8.1), so a CFF face is drawn again in
quadratic curves: HarfBuzz reads each glyph's outline, fontTools' compiled cu2qu turns its cubic
curves into quadratic ones (within 1 unit of the em), and the glyphs go into a glyf table. A glyph
is converted once per process, whichever document asks for it; a finished face is kept in the cache
under the hash of what it was made from, so a rebuild makes none again.

- A Latin face (TrueType already) is embedded with its whole Latin range (Basic Latin to Latin
  Extended-B, General Punctuation) and every character of the lean face, whatever the document
  holds, so that a copy desk can type in it.
- A CJK face is embedded as a subset of the characters the document sets in it.
Either way the copy carries the name the DOCX calls it by, so that a program that installs it for
the document (LibreOffice) finds it under that name, bold as bold and italic as italic.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from io import BytesIO
from pathlib import Path

from ..cache import Cache, digest
from ..errors import BuildError
from .faces import Face, open_source, pin_axes

EMBED_VERSION = "2"  # bump when the embedded copies change, to make every cached one again
MAX_ERR = 1.0  # how far, in font units, a quadratic curve may stray from the cubic it replaces
LATIN_RANGES = ((0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x36F), (0x2000, 0x206F), (0x20A0, 0x20CF))
# Layout features whose glyphs a CJK copy leaves out: other regions' forms (locl), vertical forms, fractions.
LEFT_OUT = ("locl", "vert", "vrt2", "frac", "numr", "dnom")
NAME_IDS = (1, 2, 3, 4, 6, 16, 17, 21, 22, 25)  # the names a copy is given anew

# Converted glyphs of this process: (face file, glyph id) -> (glyf data, points, contours, bounds).
_GLYPHS: dict[tuple[str, int], tuple[bytes, int, int, tuple[int, int, int, int] | None]] = {}


def latin_face(face: Face, family: str, cache: Cache) -> bytes:
    """Return a Latin face for embedding: its whole Latin range and the lean face's characters, named family."""
    key = _key(face, family, b"latin")
    found = cache.get(key, ".ttf")
    if found is not None:
        return found.read_bytes()
    import uharfbuzz as hb

    source = open_source(face.spec)
    plan = hb.SubsetInput()
    for lo, hi in LATIN_RANGES:
        for cp in range(lo, hi + 1):
            plan.unicode_set.add(cp)
    for cp in hb.Face(hb.Blob.from_file_path(str(face.path))).unicodes:
        plan.unicode_set.add(cp)
    plan.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE
    pin_axes(plan, source, face.spec)
    subset = hb.subset(source, plan)
    if subset is None:
        raise BuildError(f"HarfBuzz could not subset {face.spec.source}; reinstall it ('make setup')")
    data = _named(subset.blob.data, face, family)
    cache.put(key, ".ttf", data)
    return data


def cjk_face(face: Face, family: str, chars: set[str], cache: Cache) -> bytes:
    """Return a TrueType subset of a face (CFF or TrueType) holding chars and what its layout reaches, named family."""
    key = _key(face, family, "".join(sorted(chars)).encode("utf-8", "surrogatepass"))
    found = cache.get(key, ".ttf")
    if found is not None:
        return found.read_bytes()
    import uharfbuzz as hb

    lean = hb.Face(hb.Blob.from_file_path(str(face.path)))
    plan = hb.SubsetInput()
    for ch in chars:
        plan.unicode_set.add(ord(ch))
    plan.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE
    features = plan.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG)
    for tag in LEFT_OUT:  # forms a DOCX never asks for: they would double a Traditional face's glyphs
        features.discard(int.from_bytes(tag.encode(), "big"))
    subset = hb.SubsetPlan(lean, plan)
    data = subset.execute().blob.data
    convert = data[:4] == b"OTTO"
    data = _named(data, face, family, lambda font: _truetype(font, face, dict(subset.new_to_old_glyph_mapping),
                                                             hb.Font(lean)) if convert else None)
    cache.put(key, ".ttf", data)
    return data


def obfuscated(data: bytes) -> tuple[str, bytes]:
    """Return a face's key and its obfuscated bytes (17.8.1): the first 32 bytes XORed with the key's bytes reversed.

    The key is made from the face's bytes, so the same face gives the same DOCX bytes.
    """
    guid = str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper()
    key = bytes.fromhex(guid.replace("-", ""))[::-1]
    head = bytes(b ^ key[i % 16] for i, b in enumerate(data[:32]))
    return "{" + guid + "}", head + data[32:]


def _key(face: Face, family: str, what: bytes) -> str:
    parts = [_made_by(), repr(face.spec).encode(), _content(str(face.path)).encode(), family.encode(), what]
    return "embed" + hashlib.sha256(b"|".join(parts)).hexdigest()[:24]


@functools.cache
def _made_by() -> bytes:
    """Name what makes the copies (this module's version, HarfBuzz's, fontTools'): a new one makes them again."""
    from importlib.metadata import version

    return "|".join([EMBED_VERSION, *(version(name) for name in ("uharfbuzz", "fonttools"))]).encode()


@functools.cache
def _content(path: str) -> str:
    return digest(Path(path).read_bytes())


# CFF to TrueType ----------------------------------------------------------------------------------


def _truetype(font, face: Face, new_to_old: dict[int, int], source) -> None:
    """Replace a CFF subset's outlines with quadratic ones drawn from the face it was cut from (new_to_old)."""
    from fontTools.ttLib import newTable
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    order = font.getGlyphOrder()
    glyphs = [_glyph(face, source, new_to_old[gid]) for gid in range(len(order))]
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {name: Glyph(glyph[0]) for name, glyph in zip(order, glyphs)}
    metrics = font["hmtx"].metrics
    for name, glyph in zip(order, glyphs):
        metrics[name] = (metrics[name][0], glyph[3][0] if glyph[3] else 0)  # left side bearing: the outline's xMin
    font["loca"] = newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    maxp.maxPoints = max(glyph[1] for glyph in glyphs)
    maxp.maxContours = max(glyph[2] for glyph in glyphs)
    for name in ("maxCompositePoints", "maxCompositeContours", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                 "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
                 "maxComponentDepth"):
        setattr(maxp, name, 0)
    maxp.maxZones = 1
    bounds = [glyph[3] for glyph in glyphs if glyph[3]] or [(0, 0, 0, 0)]
    head = font["head"]
    head.glyphDataFormat = 0
    head.xMin, head.yMin = min(b[0] for b in bounds), min(b[1] for b in bounds)
    head.xMax, head.yMax = max(b[2] for b in bounds), max(b[3] for b in bounds)
    font.sfntVersion = "\x00\x01\x00\x00"


class _Outline:
    """A pen that keeps a glyph's contours as lists of (point, on curve), its cubic curves made quadratic."""

    def __init__(self) -> None:
        self.contours: list[list[tuple[tuple[int, int], int]]] = []

    def moveTo(self, p) -> None:
        self.contours.append([(_round(p), 1)])

    def lineTo(self, p) -> None:
        self.contours[-1].append((_round(p), 1))

    def curveTo(self, *points) -> None:
        from fontTools.cu2qu import curve_to_quadratic

        contour = self.contours[-1]
        quadratic = curve_to_quadratic((contour[-1][0], *points), MAX_ERR)
        contour.extend((_round(p), 0) for p in quadratic[1:-1])
        contour.append((_round(points[-1]), 1))

    def qCurveTo(self, *points) -> None:
        contour = self.contours[-1]
        contour.extend((_round(p), 0) for p in points[:-1])
        contour.append((_round(points[-1]), 1))

    def closePath(self) -> None:
        contour = self.contours[-1]
        if len(contour) > 1 and contour[-1] == contour[0]:
            contour.pop()  # the closing point repeats the first

    endPath = closePath


def _round(p) -> tuple[int, int]:
    from fontTools.misc.roundTools import otRound

    return otRound(p[0]), otRound(p[1])


def _glyph(face: Face, source, gid: int) -> tuple[bytes, int, int, tuple[int, int, int, int] | None]:
    """Return one glyph of a face as TrueType: its glyf data, point and contour counts and bounds (converted once)."""
    memo = (str(face.path), gid)
    if memo in _GLYPHS:
        return _GLYPHS[memo]
    from array import array

    from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphCoordinates
    from fontTools.ttLib.tables.ttProgram import Program

    pen = _Outline()
    source.draw_glyph_with_pen(gid, pen)
    coordinates, flags, ends = [], array("B"), []
    for contour in (c for c in pen.contours if c):
        # TrueType runs its outer contours clockwise, CFF counter-clockwise: reverse, from the same start.
        turned = contour[:1] + contour[:0:-1]
        coordinates.extend(point for point, _ in turned)
        flags.extend(on for _, on in turned)
        ends.append(len(coordinates) - 1)
    glyph = Glyph()
    if not ends:
        result = (b"", 0, 0, None)
    else:
        glyph.numberOfContours = len(ends)
        glyph.coordinates = GlyphCoordinates(coordinates)
        glyph.flags = flags
        glyph.endPtsOfContours = ends
        glyph.program = Program()
        glyph.program.fromBytecode(b"")
        glyph.recalcBounds(None)
        bounds = (glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax)
        result = (glyph.compile(None, recalcBBoxes=False), len(coordinates), len(ends), bounds)
    _GLYPHS[memo] = result
    return result


def _named(data: bytes, face: Face, family: str, change=None) -> bytes:
    """Name a face family, with the style its spec gives (Regular, Bold, Italic), as a static face is named
    (after change, given the font, has done its part)."""
    from fontTools.ttLib import TTFont

    font = TTFont(BytesIO(data), recalcBBoxes=False, recalcTimestamp=False)
    if change is not None:
        change(font)
    bold, italic = face.spec.weight >= 600, face.spec.style == "italic"
    style = " ".join(word for word, on in (("Bold", bold), ("Italic", italic)) if on) or "Regular"
    names = font["name"]
    names.names = [n for n in names.names if n.nameID not in NAME_IDS]
    postscript = f"{family}-{style}".replace(" ", "")
    for name_id, text in ((1, family), (2, style), (3, f"{postscript};aidreport"),
                          (4, family if style == "Regular" else f"{family} {style}"), (6, postscript)):
        names.setName(text, name_id, 3, 1, 0x409)
    os2 = font["OS/2"]
    os2.usWeightClass = face.spec.weight
    os2.fsSelection = (os2.fsSelection & ~0b1100001) | (0x20 if bold else 0) | (0x01 if italic else 0) \
        | (0x40 if not (bold or italic) else 0)
    font["head"].macStyle = (1 if bold else 0) | (2 if italic else 0)
    out = BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()
