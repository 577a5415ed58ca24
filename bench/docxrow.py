"""Row 5 of the benchmark: the DOCX of one article, against pandoc, and what embedding its faces costs.

5   the whole process (`aidreport build --format docx`, zh + en) against pandoc writing the same HTML.
5b  the writer in process, with the faces embedded against without (the cache warm, as in every build
    after the first): time per article (zh + en) and the DOCX's size.
5c  the same writer with an empty cache, in a fresh process's state: what the first build pays to make
    the embedded faces (the Chinese ones drawn again in quadratic curves).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

ARTICLE = "baoshan-minhang-jiading-jinshan"


def docx_rows(work: Path, html_dir: Path, runs: int, report, run, aidreport, root: Path) -> None:
    """Measure rows 5, 5b and 5c into report (run and aidreport: bench.py's helpers)."""
    # The two languages pandoc writes, not the editions a build also derives (zh-Hant, side by side).
    ours = [run(aidreport("build", "--only", f"zh/articles/{ARTICLE}", "--only", f"en/articles/{ARTICLE}",
                          "--format", "docx", "--force", "--jobs", "1", "-q", "-o", str(work / "docx")))[0]
            for _ in range(runs)]
    pandoc = []
    for _ in range(runs):
        t = time.perf_counter()
        for lang in ("zh", "en"):
            run(["pandoc", "-f", "html", "-t", "docx", "-o", str(work / f"p-{lang}.docx"),
                 str(html_dir / lang / "articles" / f"{ARTICLE}.html")])
        pandoc.append(time.perf_counter() - t)
    median = statistics.median
    report.ratio("5 DOCX of one article (zh + en), whole process, vs pandoc", median(ours) / median(pandoc), 3.5,
                 detail=f"{median(ours):.2f} s vs {median(pandoc):.2f} s", spread=(ours, pandoc))
    embedding_cost(work, runs, report, root)


def embedding_cost(work: Path, runs: int, report, root: Path) -> None:
    """Rows 5b and 5c: the DOCX writer in this process, with and without embedding, warm and cold."""
    from generator.fonts import embed as fontembed
    from generator.build.run import check_project
    from generator.cache import Cache
    from generator.context import make_context
    from generator.build.plan import plan
    from generator.render.renderer import Renderer
    from generator.build.worker import render_job
    from generator.writers import docx

    dataset = check_project(root)
    ctx = make_context(root, work / "out5", dataset)
    ctx.dataset = dataset
    job = next(j for j in plan(dataset) if j.kind == "article" and j.label.endswith(ARTICLE))
    docs = [render_job(Renderer(root, dataset), job, lang, ctx) for lang in ("zh", "en")]
    writer = docx.DocxWriter(ctx)
    embed = docx.embed_fonts

    def write_all(on: bool) -> tuple[float, list[int]]:
        docx.embed_fonts = embed if on else (lambda *args: None)
        start = time.process_time()  # this process's own time: what the others on the machine do is left out
        sizes = [len(writer.write(doc)) for doc in docs]
        return time.process_time() - start, sizes

    write_all(True)  # warm: the faces in the cache, the libraries loaded
    times: dict[bool, list[float]] = {True: [], False: []}
    sizes: dict[bool, list[int]] = {}
    for i in range(4 * max(runs, 2)):
        on = i % 4 in (0, 3)  # taken in turn, so that the machine's other work weighs on both alike
        elapsed, sizes[on] = write_all(on)
        times[on].append(elapsed)
    docx.embed_fonts = embed
    with_, without = statistics.median(times[True]), statistics.median(times[False])
    kb = {on: " + ".join(f"{size // 1024}" for size in sizes[on]) for on in (True, False)}
    report.fact("5b DOCX embedding its faces, article zh + en, warm cache",
                f"{with_:.2f} s vs {without:.2f} s without ({with_ / without:.2f}×); {kb[True]} KB vs "
                f"{kb[False]} KB without")
    cold = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(dir=work) as folder:
            fontembed._GLYPHS.clear()  # as a new worker process starts
            writer.cache = Cache(Path(folder))
            cold.append(write_all(True)[0])
    report.fact("5c DOCX embedding, article zh + en, empty cache (first build)",
                f"{statistics.median(cold):.2f} s vs {with_:.2f} s warm")
