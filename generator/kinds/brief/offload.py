"""The comparison brief's pandas and matplotlib work, in a short-lived process of its own.

Together the two libraries add about 75 MB to a process, and a process keeps what it imported until
it ends: a build worker that made the brief's table and charts would carry them through every later
job, and on a large corpus on top of the brief's own layout. So the indicator matrix and the charts
of both languages are made in a child process, a fresh interpreter (a fork would carry the parent's
memory with it), which exits when they are done. It imports only this module, pandas, matplotlib,
the comparison and the tidy table (records/table.py). What it makes is kept in the user's cache (cache.py), keyed by everything it
depends on, so the same figures are drawn once.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .charts import Chart
from .comparison import Ranking
from ...words.lang import Language

MAX_BARS = 40  # every district of a series of 40; beyond, the largest (the table has them all)

@dataclass
class Request:
    rows: list[tuple]  # records/table.py's rows: the districts' figures, the computed counts among them
    gathers: list[tuple[str, str]]  # (indicator, measure): which measures each indicator gathers
    indicators: list[str]
    districts: list[str]
    charts: list[tuple[Chart, Language]] = field(default_factory=list)  # (chart drawn as it is, language)
    ranked_charts: list[tuple[str, Language, str, dict[str, str]]] = field(default_factory=list)
    # (indicator, language, label, district names): a chart of the indicator's ranked figures
    fonts: list[Path] = field(default_factory=list)
    # Each chart of the first language drawn again in another: (its language, the language it converts,
    # the converter's OpenCC configuration and names). The Traditional edition's, which its DOCX shows.
    again: tuple[Language, str, str, tuple[tuple[str, str], ...]] | None = None
    salt: str = ""  # the hash of what draws a chart (this code, the libraries, the fonts): set by run()


@dataclass
class Result:
    cells: dict[tuple[str, str], list[str]]  # (indicator, district) -> the ids of its facts
    charts: list[Chart]
    rankings: dict[str, Ranking] = field(default_factory=dict)
    langs: list[str] = field(default_factory=list)  # each chart's language, by its code
    again: list[Chart] = field(default_factory=list)  # the charts drawn again (Request.again), for the document


def compute(request: Request) -> Result:
    """Make the table and the rankings, and draw the charts (in the child process)."""
    import gc

    from .charts import draw
    from .comparison import gathered, matrix, rank
    from ...records.table import frame

    df = gathered(frame(request.rows, request.gathers), request.districts)
    table = matrix(df, request.indicators, request.districts)
    cells = {(i, d): list(table.at[i, d]) if isinstance(table.at[i, d], list) else []
             for i in request.indicators for d in request.districts}
    rankings = rank(df, request.indicators, request.districts)
    values = {(d, f): v for d, f, v in zip(df["record"], df["fact"], df["value"])}
    del table, df
    specs = list(request.charts)
    for indicator, lang, label, names in request.ranked_charts:
        chart = ranked_chart(indicator, rankings[indicator], lang, label, names, values)
        if chart is not None:
            specs.append((chart, lang))
    if request.again is not None:  # in the same process: its imports and fonts are ready
        from .charts import converted
        from ...words.hanzi import Converter

        lang, source, config, names = request.again
        convert = Converter(config, names)
        specs += [(converted(chart, convert), lang) for chart, of in list(specs) if of.code == source]
    charts = []
    for chart, lang in specs:
        charts.append(_drawn(chart, lang, request, draw))
        gc.collect()  # a closed figure is a tangle of cycles: free it before the next is drawn
    return Result(cells, charts, rankings, [lang.code for _, lang in specs])


def _drawn(chart: Chart, lang: Language, request: Request, draw) -> Chart:
    """The chart drawn, or as the user's cache keeps it from an earlier drawing of the same chart (its words,
    figures and language, with the request's salt): a figure changed redraws its own charts only."""
    from ...cache import Cache

    cache = Cache()
    body = json.dumps([asdict(chart), lang.code, request.salt], ensure_ascii=False, sort_keys=True,
                      default=_bytes_hex)
    key = "chart" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:24]
    found = cache.get(key, ".json")
    if found is not None:
        try:
            return _chart_from(json.loads(found.read_bytes()))
        except (OSError, ValueError, KeyError, TypeError):
            found.unlink(missing_ok=True)  # unreadable: drawn again below
    made = draw(chart, lang, request.fonts)
    cache.put(key, ".json", json.dumps(_chart_json(made), ensure_ascii=False).encode("utf-8"))
    return made


def ranked_chart(indicator: str, ranking: Ranking, lang: Language, label: str, names: dict[str, str],
                 values: dict[tuple[str, str], float]) -> Chart | None:
    """Chart an indicator's ranked group only (the rest is in the table); the largest MAX_BARS at most."""
    if len(ranking.ranked) < 2:
        return None
    kept = ranking.ranked[:MAX_BARS]  # a chart of hundreds of bars says nothing
    figures = [float(values[(district, fact)]) for district, fact, _ in kept]
    title = label + lang.bracket(lang.period(ranking.period))
    return Chart(indicator, title, [names[d] for d, _, _ in kept], [("", figures)],
                 [lang.plain(v) for v in figures], "", "")


def run(request: Request) -> Result:
    """Return the request's result: from the user's cache, else computed in a child process and kept there.

    The table and charts are a pure function of the request, the fonts' bytes, the libraries and this
    code, and the key holds all of them: a cached result is the bytes a fresh one would be (the
    determinism tests compare builds with and without it). A first build draws the charts; a
    forced rebuild, a new clone or a CI run of the same figures takes them from the cache.
    """
    from ...cache import Cache
    from ...memory import in_child

    request.salt = _salt(request)
    cache, key = Cache(), _key(request)
    found = cache.get(key, ".json")
    if found is not None:
        try:
            return _decode(found.read_bytes())
        except (OSError, ValueError, KeyError, TypeError):
            found.unlink(missing_ok=True)  # unreadable: made again below
    result = in_child("generator.kinds.brief.offload", request, "making the brief's table and charts")
    cache.put(key, ".json", _encode(result))
    return result


def _salt(request: Request) -> str:
    """Hash what draws the charts and ranks the figures besides the request's data: this code, the
    libraries and the fonts (from the cache, whose file names carry the hash of their checked bytes)."""
    from importlib.metadata import version

    from ...words.hanzi import opencc_version

    here = Path(__file__).parent
    files = [here / "offload.py", here / "charts.py", here / "comparison.py", here.parent.parent / "words" / "lang.py",
             here.parent.parent / "words" / "hanzi.py", here.parent.parent / "records" / "table.py"]
    code = [hashlib.sha256(path.read_bytes()).hexdigest() for path in files]
    body = json.dumps([code, [path.name for path in request.fonts], opencc_version(),
                       [version(lib) for lib in ("matplotlib", "pandas", "numpy")]])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:24]


def _key(request: Request) -> str:
    charts = [[asdict(chart), lang.code] for chart, lang in request.charts]
    ranked = [[indicator, lang.code, label, names] for indicator, lang, label, names in request.ranked_charts]
    again = None if request.again is None else [request.again[0].code, *request.again[1:]]
    body = json.dumps([request.rows, request.gathers, request.indicators, request.districts, charts,
                       ranked, again, request.salt], ensure_ascii=False, default=_bytes_hex, sort_keys=True)
    return "brief" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:24]


def _bytes_hex(value: object) -> str:
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"cannot key a {type(value).__name__}")


def _chart_json(chart: Chart) -> dict:
    return {**asdict(chart), "svg": chart.svg.decode("utf-8"), "png": base64.b64encode(chart.png).decode("ascii")}


def _chart_from(c: dict) -> Chart:
    c.update(svg=c["svg"].encode("utf-8"), png=base64.b64decode(c["png"]),
             series=[(label, values) for label, values in c["series"]])
    return Chart(**c)


def _encode(result: Result) -> bytes:
    charts = [_chart_json(chart) for chart in result.charts]
    cells = [[indicator, district, ids] for (indicator, district), ids in result.cells.items()]
    rankings = {i: asdict(r) for i, r in result.rankings.items()}
    return json.dumps({"cells": cells, "charts": charts, "rankings": rankings, "langs": result.langs}, ensure_ascii=False).encode("utf-8")


def _decode(data: bytes) -> Result:
    body = json.loads(data)
    charts = [_chart_from(c) for c in body["charts"]]
    rankings = {i: Ranking(r["period"], [tuple(x) for x in r["ranked"]], [tuple(x) for x in r["apart"]],
                           r["missing"]) for i, r in body["rankings"].items()}
    return Result({(indicator, district): ids for indicator, district, ids in body["cells"]}, charts, rankings,
                  body["langs"])


if __name__ == "__main__":
    # By its package name, so that what is sent back unpickles as generator.kinds.brief.offload.Result.
    from generator.kinds.brief import offload
    from generator.memory import serve

    serve(offload.compute)
