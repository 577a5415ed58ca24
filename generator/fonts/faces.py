"""The project's fonts: find them, make lean static faces once (HarfBuzz), and check every character has a glyph."""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Callable

from ..cache import Cache
from ..errors import BuildError, Diagnostic, Location
from .charset import base_charset, project_charset, traditional_charset

DEBIAN_CJK = Path("/usr/share/fonts/opentype/noto")
PREP_VERSION = "4"  # bump when preparation changes, to make every cached face again


@dataclass(frozen=True)
class FaceSpec:
    """Where a face comes from and how to make it a static font file."""

    family: str
    weight: int
    style: str
    source: str  # "pip:<package>/<file>" or "debian:<file>"
    how: str  # "copy", "instance:<axis=value,...>" or "ttc:<face name>"
    docx_name: str  # the family name Word and LibreOffice know it by
    script: str = "Hans"  # Hant: a Traditional face, subset to the Traditional forms of the project's characters


# Every face the stylesheets use. Chinese text always has a real CJK face; no synthetic bold or italic.
FACES: tuple[FaceSpec, ...] = (
    FaceSpec("AR Serif", 400, "normal", "pip:fontpkg_noto_serif/files/NotoSerif[wdth,wght].ttf",
             "instance:wght=400,wdth=100", "Noto Serif"),
    FaceSpec("AR Serif", 700, "normal", "pip:fontpkg_noto_serif/files/NotoSerif[wdth,wght].ttf",
             "instance:wght=700,wdth=100", "Noto Serif"),
    FaceSpec("AR Serif", 400, "italic", "pip:fontpkg_noto_serif/files/NotoSerif-Italic[wdth,wght].ttf",
             "instance:wght=400,wdth=100", "Noto Serif"),
    FaceSpec("AR Serif SC", 400, "normal", "pip:pylopdf_fonts_zh_cn/NotoSerifSC-Regular.otf", "copy",
             "Noto Serif SC"),
    FaceSpec("AR Sans SC", 400, "normal", "pip:pylopdf_fonts_zh_cn/NotoSansSC-Regular.otf", "copy",
             "Noto Sans SC"),
    FaceSpec("AR Sans SC", 700, "normal", "debian:NotoSansCJK-Bold.ttc", "ttc:Noto Sans CJK SC Bold",
             "Noto Sans CJK SC"),
    # The Traditional edition's faces (the stylesheet's --serif-cjk and --sans-cjk name them for it).
    FaceSpec("AR Serif TC", 400, "normal", "debian:NotoSerifCJK-Regular.ttc", "ttc:Noto Serif CJK TC",
             "Noto Serif CJK TC", "Hant"),
    FaceSpec("AR Sans TC", 400, "normal", "debian:NotoSansCJK-Regular.ttc", "ttc:Noto Sans CJK TC",
             "Noto Sans CJK TC", "Hant"),
    FaceSpec("AR Sans TC", 700, "normal", "debian:NotoSansCJK-Bold.ttc", "ttc:Noto Sans CJK TC Bold",
             "Noto Sans CJK TC", "Hant"),
)


@dataclass(frozen=True)
class Face:
    spec: FaceSpec
    path: Path


def _source_path(source: str) -> Path:
    kind, _, rest = source.partition(":")
    if kind == "pip":
        package, _, inner = rest.partition("/")
        try:
            path = Path(str(resources.files(package).joinpath(inner)))
        except ModuleNotFoundError:
            raise BuildError(f"font package '{package}' is not installed; run 'make setup' "
                             "(or pip install -e .)") from None
    else:
        path = DEBIAN_CJK / rest
    if not path.is_file():
        hint = "run 'make setup' (Debian package fonts-noto-cjk)" if kind == "debian" else "run 'make setup'"
        raise BuildError(f"font file {path} is missing; {hint}")
    return path


def open_source(spec: FaceSpec):
    """Return the face a spec names, as a HarfBuzz face over its source file (a collection's member by name)."""
    import uharfbuzz as hb

    path = _source_path(spec.source)
    blob = hb.Blob.from_file_path(str(path))
    if not spec.how.startswith("ttc:"):
        return hb.Face(blob)
    wanted = spec.how[4:]
    for index in range(hb.Face(blob).count):
        face = hb.Face(blob, index)
        if face.get_name(hb.OTNameIdPredefined.FULL_NAME) == wanted:
            return face
    raise BuildError(f"{path} has no face named {wanted!r}; reinstall the Debian package fonts-noto-cjk")


# Lean faces ---------------------------------------------------------------------------------------
# WeasyPrint subsets each face it embeds but keeps the original glyph numbering, so a CJK face costs
# ~150 KB in every PDF however few characters it sets. Each face is therefore made once, straight
# from its source file, as a static face (a variable font pinned at its axes) subset to the
# characters the project can print plus a base set, so that small edits rarely change it. HarfBuzz
# does both in one step (a tenth of a second for a CJK face; fontTools took ten), with no full-face
# copy in between; the result is cached by content in the user's cache (cache.py).

def prepare_fonts(root: Path, cache: Cache | None = None, on_prepare: Callable[[], None] | None = None) -> list[Face]:
    """Return every face subset to the project's characters, from the cache or made now (on_prepare first)."""
    cache = cache or Cache()
    from ..words.hanzi import opencc_version, traditional_forms

    simplified = {c for c in base_charset() | project_charset(root) if not c.isspace() or c == " "}
    # Every face is keyed by the project's characters: a Traditional face's follow from them by OpenCC's
    # tables (its version is in the key), so they are worked out only when such a face is made.
    charset = "".join(sorted(simplified)).encode("utf-8", "surrogatepass")
    own = traditional_charset(root)  # the Traditional overrides' characters: the Traditional faces' alone
    traditional: set[str] = set()
    faces, announced = [], False
    for spec in FACES:
        path = _source_path(spec.source)
        parts = [_tools().encode(), repr(spec).encode(), _file_digest(path).encode(), charset]
        if spec.script == "Hant" and own:
            parts.append("".join(sorted(own)).encode("utf-8", "surrogatepass"))
        key = hashlib.sha256(b"|".join(parts + [opencc_version().encode()] * (spec.script == "Hant"))).hexdigest()[:24]
        suffix = ".ttf" if path.suffix == ".ttf" else ".otf"
        found = cache.get(key, suffix)
        if found is None:
            if spec.script == "Hant" and not traditional:
                # Every form the conversion may give, and what it leaves as it is (ASCII, 的).
                traditional = traditional_forms(simplified) | own
            chars = traditional if spec.script == "Hant" else simplified
            if on_prepare and not announced:
                on_prepare()
                announced = True
            found = cache.put(key, suffix, _make(spec, chars))
        faces.append(Face(spec, found))
    cache.evict(keep={face.path for face in faces})
    return faces


def _make(spec: FaceSpec, chars: set[str]) -> bytes:
    """Make one lean face: pinned at its axes, subset to chars, with its layout features and names."""
    import uharfbuzz as hb

    face = open_source(spec)
    plan = hb.SubsetInput()
    for ch in chars:
        plan.unicode_set.add(ord(ch))
    for which in (hb.SubsetInputSets.LAYOUT_FEATURE_TAG, hb.SubsetInputSets.NAME_ID,
                  hb.SubsetInputSets.NAME_LANG_ID):
        plan.sets(which).clear()
        plan.sets(which).invert()  # keep all: kerning, vertical forms; every name
    # ... but the locale forms: each face is made for one script, whose forms are its own defaults, and
    # text a shaper gets without a language (WeasyPrint's SVG text) would take them from the machine's
    # locale: 、 set in its mainland form in a Traditional chart under LANG=zh_CN.UTF-8.
    plan.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG).remove(int.from_bytes(b"locl", "big"))
    plan.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE  # print needs no hinting
    pin_axes(plan, face, spec)
    lean = hb.subset(face, plan)
    if lean is None:
        raise BuildError(f"HarfBuzz could not subset {spec.source}; reinstall it ('make setup')")
    data = lean.blob.data
    if spec.how.startswith("instance:"):
        data = _name_instance(data, spec)
    return identity_cids(data) if data[:4] == b"OTTO" else data


# A PDF draws a CID-keyed CFF glyph by its CID, looked up through the CFF's charset (ISO 32000-1,
# 9.7.4.2). WeasyPrint writes glyph numbers as CIDs (Identity-H), and HarfBuzz's subsetter keeps
# each glyph's source CID while it numbers the glyphs anew: MuPDF and pdf.js then drew most Chinese
# text blank. So the charset is made the identity (glyph g is CID g) and nothing else changes: the
# charstrings, FDSelect and every other table keep their bytes, and WeasyPrint's own subsetting
# (glyph numbers retained) keeps it so. Of the correct forms, measured on the nine faces: identity
# charsets take 2.8 s to prepare them all (1.4 s before) for 11.5 MB of faces and 5.7 MB of PDFs
# in a build (6.4 MB before); TrueType outlines (cu2qu) 45-57 s, 15.5 MB and 4.4 MB, and every
# test that prepares faces anew pays the 45 s; a name-keyed CFF 3.7 s for the bold face alone, and
# its glyph names make it larger in every PDF. Build times did not differ.


def identity_cids(data: bytes) -> bytes:
    """Return an OpenType CFF face whose CIDs are its glyph numbers (a name-keyed CFF is returned as it is)."""
    from io import BytesIO

    from fontTools.ttLib import TTFont

    # No bounding box recalculated: it would draw every glyph (ten seconds) and change the bytes.
    font = TTFont(BytesIO(data), recalcTimestamp=False, recalcBBoxes=False, lazy=True)
    top = font["CFF "].cff.topDictIndex[0]
    old = list(top.charset)
    if not hasattr(top, "ROS") or all(name == f"cid{gid:05d}" for gid, name in enumerate(old) if gid):
        return data
    new = [".notdef", *(f"cid{gid:05d}" for gid in range(1, len(old)))]
    strings = top.CharStrings
    strings.charStrings = {name: strings.charStrings[was] for name, was in zip(new, old)}
    top.charset = new
    font.setGlyphOrder(new)
    out = BytesIO()
    font.save(out)
    return out.getvalue()


def pin_axes(plan, face, spec: FaceSpec) -> None:
    """Pin a variable face at the spec's axis values in a HarfBuzz subset plan (a static face needs none)."""
    if spec.how.startswith("instance:"):
        for pair in spec.how.removeprefix("instance:").split(","):
            axis, value = pair.split("=")
            plan.pin_axis_location(face, axis, float(value))


def _name_instance(data: bytes, spec: FaceSpec) -> bytes:
    """Name a pinned face for its weight and style, as a static font would be (HarfBuzz keeps the variable names)."""
    from io import BytesIO

    from fontTools.ttLib import TTFont

    font = TTFont(BytesIO(data), recalcTimestamp=False)  # no preparation time in the bytes
    bold, italic = spec.weight >= 600, spec.style == "italic"
    style = " ".join(w for w, on in (("Bold", bold), ("Italic", italic)) if on) or "Regular"
    family = spec.docx_name
    names = font["name"]
    for name_id in (16, 17, 25):
        names.removeNames(nameID=name_id)
    names.setName(style, 2, 3, 1, 0x409)
    names.setName(f"{family} {style}".replace(" Regular", ""), 4, 3, 1, 0x409)
    names.setName(f"{family.replace(' ', '')}-{style.replace(' ', '')}", 6, 3, 1, 0x409)
    names.setName(f"{family} {style};aidreport", 3, 3, 1, 0x409)
    os2, head = font["OS/2"], font["head"]
    os2.fsSelection = (os2.fsSelection & ~0b1100001) | (0x20 if bold else 0) | (0x01 if italic else 0) \
        | (0x40 if not (bold or italic) else 0)
    head.macStyle = (1 if bold else 0) | (2 if italic else 0)
    out = BytesIO()
    font.save(out)
    return out.getvalue()


@functools.cache
def _tools() -> str:
    """Name what makes the faces: a new version of any of it makes them again (the modules' own versions,
    which are their packages': asking the packages' metadata takes longer than the rest of a no-op build)."""
    import fontTools
    import uharfbuzz

    return f"prepared {PREP_VERSION} by uharfbuzz {uharfbuzz.__version__}, fonttools {fontTools.version}"


def _file_digest(path: Path) -> str:
    """The SHA-256 of a source font's bytes (the seven weigh 100 MB): read once per machine, then remembered
    in the user's cache by the file's path, size and modification time (a new version of a font package
    writes new files)."""
    stat = path.stat()
    return _remembered_digest(path, stat.st_size, stat.st_mtime_ns)


@functools.cache
def _remembered_digest(path: Path, size: int, mtime_ns: int) -> str:
    cache = Cache()
    key = "srcsum" + hashlib.sha256(f"{path}|{size}|{mtime_ns}".encode()).hexdigest()[:24]
    found = cache.get(key, ".txt")
    if found is not None:
        text = found.read_text(encoding="ascii").strip()
        if re.fullmatch(r"[0-9a-f]{64}", text):
            return text
    with open(path, "rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
    cache.put(key, ".txt", digest.encode("ascii"))
    return digest


@functools.cache
def source_coverage() -> frozenset[int]:
    """Return every code point some source face has a glyph for (what a lean face can be made to hold):
    worked out from the faces once, then remembered in the user's cache by their bytes' hashes, as ranges."""
    import json

    cache = Cache()
    sources = [_file_digest(_source_path(spec.source)) for spec in FACES]
    key = "srccover" + hashlib.sha256("|".join([_tools(), *sources]).encode()).hexdigest()[:24]
    found = cache.get(key, ".json")
    if found is not None:
        try:
            return frozenset(cp for first, last in json.loads(found.read_bytes()) for cp in range(first, last + 1))
        except (ValueError, TypeError):
            pass  # unreadable: worked out again below
    points = frozenset(cp for spec in FACES for cp in open_source(spec).unicodes)
    ranges: list[list[int]] = []
    for cp in sorted(points):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    cache.put(key, ".json", json.dumps(ranges).encode("ascii"))
    return points


def coverage(faces: list[Face]) -> frozenset[int]:
    """Return every code point some face has a glyph for."""
    import uharfbuzz as hb

    return frozenset(cp for face in faces for cp in hb.Face(hb.Blob.from_file_path(str(face.path))).unicodes)


def font_face_css(faces: list[Face]) -> str:
    """Return @font-face rules naming each prepared file."""
    rules = []
    for face in faces:
        rules.append(
            "@font-face { font-family: \"%s\"; font-weight: %d; font-style: %s; src: url(%s); }"
            % (face.spec.family, face.spec.weight, face.spec.style, face.path.resolve().as_uri())
        )
    return "\n".join(rules)


PREVIEW_FONTS = "fonts"  # under output/: the faces the HTML previews load, so a preview looks like the PDF


def preview_faces(faces: list[Face]) -> dict[str, Path]:
    """Return each lean face under the stable name a preview loads it by (output/fonts/<name>)."""
    return {"%s-%d-%s%s" % (face.spec.family.lower().replace(" ", "-"), face.spec.weight, face.spec.style,
                            face.path.suffix): face.path for face in faces}


def preview_font_css(faces: list[Face], up: str) -> str:
    """Return @font-face rules loading the faces from output/fonts/, relative to a page up folders below output/."""
    names = preview_faces(faces)
    return "\n".join(
        '@font-face { font-family: "%s"; font-weight: %d; font-style: %s; src: url("%s%s/%s"); }'
        % (face.spec.family, face.spec.weight, face.spec.style, up, PREVIEW_FONTS, name)
        for name, face in zip(names, faces))


def missing_glyphs(files: dict[str, Any], points: frozenset[int]) -> list[Diagnostic]:
    """Report every character in the data that no embedded font can draw, at its record and line."""
    problems = []
    for loaded in files.values():
        loaded.shrink()
        found = [(loaded.place_of(ch), ch) for ch in loaded.chars if not ch.isspace() and ord(ch) not in points]
        for where, ch in sorted(found, key=lambda item: (item[0].line or 0, item[0].col or 0, item[1])):
            problems.append(Diagnostic(where, f"character '{ch}' (U+{ord(ch):04X}) has no glyph in the document "
                                       "fonts", "replace it or remove it"))
    return problems


def missing_in_text(text: str, points: frozenset[int], origin: str) -> list[Diagnostic]:
    """Report characters of a rendered document (template text) that no font can draw."""
    bad = sorted({ch for ch in text if not ch.isspace() and ord(ch) not in points})
    return [Diagnostic(Location(origin), f"character '{ch}' (U+{ord(ch):04X}) has no glyph in the document fonts",
                       "change the template text") for ch in bad]


def warn_without_harfbuzz_subset() -> str:
    """Return a warning when HarfBuzz's subsetting library is missing (PDFs then take ~10x longer)."""
    import ctypes.util

    if os.environ.get("AIDREPORT_ASSUME_NO_HB_SUBSET") or not ctypes.util.find_library("harfbuzz-subset"):
        return ("libharfbuzz-subset is not installed, so WeasyPrint subsets fonts with fontTools and PDFs "
                "take far longer; install the Debian package libharfbuzz-subset0 ('make setup' does)")
    return ""


def source_files() -> list[Path] | None:
    """The files sources_key stands for: the font sources and the code that prepares them (their modules'
    files, which a new version replaces); None when a source is missing."""
    import fontTools
    import uharfbuzz

    try:
        fonts = [_source_path(spec.source) for spec in FACES]
    except BuildError:
        return None
    return [*fonts, Path(uharfbuzz.__file__), Path(fontTools.__file__)]


def sources_key() -> str:
    """Identify the installed font files (name and size) and their preparation, without reading them."""
    parts = [_tools()]
    for spec in FACES:
        try:
            path = _source_path(spec.source)
        except BuildError:
            parts.append(f"{spec.source}:missing")
            continue
        parts.append(f"{spec.source}:{path.stat().st_size}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]
