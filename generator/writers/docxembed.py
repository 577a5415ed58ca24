"""Faces embedded in a DOCX as Word's "Embed fonts in the file" does (ECMA-376 Part 1, 17.8.1 and 17.8.3).

Each face is an obfuscated font part (/word/fonts/fontN.odttf, related from the font table), named
in the font table entry of its family by w:embedRegular, w:embedBold or w:embedItalic with its
relationship and key; settings.xml says the document embeds TrueType fonts, saved as subsets.

The package is written here too (packaged): each part compressed once, at a fixed date.

Which faces and characters: every run is resolved as Word resolves it (its paragraph style, the
styles that style is based on, the document defaults; bold and italic from the run or the style).
The Latin font of every run is embedded in the style the run asks for (generator.fonts.embed gives
its whole Latin range). Its East Asian font gets the characters the run holds beyond Latin-1 (and
its spaces), in the run's weight where the family has a bold face, else in its regular face (Word
emboldens that).
"""

from __future__ import annotations

import functools
import io
import zipfile
from collections import defaultdict
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

from ..cache import Cache
from ..fonts.embed import cjk_face, latin_face, obfuscated
from ..fonts.faces import Face

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
EMBED = {(False, False): "w:embedRegular", (True, False): "w:embedBold", (False, True): "w:embedItalic",
         (True, True): "w:embedBoldItalic"}
# Settings that come before w:embedTrueTypeFonts in CT_Settings' sequence (17.15.1.78).
SETTINGS_BEFORE = {qn(f"w:{tag}") for tag in ("writeProtection", "view", "zoom", "removePersonalInformation",
                                               "removeDateAndTime", "doNotDisplayPageBoundaries",
                                               "displayBackgroundShape", "printPostScriptOverText",
                                               "printFractionalCharacterWidth", "printFormsData")}
SPACES = {" ", "\u00a0"}
TEXT_PARTS = ("/word/document.xml", "/word/header", "/word/footer")


def families(faces: list[Face]) -> dict[str, dict[tuple[bool, bool], Face]]:
    """Return the prepared faces by the family name a DOCX calls them (their regular face's), by (bold, italic)."""
    groups: dict[str, list[Face]] = defaultdict(list)
    for face in faces:
        groups[face.spec.family].append(face)
    named = {}
    for members in groups.values():
        regular = next((f for f in members if f.spec.weight < 600 and f.spec.style == "normal"), members[0])
        named[regular.spec.docx_name] = {(f.spec.weight >= 600, f.spec.style == "italic"): f for f in members}
    return named


def embed_fonts(word, faces: list[Face], cache: Cache) -> None:
    """Embed in a python-docx document the faces its runs use: Latin whole, East Asian as subsets."""
    named = families(faces)
    latin, east_asian = _uses(word)
    wanted: dict[tuple[str, tuple[bool, bool]], bytes] = {}
    for family, slot in sorted(latin):
        slot = _nearest(named.get(family, {}), slot)
        if slot is not None and not _is_cjk(named[family][slot]):
            wanted[(family, slot)] = latin_face(named[family][slot], family, cache)
    chars: dict[tuple[str, tuple[bool, bool]], set[str]] = defaultdict(set)
    for (family, slot), held in east_asian.items():
        slot = _nearest(named.get(family, {}), slot)
        if slot is not None and _is_cjk(named[family][slot]):
            chars[(family, slot)] |= held
    for (family, slot), held in sorted(chars.items()):
        wanted[(family, slot)] = cjk_face(named[family][slot], family, held, cache)
    if wanted:
        _add_parts(word, wanted)


def _nearest(styles: dict[tuple[bool, bool], Face], slot: tuple[bool, bool]) -> tuple[bool, bool] | None:
    """Return the style of a family that sets a run of slot's style: itself, else its bold, else the regular."""
    return next((s for s in (slot, (slot[0], False), (False, False)) if s in styles), None)


@functools.cache
def _covers_han(path: Path) -> bool:
    import uharfbuzz as hb

    return hb.Font(hb.Face(hb.Blob.from_file_path(str(path)))).get_nominal_glyph(0x4E00) is not None


def _is_cjk(face: Face) -> bool:
    return _covers_han(face.path)


def _uses(word) -> tuple[set[tuple[str, tuple[bool, bool]]], dict[tuple[str, tuple[bool, bool]], set[str]]]:
    """Return the (Latin family, style) pairs the document's runs use, and each East Asian (family, style)'s characters."""
    styles = _resolved_styles(word)
    default = next((sid for sid, (_, _, _, _, is_default) in styles.items() if is_default), None)
    latin: set[tuple[str, tuple[bool, bool]]] = set()
    east_asian: dict[tuple[str, tuple[bool, bool]], set[str]] = defaultdict(set)
    for part in word.part.package.iter_parts():
        if not str(part.partname).startswith(TEXT_PARTS):
            continue
        for para in part.element.iter(W + "p"):
            style = para.find(f"{W}pPr/{W}pStyle")
            ascii_font, asian_font, bold, italic, _ = styles.get(style.get(W + "val") if style is not None
                                                                 else default, styles[default])
            for run in para.iter(W + "r"):
                rpr = run.find(W + "rPr")
                slot = (_flag(rpr, "b", bold), _flag(rpr, "i", italic))
                fonts = rpr.find(W + "rFonts") if rpr is not None else None
                latin.add((_font(fonts, "ascii", ascii_font), slot))
                text = "".join(t.text or "" for t in run.iter(W + "t"))
                wide = {ch for ch in text if ch > "\xff"}
                if wide:  # and its spaces: LibreOffice sets a space in the script of the text around it
                    east_asian[(_font(fonts, "eastAsia", asian_font), slot)].update(wide, SPACES & set(text))
    return latin, east_asian


def _resolved_styles(word) -> dict[str, tuple[str, str, bool, bool, bool]]:
    """Return each paragraph style's (Latin font, East Asian font, bold, italic, is the default) through its bases."""
    root = word.styles.element
    defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    base = (_font(defaults, "ascii", ""), _font(defaults, "eastAsia", ""), False, False)
    raw = {style.get(W + "styleId"): style for style in root.findall(W + "style")}

    done: dict[str, tuple[str, str, bool, bool]] = {}

    def resolve(sid: str, seen: frozenset = frozenset()) -> tuple[str, str, bool, bool]:
        style = raw.get(sid)
        if style is None or sid in seen:
            return base
        if sid not in done:
            parent = style.find(W + "basedOn")
            inherited = resolve(parent.get(W + "val"), seen | {sid}) if parent is not None else base
            rpr = style.find(W + "rPr")
            fonts = rpr.find(W + "rFonts") if rpr is not None else None
            done[sid] = (_font(fonts, "ascii", inherited[0]), _font(fonts, "eastAsia", inherited[1]),
                         _flag(rpr, "b", inherited[2]), _flag(rpr, "i", inherited[3]))
        return done[sid]

    return {sid: (*resolve(sid), style.get(W + "default") in ("1", "true"))
            for sid, style in raw.items() if style.get(W + "type") == "paragraph"}


def _font(rfonts, attr: str, inherited: str) -> str:
    value = rfonts.get(W + attr) if rfonts is not None else None
    return value or inherited


def _flag(rpr, tag: str, inherited: bool) -> bool:
    el = rpr.find(W + tag) if rpr is not None else None
    if el is None:
        return inherited
    return el.get(W + "val", "true") not in ("0", "false", "off")


def _add_parts(word, wanted: dict[tuple[str, tuple[bool, bool]], bytes]) -> None:
    """Add each face as an obfuscated font part, name it in the font table, and mark the settings."""
    package = word.part.package
    table_part = next(part for part in package.iter_parts() if part.partname == "/word/fontTable.xml")
    table = etree.fromstring(table_part.blob)
    entries = {font.get(qn("w:name")): font for font in table.findall(qn("w:font"))}
    for n, ((family, slot), data) in enumerate(sorted(wanted.items()), 1):
        key, blob = obfuscated(data)
        part = Part(PackURI(f"/word/fonts/font{n}.odttf"), OBFUSCATED_FONT, blob, package)
        rid = table_part.relate_to(part, RT.FONT)
        entry = entries.get(family)
        if entry is None:
            entry = entries[family] = etree.SubElement(table, qn("w:font"), {qn("w:name"): family})
        etree.SubElement(entry, qn(EMBED[slot]), {qn("r:id"): rid, qn("w:fontKey"): key, qn("w:subsetted"): "true"})
    for entry in entries.values():  # CT_Font: embedRegular, embedBold, embedItalic, embedBoldItalic, in that order
        embeds = [el for el in entry if el.tag in {qn(tag) for tag in EMBED.values()}]
        for el in sorted(embeds, key=lambda el: [qn(tag) for tag in EMBED.values()].index(el.tag)):
            entry.append(el)
    table_part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
    settings = word.settings.element
    before = [i for i, child in enumerate(settings) if child.tag in SETTINGS_BEFORE]
    at = before[-1] + 1 if before else 0
    for offset, tag in enumerate(("w:embedTrueTypeFonts", "w:saveSubsetFonts")):
        if settings.find(qn(tag)) is None:
            settings.insert(at + offset, settings.makeelement(qn(tag), {}))


# The package ---------------------------------------------------------------------------------------


def zip_entry(name: str) -> zipfile.ZipInfo:
    """A zip entry of fixed date and mode, so the same content gives the same bytes."""
    info = zipfile.ZipInfo(name, ZIP_DATE)
    info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
    return info


def packaged(package) -> bytes:
    """Write a python-docx package as its save() does, but with fixed timestamps: each part compressed once
    (writing and then normalising compressed the embedded faces twice)."""
    from docx.opc.pkgwriter import _ContentTypesItem

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for part in package.parts:
            part.before_marshal()
        parts = list(package.parts)
        dst.writestr(zip_entry("[Content_Types].xml"), _ContentTypesItem.from_parts(parts).blob)
        dst.writestr(zip_entry("_rels/.rels"), package.rels.xml)
        for part in parts:
            dst.writestr(zip_entry(part.partname.membername), part.blob)
            if len(part.rels):
                dst.writestr(zip_entry(part.partname.rels_uri.membername), part.rels.xml)
    return out.getvalue()
