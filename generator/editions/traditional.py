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
    from ..words.hanzi import converter

    zh, ds = renders[SOURCE], ctx.dataset
    convert = converter(ds)
    # The DOCX shows charts as pictures: the kind drew them again in Traditional words and faces with its
    # own (kinds/brief/offload.py); the pages' vector charts are converted in place (_svg).
    charts = {chart.id: chart.png for chart in zh.extra.get("charts_again", [])}
    if set(charts) != set(zh.charts):
        raise BuildError(f"{zh.stem}: the Traditional edition needs each chart drawn again in Traditional "
                         "(a kind with charts draws them with its own: see kinds/brief/offload.py)")
    return replace(traditional(ds, zh, convert), charts=charts)


def traditional(ds: Any, zh, convert):
    """Return the zh render converted, with the editor's Traditional overrides applied (no charts: the
    DOCX's are drawn again by the kind, which derive() takes)."""
    from ..view.deps import TRADITIONAL_NAMES, digest
    from ..words.hanzi import overrides
    from ..view.prose import Printed

    reads = dict(zh.reads)
    reads["data/series.yaml#traditional"] = digest(ds.series.traditional)
    reads[TRADITIONAL_NAMES] = digest(overrides(ds))  # applied to names written plainly too
    printed = Printed([(path, fid, convert(text)) for path, fid, text in zh.printed.figures])
    html, applied, problems = _overridden(ds, zh.label, convert_html(zh.html, convert), convert, reads)
    return replace(zh, lang=language(CODE), title=convert(zh.title), html=html, printed=printed,
                   reads=reads, charts={}, extra={}, nav=convert(zh.nav), overrides=applied, problems=problems)


def _overridden(ds: Any, label: str, html: str, convert, reads: dict[str, str]):
    """Apply the editor's own Traditional overrides (a zh override came converted with the zh render): their
    places, terms and figures are the zh ones, converted."""
    from markupsafe import Markup

    from ..records.overrides import KEY
    from ..render.overrides import apply, resolver
    from ..hashing import file_digest
    from ..view.deps import digest
    from ..view.prose import Writer
    from ..words.lang import LANGUAGES

    found = ds.overrides.of(label, CODE) if ds.overrides is not None else []
    reads[f"{KEY}#{CODE}/{label}"] = digest([o.model_dump(mode="json") for o in found])
    if not found:
        return html, [], []
    for file in dict.fromkeys(ds.overrides.files.get(o.ident) for o in found):  # attached to its archive copy
        if file:
            reads[file] = file_digest(ds.root / file)
    w = Writer(ds, LANGUAGES[SOURCE])
    zh_resolve = resolver(w, ds)

    def resolve(token: str):
        markup = zh_resolve(token)
        return None if markup is None else Markup(convert_html(str(markup), convert))

    html, applied, problems = apply(html, label, found, resolve, ds.overrides.locations, ds.overrides.block_locations)
    reads.update(w.reads.keys)
    return html, applied, problems


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
