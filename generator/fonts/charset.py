"""The characters the project can print, which the lean faces are subset to (faces.py): a base set, and every
character of the data, the templates and the code; the Traditional faces' own (the Traditional overrides).
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import PACKAGE

BASE_RANGES = ((0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x214F), (0x2190, 0x21FF),
               (0x2460, 0x24FF), (0x25A0, 0x25FF), (0x3000, 0x303F), (0xFF00, 0xFFEF))


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
    files = [*sorted((root / "data").rglob("*.yaml")), *sorted((root / "templates").rglob("*.j2")),
             root / "templates" / "labels.yaml", *sorted(PACKAGE.rglob("*.py"))]
    published, overrides = root / "data" / "published", root / "data" / "overrides"
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # a broken file is reported by the checks, not here
        if path.is_relative_to(overrides):
            text = _printed_of_overrides(text, traditional=False)
        chars.update(_printed_of_publication(text) if path.is_relative_to(published) else text)
        if path.suffix == ".yaml":
            chars.update(_escaped(text))
    # A sentence starts with a capital (lang.capitalise): a text starting with ж prints Ж.
    return chars | {upper for ch in chars for upper in ch.upper()}


# A YAML string may write a character as an escape ("\u03A9"): it prints as the character, so a face holds it.
YAML_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")


def _escaped(text: str) -> set[str]:
    """Return the characters a YAML file's escapes stand for (any backslash-hex sequence: a superset does no harm)."""
    points = (int(next(g for g in m.groups() if g), 16) for m in YAML_ESCAPE.finditer(text))
    return {chr(cp) for cp in points if cp <= 0x10FFFF}


def _printed_of_publication(text: str) -> str:
    """What a publication record can print (its titles and figures, in the corrections list), not its
    comments, hashes and origins, nor the Traditional edition's (conversions of the Simplified text, whose
    Traditional forms the Traditional faces get): recording a publication must not change the faces."""
    import yaml

    try:
        record = yaml.safe_load(text)
        documents = [d for stem, d in record.get("documents", {}).items() if not stem.startswith("zh-Hant/")]
        return "".join(str(d.get("title", "")) + "".join(str(f.get("text", "")) for f in d.get("figures") or [])
                       for d in documents)
    except (yaml.YAMLError, AttributeError, TypeError):
        return ""  # a broken record is reported by the checks


def _printed_of_overrides(text: str, traditional: bool) -> str:
    """What an override file can print: the editor's texts of one script (zh and en, or zh-Hant), not the
    skeletons they replaced nor who wrote them. The Traditional texts go to the Traditional faces alone, so an
    override of the Traditional edition leaves the Simplified faces (and every other PDF) as they were."""
    import yaml

    try:
        entries = yaml.safe_load(text).get("overrides") or []
        return "".join(str(o.get("text", "")) for o in entries if (o.get("lang") == "zh-Hant") == traditional)
    except (yaml.YAMLError, AttributeError, TypeError):
        return ""  # a broken file is reported by the checks


def traditional_charset(root: Path) -> set[str]:
    """The characters only the Traditional edition prints: its own overrides' texts."""
    chars: set[str] = set()
    for path in sorted((root / "data" / "overrides").rglob("*.yaml")):
        try:
            chars.update(_printed_of_overrides(path.read_text(encoding="utf-8"), traditional=True))
        except (OSError, UnicodeDecodeError):
            continue
    return {c for c in chars if not c.isspace()}
