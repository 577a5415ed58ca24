"""Simplified to Traditional Chinese with OpenCC, the gazetteer's and glossary's own Traditional names first.

The Traditional edition is converted from the Simplified render, never written by hand: OpenCC's
configuration is the series' (`traditional.opencc`: s2t by default, or s2hk / s2tw for those
regions' character forms; never s2twp, which rewrites mainland vocabulary). A place or term whose
converted name is not the right one carries its own (`zh_hant`), which is used as it is.
"""

from __future__ import annotations

import functools
import re
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..records.lookups import Dataset

CONFIGS = ("s2t", "s2hk", "s2tw")


class Converter:
    """Converts Simplified text to Traditional: each override whole (longest first), the rest by OpenCC."""

    def __init__(self, config: str, overrides: tuple[tuple[str, str], ...]):
        import opencc

        self.opencc = opencc.OpenCC(f"{config}.json")
        self.overrides = dict(overrides)
        names = sorted(self.overrides, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, names))) if names else None

    def __call__(self, text: str) -> str:
        if not text or text.isascii():
            return text
        if self.pattern is None:
            return self.opencc.convert(text)
        out, last = [], 0
        for m in self.pattern.finditer(text):
            out += [self.opencc.convert(text[last:m.start()]), self.overrides[m.group()]]
            last = m.end()
        out.append(self.opencc.convert(text[last:]))
        return "".join(out)


@functools.lru_cache(maxsize=4)
def _converter(config: str, overrides: tuple[tuple[str, str], ...]) -> Converter:
    return Converter(config, overrides)


def overrides(ds: Dataset) -> dict[str, str]:
    """Return the Traditional names the gazetteer and glossary give (Simplified -> Traditional)."""
    found = {}
    for info in ds.places.values():
        p = info.place
        found |= {zh: hant for zh, hant in ((p.zh, p.zh_hant), (p.zh_short, p.zh_hant_short)) if zh and hant}
    for term in ds.terms.values():
        found |= {zh: hant for zh, hant in ((term.zh, term.zh_hant), (term.zh_full, term.zh_hant_full)) if zh and hant}
    return found


def converter(ds: Dataset) -> Converter:
    """Return the series' converter, with the dataset's own Traditional names."""
    return _converter(ds.series.traditional.opencc, tuple(sorted(overrides(ds).items())))


def opencc_version() -> str:
    """Return the version of OpenCC's tables, which decide the Traditional faces' characters."""
    import opencc

    return opencc.__version__


@functools.lru_cache(maxsize=1)
def character_table() -> dict[str, tuple[str, ...]]:
    """Return OpenCC's own Simplified -> Traditional character table (STCharacters): each character's
    Traditional candidates, the usual one first. Read with the opencc_dict tool its package carries."""
    import opencc

    clib = Path(opencc.__file__).parent / "clib"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "st.txt"
        subprocess.run([str(clib / "bin" / "opencc_dict"), "-i", str(clib / "share/opencc/STCharacters.ocd2"),
                        "-o", str(out), "-f", "ocd2", "-t", "text"], check=True, capture_output=True)
        lines = out.read_text(encoding="utf-8").splitlines()
    return {key: tuple(rest.split()) for key, _, rest in (line.partition("\t") for line in lines) if rest}


def traditional_forms(chars: set[str]) -> set[str]:
    """Return every Traditional form OpenCC may give for the characters: all candidates of each, and
    what each configuration makes of them (s2tw's and s2hk's regional variants: 衆 -> 眾)."""
    import opencc

    table = character_table()
    forms = {form for ch in chars for form in table.get(ch, ())}
    lines = "\n".join(sorted(forms | {ch for ch in chars if not ch.isascii()}))
    for config in CONFIGS:
        forms.update(opencc.OpenCC(f"{config}.json").convert(lines).split("\n"))
    return {ch for ch in forms if len(ch) == 1} | {ch for ch in chars if ch not in table}


def simplified_only(text: str) -> list[str]:
    """Return the characters of a text that are Simplified only: OpenCC's table converts them, and
    does not list them among their own Traditional forms (发 -> 發 髮; but 后 -> 後 后 keeps 后)."""
    table = character_table()
    return sorted({ch for ch in text if ch in table and ch not in table[ch]})
