"""Figures as the languages write them, read back into values: 5.9亿 and 590 million are both 590000000.

One table of magnitudes a language, and one reader of each language's figures. The wording of figures
(words/lang.py) places 多/余 by the Chinese magnitudes; the rule that a figure still states what the
source printed (records/rules.py), the check that every language of a document prints the same figures
(render/parity.py) and the redline's tokens (writers/redline.py) read figures here. It sits at the
bottom of the package, below the records, since a record's check reads figures too.
"""

from __future__ import annotations

import re
from decimal import Decimal

# Up to 万亿 / trillion (10^12): a figure may reach 10^15, which CLDR words 1000万亿 / 1000 trillion. The
# Traditional forms too, so that a zh-Hant render reads as its zh source does.
ZH_MAGNITUDES = {"万": 10**4, "亿": 10**8, "万亿": 10**12, "萬": 10**4, "億": 10**8, "萬億": 10**12}
EN_MAGNITUDES = {"million": 10**6, "billion": 10**9, "trillion": 10**12}
ZH_MORE_THAN = "多余餘"  # written after the figure: 8000余, 1万多
ZH_MAGNITUDE_CHARS = "".join(sorted({ch for word in ZH_MAGNITUDES for ch in word}))

_ZH = re.compile(rf"(\d+(?:\.\d+)?)[{ZH_MORE_THAN}]?(" + "|".join(sorted(ZH_MAGNITUDES, key=len, reverse=True)) + ")?")
_EN = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s+(" + "|".join(EN_MAGNITUDES) + "))?")


def zh_values(text: str) -> list[Decimal]:
    """Every figure of Chinese text as its value, in order: 5.9亿 590000000, 8000余 8000, 1万多 10000."""
    return [(Decimal(m[1]) * ZH_MAGNITUDES.get(m[2], 1)).normalize() for m in _ZH.finditer(text)]


def en_values(text: str) -> list[Decimal]:
    """Every figure of English text as its value, in order: 590 million 590000000, 11,281 11281."""
    return [(Decimal(m[1].replace(",", "") + (m[2] or "")) * EN_MAGNITUDES.get(m[3], 1)).normalize()
            for m in _EN.finditer(text)]
