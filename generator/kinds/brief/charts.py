"""Bar charts of the comparison brief: vector SVG for the PDF, high-resolution PNG for the DOCX."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...words.lang import Language

# The CSS families the PDF knows, by the family name inside each font file.
CSS_FAMILY = {"Noto Sans SC": "AR Sans SC", "Noto Sans CJK SC": "AR Sans SC", "Noto Serif": "AR Serif",
              "Noto Serif SC": "AR Serif SC", "Noto Sans CJK TC": "AR Sans TC"}
RED, GREY, LIGHT = "#a3171b", "#555555", "#d9b8a0"
STEP, TALL = 0.42, 7.2  # inches: a bar's room, and the room many bars share


@dataclass
class Chart:
    """One chart: the data it was drawn from, its words, and its two renderings."""

    id: str
    title: str
    categories: list[str]
    series: list[tuple[str, list[float]]]  # (legend label, one value per category)
    value_labels: list[str]
    alt: str
    note: str
    svg: bytes = b""
    png: bytes = b""
    texts: list[str] = field(default_factory=list)


_ready: set[str] = set()


def converted(chart: Chart, convert) -> Chart:
    """The chart with its words converted (convert: Simplified to Traditional), to be drawn again."""
    from dataclasses import replace

    return replace(chart, title=convert(chart.title), categories=[convert(c) for c in chart.categories],
                   series=[(convert(label), values) for label, values in chart.series],
                   value_labels=[convert(v) for v in chart.value_labels], alt=convert(chart.alt),
                   note=convert(chart.note), svg=b"", png=b"", texts=[])


def _setup(font_files: list[Path]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager, rcParams

    for path in font_files:
        if str(path) not in _ready:
            font_manager.fontManager.addfont(str(path))
            _ready.add(str(path))
    rcParams["svg.fonttype"] = "none"  # text stays text: searchable, and set in the document's fonts
    rcParams["svg.hashsalt"] = "aidreport"  # ids in the SVG do not change between runs
    rcParams["axes.spines.top"] = False
    rcParams["axes.spines.right"] = False


def draw(chart: Chart, lang: "Language", font_files: list[Path]) -> Chart:
    """Render the chart as SVG and PNG with the project's fonts."""
    _setup(font_files)
    import matplotlib.pyplot as plt

    from matplotlib import rcParams

    # Shaped in the chart's language (libraqm), never the machine's locale: 、 takes its Traditional
    # form in a Traditional chart on any machine.
    rcParams["text.language"] = lang.tag
    n = len(chart.categories)
    # Up to 17 bars, 0.42 in each; more share 7.2 in, so that 40 bars fit a page unscaled (8 in) with their
    # labels in a smaller size that still does not touch the next.
    step = min(STEP, TALL / max(n, 1))
    small = step < STEP
    fig, ax = plt.subplots(figsize=(6.3, 0.8 + step * n))
    family = list(lang.chart_families)
    left = [0.0] * n
    colours = [RED, LIGHT, GREY]
    positions = list(range(n))[::-1]
    for k, (label, values) in enumerate(chart.series):
        ax.barh(positions, values, left=left, color=colours[k % 3], height=0.6, label=label or None)
        left = [a + b for a, b in zip(left, values)]
    for y, total, text in zip(positions, left, chart.value_labels):
        ax.annotate(text, (total, y), xytext=(3, 0), textcoords="offset points", va="center", ha="left",
                    fontsize=7 if small else 8.5, family=family, color="#222222")
    ax.set_yticks(positions)
    ax.set_yticklabels(chart.categories, family=family, fontsize=7.5 if small else 9)
    ax.set_xlim(0, max(left) * 1.3 if max(left) > 0 else 1)
    ax.tick_params(axis="x", labelsize=7.5, colors=GREY)
    for tick in ax.get_xticklabels():
        tick.set_family(family)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(chart.title, family=family, fontsize=10.5, loc="left", color="#111111")
    if len(chart.series) > 1:
        ax.legend(prop={"family": family, "size": 8}, frameon=False, loc="lower right")
    fig.tight_layout()
    svg = io.BytesIO()
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    png = io.BytesIO()
    # 250 dpi for a chart of a few bars; a tall one keeps to about 2,000 pixels (its bitmap is in memory).
    height = fig.get_figheight()
    fig.savefig(png, format="png", dpi=min(250, max(120, 2000 / height)), metadata={"Software": None})
    plt.close(fig)
    text = svg.getvalue().decode("utf-8")
    chart.texts = [re.sub(r"\s+", " ", t).strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", text)]
    for name, css in CSS_FAMILY.items():
        text = text.replace(f"'{name}'", f"'{css}'").replace(f'"{name}"', f'"{css}"')
    chart.svg = text.encode("utf-8")
    chart.png = png.getvalue()
    return chart
