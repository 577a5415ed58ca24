"""The comparison brief's pandas and matplotlib work, in a short-lived process of its own.

Together the two libraries add about 75 MB to a process, and a process keeps what it imported until
it ends: a build worker that made the brief's table and charts would carry them through every later
job, and on a large corpus on top of the brief's own layout. So the indicator matrix and the charts
of both languages are made in a child process, a fresh interpreter (a fork would carry the parent's
memory with it), which exits when they are done. It imports only this module, pandas, matplotlib
and generator.charts. What it makes is kept in the user's cache (cache.py), keyed by everything it
depends on, so the same figures are drawn once.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .charts import Chart

# One record per district figure of an indicator: (indicator id, district id, fact id or None).
Record = tuple[str, str, "str | None"]


@dataclass
class Request:
    records: list[Record]
    indicators: list[str]
    districts: list[str]
    charts: list[tuple[Chart, str]] = field(default_factory=list)  # (chart to draw, language)
    fonts: list[Path] = field(default_factory=list)


@dataclass
class Result:
    cells: dict[tuple[str, str], list[str]]  # (indicator, district) -> the ids of its facts
    charts: list[Chart]


def matrix(records: list[Record], indicators: list[str], districts: list[str]):
    """Return the indicator table as a pandas DataFrame: indicators by districts, each cell its fact ids."""
    import pandas as pd

    df = pd.DataFrame.from_records(records, columns=["indicator", "district", "fact"])
    cells = df.groupby(["indicator", "district"], sort=False)["fact"].agg(lambda s: [f for f in s if f])
    return cells.unstack("district").reindex(index=indicators, columns=districts)


def compute(request: Request) -> Result:
    """Make the table and draw the charts (in the child process)."""
    import gc

    from .charts import draw

    table = matrix(request.records, request.indicators, request.districts)
    cells = {(i, d): list(table.at[i, d]) if isinstance(table.at[i, d], list) else []
             for i in request.indicators for d in request.districts}
    del table
    charts = []
    for chart, lang in request.charts:
        charts.append(draw(chart, lang, request.fonts))
        gc.collect()  # a closed figure is a tangle of cycles: free it before the next is drawn
    return Result(cells, charts)


def run(request: Request) -> Result:
    """Return the request's result: from the user's cache, else computed in a child process and kept there.

    The table and charts are a pure function of the request, the fonts' bytes, the libraries and this
    code, and the key holds all of them: a cached result is the bytes a fresh one would be (the
    determinism tests compare builds with and without it). A first build draws the charts; a
    forced rebuild, a new clone or a CI run of the same figures takes them from the cache.
    """
    from .cache import Cache
    from .memory import in_child

    cache, key = Cache(), _key(request)
    found = cache.get(key, ".json")
    if found is not None:
        try:
            return _decode(found.read_bytes())
        except (OSError, ValueError, KeyError, TypeError):
            found.unlink(missing_ok=True)  # unreadable: made again below
    result = in_child("generator.offload", request, "making the brief's table and charts")
    cache.put(key, ".json", _encode(result))
    return result


def _key(request: Request) -> str:
    from importlib.metadata import version

    here = Path(__file__).parent
    code = [hashlib.sha256((here / name).read_bytes()).hexdigest() for name in ("offload.py", "charts.py")]
    # The fonts come from the cache, whose file names carry the hash of their (checked) bytes.
    fonts = [path.name for path in request.fonts]
    charts = [[asdict(chart), lang] for chart, lang in request.charts]
    body = json.dumps([request.records, request.indicators, request.districts, charts, fonts, code,
                       [version(lib) for lib in ("matplotlib", "pandas", "numpy")]],
                      ensure_ascii=False, default=_bytes_hex, sort_keys=True)
    return "brief" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:24]


def _bytes_hex(value: object) -> str:
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"cannot key a {type(value).__name__}")


def _encode(result: Result) -> bytes:
    charts = [{**asdict(chart), "svg": chart.svg.decode("utf-8"), "png": base64.b64encode(chart.png).decode("ascii")}
              for chart in result.charts]
    cells = [[indicator, district, ids] for (indicator, district), ids in result.cells.items()]
    return json.dumps({"cells": cells, "charts": charts}, ensure_ascii=False).encode("utf-8")


def _decode(data: bytes) -> Result:
    body = json.loads(data)
    charts = []
    for c in body["charts"]:
        c.update(svg=c["svg"].encode("utf-8"), png=base64.b64decode(c["png"]),
                 series=[(label, values) for label, values in c["series"]])
        charts.append(Chart(**c))
    return Result({(indicator, district): ids for indicator, district, ids in body["cells"]}, charts)


if __name__ == "__main__":
    # By its package name, so that what is sent back unpickles as generator.offload.Result.
    from generator import offload
    from generator.memory import serve

    serve(offload.compute)
