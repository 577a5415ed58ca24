"""The comparison brief's pandas and matplotlib work, in a short-lived process of its own.

Together the two libraries add about 75 MB to a process, and a process keeps what it imported until
it ends: a build worker that made the brief's table and charts would carry them through every later
job, and on a large corpus on top of the brief's own layout. So the indicator matrix and the charts
of both languages are made in a child process, a fresh interpreter (a fork would carry the parent's
memory with it), which exits when they are done. It imports only this module, pandas, matplotlib
and generator.charts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    """Compute the request in a child process and return its result."""
    from .memory import in_child

    return in_child("generator.offload", request, "making the brief's table and charts")


if __name__ == "__main__":
    # By its package name, so that what is sent back unpickles as generator.offload.Result.
    from generator import offload
    from generator.memory import serve

    serve(offload.compute)
