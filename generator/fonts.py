"""The project's fonts: find them, prepare static faces once, and check every character has a glyph."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import BuildError, Diagnostic, Location

DEBIAN_CJK = Path("/usr/share/fonts/opentype/noto")
PREP_VERSION = "1"  # bump when preparation changes, to refresh every cached face


@dataclass(frozen=True)
class FaceSpec:
    """Where a face comes from and how to make it a static font file."""

    family: str
    weight: int
    style: str
    source: str  # "pip:<package>/<file>" or "debian:<file>"
    how: str  # "copy", "instance:<axis=value,...>" or "ttc:<face name>"
    docx_name: str  # the family name Word and LibreOffice know it by


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


def _prepare(spec: FaceSpec, src: Path, dest: Path) -> None:
    from fontTools.ttLib import TTCollection, TTFont

    tmp = dest.with_name(dest.name + f".tmp{os.getpid()}")
    if spec.how == "copy":
        tmp.write_bytes(src.read_bytes())
    elif spec.how.startswith("instance:"):
        from fontTools.varLib import instancer

        axes = {k: float(v) for k, v in (pair.split("=") for pair in spec.how[9:].split(","))}
        font = TTFont(src)
        instancer.instantiateVariableFont(font, axes, inplace=True, updateFontNames=True)
        font.save(tmp)
    elif spec.how.startswith("ttc:"):
        wanted = spec.how[4:]
        for font in TTCollection(src).fonts:
            if font["name"].getDebugName(4) == wanted:
                font.save(tmp)
                break
        else:
            raise BuildError(f"{src} has no face named {wanted!r}")
    os.replace(tmp, dest)


def prepare_faces(cache_dir: Path) -> list[Face]:
    """Return every face as a static font file in cache_dir, making the missing ones."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    faces = []
    for spec in FACES:
        src = _source_path(spec.source)
        stat = src.stat()
        key = hashlib.sha256(f"{PREP_VERSION}|{spec}|{src.name}|{stat.st_size}".encode()).hexdigest()[:16]
        suffix = ".otf" if src.suffix in {".otf", ".ttc"} else ".ttf"
        dest = cache_dir / f"{spec.family.replace(' ', '')}-{spec.weight}{spec.style[0]}-{key}{suffix}"
        if not dest.exists():
            _prepare(spec, src, dest)
        faces.append(Face(spec, dest))
    return faces


def coverage(faces: list[Face]) -> frozenset[int]:
    """Return every code point some face has a glyph for (cached beside the fonts)."""
    points: set[int] = set()
    for face in faces:
        sidecar = face.path.with_suffix(".cmap.json")
        if sidecar.exists():
            points.update(json.loads(sidecar.read_text()))
            continue
        from fontTools.ttLib import TTFont

        cmap = TTFont(face.path, lazy=True).getBestCmap()
        sidecar.write_text(json.dumps(sorted(cmap)))
        points.update(cmap)
    return frozenset(points)


def font_face_css(faces: list[Face]) -> str:
    """Return @font-face rules naming each prepared file."""
    rules = []
    for face in faces:
        rules.append(
            "@font-face { font-family: \"%s\"; font-weight: %d; font-style: %s; src: url(%s); }"
            % (face.spec.family, face.spec.weight, face.spec.style, face.path.resolve().as_uri())
        )
    return "\n".join(rules)


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


# Lean faces ---------------------------------------------------------------------------------------
# WeasyPrint subsets each face it embeds but keeps the original glyph numbering, so a CJK face costs
# ~150 KB in every PDF however few characters it sets. Subsetting the faces once, ourselves, to the
# characters the project can print (plus a base set, so that small edits rarely change it) makes
# every PDF smaller and faster to write.

BASE_RANGES = ((0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x214F), (0x2190, 0x21FF),
               (0x2460, 0x24FF), (0x25A0, 0x25FF), (0x3000, 0x303F), (0xFF00, 0xFFEF))
LEAN_VERSION = "1"


def base_charset() -> set[str]:
    """Return the base set: Latin, punctuation, and the 3,755 most common Chinese characters (GB2312 level 1)."""
    chars = {chr(c) for lo, hi in BASE_RANGES for c in range(lo, hi + 1)}
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def project_charset(root: Path) -> set[str]:
    """Return every character the project's data, templates and code could print."""
    chars: set[str] = set()
    package = Path(__file__).parent
    files = [*sorted((root / "data").rglob("*.yaml")), *sorted((root / "templates").rglob("*.j2")),
             root / "templates" / "labels.yaml", *sorted(package.rglob("*.py"))]
    for path in files:
        try:
            chars.update(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue  # a broken file is reported by the checks, not here
    return chars


def lean_faces(faces: list[Face], root: Path, cache_dir: Path) -> list[Face]:
    """Return each face subset to the base set and the project's characters, cached by that set."""
    chars = base_charset() | project_charset(root)
    chars = {c for c in chars if not c.isspace() or c == " "}
    key = hashlib.sha256(("".join(sorted(chars)) + LEAN_VERSION).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    lean_dir = cache_dir / "lean"
    lean_dir.mkdir(parents=True, exist_ok=True)
    out = []
    for face in faces:
        dest = lean_dir / f"{face.path.stem}-{key}{face.path.suffix}"
        if not dest.exists():
            _subset(face.path, dest, chars)
        out.append(Face(face.spec, dest))
    return out


def _subset(src: Path, dest: Path, chars: set[str]) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]  # keep kerning, vertical forms and locale forms
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.retain_gids = False
    options.hinting = False  # print does not need TrueType hinting
    font = TTFont(src)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    tmp = dest.with_name(dest.name + f".tmp{os.getpid()}")
    font.save(tmp)
    os.replace(tmp, dest)


def warn_without_harfbuzz_subset() -> str:
    """Return a warning when HarfBuzz's subsetting library is missing (PDFs then take ~10x longer)."""
    import ctypes.util

    if os.environ.get("AIDREPORT_ASSUME_NO_HB_SUBSET") or not ctypes.util.find_library("harfbuzz-subset"):
        return ("libharfbuzz-subset is not installed, so WeasyPrint subsets fonts with fontTools and PDFs "
                "take far longer; install the Debian package libharfbuzz-subset0 ('make setup' does)")
    return ""


def sources_key() -> str:
    """Identify the installed font files (name and size), without reading them."""
    parts = []
    for spec in FACES:
        try:
            path = _source_path(spec.source)
        except BuildError:
            parts.append(f"{spec.source}:missing")
            continue
        parts.append(f"{spec.source}:{path.stat().st_size}:{PREP_VERSION}:{LEAN_VERSION}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]
