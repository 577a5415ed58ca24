"""The Traditional Chinese edition (output/zh-Hant/): every document, converted from its Simplified render.

The text, the alternative texts and the charts' words are converted (hanzi.py: OpenCC with the
series' configuration, the gazetteer's and glossary's own Traditional names first); markup, figures
and images are the zh render's. The page's language becomes zh-Hant, which gives it the Traditional
faces (print.css). Its figures are checked against the zh render, as the English ones are.
"""

from __future__ import annotations

import base64
import html as html_lib
import re
from dataclasses import replace
from typing import Any

from ..errors import BuildError
from ..words.lang import language

CODE = "zh-Hant"
SOURCE = "zh"
FORMATS = ("html", "pdf", "docx", "archive", "wechat")

PIECES = re.compile(r"(<style\b.*?</style>|<script\b.*?</script>|<[^>]*>)", re.S)
SPOKEN = re.compile(r'\b(alt|title|aria-label|content)="([^"]*)"')  # attributes a reader hears or sees
SVG = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')
SVG_TEXT = re.compile(r"(<text\b[^>]*>)([^<]*)(</text>)")


def derive(ctx: Any, renders: dict[str, Any]):
    """Return the Traditional document converted from the zh render."""
    from ..view.deps import TRADITIONAL_NAMES, digest
    from ..words.hanzi import converter, overrides
    from ..view.prose import Printed

    zh, ds = renders[SOURCE], ctx.dataset
    convert = converter(ds)
    reads = dict(zh.reads)
    reads["data/series.yaml#traditional"] = digest(ds.series.traditional)
    reads[TRADITIONAL_NAMES] = digest(overrides(ds))  # applied to names written plainly too
    printed = Printed([(path, fid, convert(text)) for path, fid, text in zh.printed.figures])
    # The DOCX shows charts as pictures: the kind drew them again in Traditional words and faces with its
    # own (kinds/brief/offload.py); the pages' vector charts are converted in place (_svg).
    charts = {chart.id: chart.png for chart in zh.extra.get("charts_again", [])}
    if set(charts) != set(zh.charts):
        raise BuildError(f"{zh.stem}: the Traditional edition needs each chart drawn again in Traditional "
                         "(a kind with charts draws them with its own: see kinds/brief/offload.py)")
    return replace(zh, lang=language(CODE), title=convert(zh.title), html=convert_html(zh.html, convert), printed=printed,
                   reads=reads, charts=charts, extra={}, nav=convert(zh.nav))


def check(ctx: Any, doc, renders: dict[str, Any]) -> list:
    """The Traditional document states the zh render's figures, each as often."""
    from ..render.parity import compare

    zh = renders[SOURCE]
    return compare(zh.html, doc.html, f"output/{zh.stem}.html", f"output/{doc.stem}.html", ctx.dataset,
                   other=CODE)


def convert_html(html: str, convert) -> str:
    """Convert a page's text and spoken attributes; mark it zh-Hant; leave styles, scripts and markup."""
    tag = language(CODE).tag
    out = []
    for n, piece in enumerate(PIECES.split(html)):
        if n % 2 == 0:  # text between tags
            out.append(html_lib.escape(convert(html_lib.unescape(piece)), quote=False) if piece.strip() else piece)
        elif piece.startswith(("<style", "<script")):
            out.append(piece)
        else:
            piece = piece.replace(f'lang="{language(SOURCE).tag}"', f'lang="{tag}"')
            piece = SPOKEN.sub(lambda m: f'{m.group(1)}="{_attr(m.group(2), convert)}"', piece)
            out.append(SVG.sub(lambda m: f'src="data:image/svg+xml;base64,{_svg(m.group(1), convert)}"', piece))
    return "".join(out)


def _attr(value: str, convert) -> str:
    return html_lib.escape(convert(html_lib.unescape(value)), quote=True)


def _svg(data: str, convert) -> str:
    """Convert the words of an SVG picture (a chart's text stays text: svg.fonttype none)."""
    svg = base64.b64decode(data).decode("utf-8")
    svg = SVG_TEXT.sub(lambda m: m.group(1) + _attr(m.group(2), convert) + m.group(3), svg)
    for simplified, traditional in (("AR Sans SC", "AR Sans TC"), ("AR Serif SC", "AR Serif TC")):
        svg = svg.replace(simplified, traditional)
    return base64.b64encode(svg.encode("utf-8")).decode("ascii")
