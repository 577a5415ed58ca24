"""Benchmark: aidreport against the obvious pipeline built from the same libraries, in one run.

Run it with `bench/run` (see docs/fonts-and-speed.md). Every figure is a median over --runs runs, measured here
and now; the targets are ratios, so the machine's speed cancels out. Synthetic corpora are made
by bench/synth.py into a temporary folder, never into data/.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
ARTICLE = "baoshan-minhang-jiading-jinshan"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from docxrow import docx_rows  # noqa: E402  (bench/ is on the path from here)
from previewrow import preview_rows  # noqa: E402
from corpusrows import corpus_rows  # noqa: E402


# A small process that runs the command and reports the peak resident memory of it and of every
# process under it. (Measuring from this process instead would count its own memory: a child's
# peak is not reset when it execs.)
PEAK = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
        "print('PEAK', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, flush=True); sys.exit(r.returncode)")


def run(cmd: list[str], env: dict | None = None, cwd: Path = ROOT) -> tuple[float, int, str]:
    """Run a command; return its wall time, the peak RSS (KiB) of it and its processes, and its output."""
    start = time.perf_counter()
    proc = subprocess.run([PY, "-c", PEAK, *cmd], cwd=cwd, env={**os.environ, **(env or {})},
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    elapsed = time.perf_counter() - start
    out = proc.stdout.decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{out}")
    lines = out.rstrip().splitlines()
    peak = int(lines[-1].split()[1])
    return elapsed, peak, "\n".join(lines[:-1])


def median(values: list[float]) -> float:
    return statistics.median(values)


def aidreport(*args: str) -> list[str]:
    return [PY, "-m", "generator", *args]


class Report:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, bool | None]] = []

    def ratio(self, name: str, value: float, target: float, more_is_better: bool = False, detail: str = "",
              spread: tuple[list[float], list[float]] | None = None) -> None:
        """A ratio against its target; spread (the runs of each side): the range the ratio of any two runs
        falls in, from the fastest of one side over the slowest of the other, which a later run is judged by."""
        ok = value >= target if more_is_better else value <= target
        sign = "≥" if more_is_better else "≤"
        shown = f"{value:.2f}× (target {sign} {target}×)"
        if spread is not None:
            ours, theirs = spread
            shown += f", runs {min(ours) / max(theirs):.2f}–{max(ours) / min(theirs):.2f}×"
        self.rows.append((name, shown, detail, ok))
        print(f"  {name}: {shown} {'PASS' if ok else 'FAIL'}  {detail}", flush=True)

    def fact(self, name: str, text: str, ok: bool | None = None) -> None:
        self.rows.append((name, text, "", ok))
        print(f"  {name}: {text}" + ("" if ok is None else (" PASS" if ok else " FAIL")), flush=True)


def pdffonts_ok(path: Path) -> bool:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    return bool(rows) and all(r.split()[-5:-3] == ["yes", "yes"] for r in rows)


def full_faces(folder: Path) -> list:
    """Write every face whole (a variable one pinned at its axes) for the baseline, which embeds full fonts."""
    import uharfbuzz as hb

    from generator.fonts.faces import FACES, Face, open_source, pin_axes

    folder.mkdir(parents=True, exist_ok=True)
    faces = []
    for i, spec in enumerate(FACES):
        face = open_source(spec)
        plan = hb.SubsetInput()
        plan.keep_everything()
        pin_axes(plan, face, spec)
        path = folder / f"{i}-{spec.family.replace(' ', '')}.font"
        path.write_bytes(hb.subset(face, plan).blob.data)
        faces.append(Face(spec, path))
    return faces


def tagging_cost(writer, doc, runs: int, report: Report) -> None:
    """The article's PDF tagged (PDF/UA-1, as every build writes it) against the same writer untagged."""
    times: dict[bool, list[float]] = {True: [], False: []}
    for i in range(8 * max(runs, 2)):
        # Taken in turn (tagged, untagged, untagged, tagged …), so that whatever else the machine does
        # weighs on both alike; a difference of a few per cent wants many runs.
        writer.tagged = i % 4 in (0, 3)
        gc.collect()  # as timeit does: no collection of an earlier write's garbage inside this one's time
        gc.disable()
        start = time.process_time()  # this process's own time: what the others on the machine do is left out
        writer.write(doc)
        times[writer.tagged].append(time.process_time() - start)
        gc.enable()
    writer.tagged = True
    tagged, untagged = median(times[True]), median(times[False])
    report.ratio("1d PDF time per article, tagged (PDF/UA-1) vs untagged", tagged / untagged, 1.15,
                 detail=f"{tagged:.2f} s vs {untagged:.2f} s", spread=(times[True], times[False]))


def first_build(work: Path, runs: int, report: Report) -> None:
    """A first build (no output/, empty font cache) against a warm --force build; font preparation alone."""
    from generator.cache import Cache
    from generator.fonts.faces import prepare_fonts

    cold, warm, prep = [], [], []
    for i in range(runs):
        project, cache = work / f"first{i}" / "project", work / f"first{i}" / "cache"
        for name in ("data", "templates"):
            shutil.copytree(ROOT / name, project / name)
        # As on a new machine: no font cache of ours, and none of matplotlib's either.
        env = {"AIDREPORT_CACHE_DIR": str(cache), "MPLCONFIGDIR": str(cache.with_name("matplotlib"))}
        elapsed, _, said = run(aidreport("-C", str(project), "build"), env=env)
        if not said.startswith("preparing fonts (not cached yet"):
            raise SystemExit(f"a first build did not say it prepares the fonts:\n{said}")
        cold.append(elapsed)
        warm.append(run(aidreport("-C", str(project), "build", "--force", "-q"), env=env)[0])
        empty = Cache(work / f"first{i}" / "prep")
        start = time.perf_counter()
        prepare_fonts(ROOT, empty)
        prep.append(time.perf_counter() - start)
    report.ratio("7a first build (no output/, empty cache) vs warm --force build", median(cold) / median(warm), 1.5,
                 detail=f"{median(cold):.1f} s vs {median(warm):.1f} s", spread=(cold, warm))
    report.fact("7b font preparation, every face, empty cache", f"{median(prep):.2f} s (target ≤ 2 s)",
                median(prep) <= 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--big", type=int, default=160, help="districts in the large synthetic corpus")
    parser.add_argument("--no-save", action="store_true", help="do not keep the results in docs/fonts-and-speed.md")
    parser.add_argument("--only", choices=["4", "5", "7", "8"], help="measure one row alone (4: synthetic corpora, "
                        "5: DOCX, 7: first build, 8: preview); its results are printed, not kept")
    args = parser.parse_args()
    runs = args.runs
    report = Report()
    work = Path(tempfile.mkdtemp(prefix="aidreport-bench-"))
    print(f"aidreport benchmark: {runs} runs each, {os.cpu_count()} cores, work folder {work}", flush=True)

    from generator.build.run import check_project
    from generator.context import make_context
    from generator.fonts.faces import font_face_css

    # Inputs both pipelines share: the toolkit's HTML and the full fonts' @font-face rules.
    html_dir = work / "html"
    run(aidreport("build", "--format", "html", "--force", "-q", "-o", str(html_dir)))
    fonts_css = work / "full-fonts.css"
    fonts_css.write_text(font_face_css(full_faces(work / "full-fonts")), encoding="utf-8")
    htmls = sorted(html_dir.rglob("*.html"))
    if args.only:
        print(f"{args.only}. one row alone", flush=True)
        if args.only == "4":
            weasy = [str(Path(PY).with_name("weasyprint")), "-s", str(fonts_css),
                     str(html_dir / "zh" / "articles" / f"{ARTICLE}.html"), str(work / "cli.pdf")]
            one = [run(aidreport("build", "--only", f"articles/{ARTICLE}", "--force", "--jobs", "1", "-q", "-o",
                                 str(work / "one")))[1] for _ in range(runs)]
            corpus_rows(work, runs, args.big, report, run, aidreport, weasy, one)
        elif args.only == "5":
            docx_rows(work, html_dir, runs, report, run, aidreport, ROOT)
        elif args.only == "7":
            first_build(work, runs, report)
        else:
            preview_rows(work, max(10, runs), report, aidreport, ROOT)
        shutil.rmtree(work, ignore_errors=True)
        return
    article_html = html_dir / "zh" / "articles" / f"{ARTICLE}.html"

    # 1. PDF per article, in process: the toolkit's writer against stock WeasyPrint, full fonts.
    print("1. PDF of one article, in process", flush=True)
    import weasyprint
    from weasyprint import CSS, HTML

    dataset = check_project(ROOT)
    ctx = make_context(ROOT, work / "out1", dataset)
    ctx.dataset = dataset
    from generator.build.plan import plan
    from generator.render.renderer import Renderer
    from generator.build.worker import render_job
    from generator.writers.pdf import PdfWriter

    renderer = Renderer(ROOT, dataset)
    job = next(j for j in plan(dataset) if j.kind == "article")
    doc = render_job(renderer, job, "zh", ctx)
    writer = PdfWriter(ctx)
    ours_pdf = writer.write(doc)  # warm-up: the toolkit keeps one font configuration per process
    ours = []
    for _ in range(runs):
        t = time.perf_counter()
        ours_pdf = writer.write(doc)
        ours.append(time.perf_counter() - t)
    stock = []
    stock_css = fonts_css.read_text(encoding="utf-8")
    # Stock WeasyPrint makes the same kind of PDF, tagged PDF/UA-1 as every build's (1d measures tagging).
    stock_pdf = HTML(string=doc.html, base_url=str(ROOT / "templates") + "/").write_pdf(
        stylesheets=[CSS(string=stock_css)], pdf_variant=PdfWriter.variant)
    for _ in range(runs):
        t = time.perf_counter()
        stock_pdf = HTML(string=doc.html, base_url=str(ROOT / "templates") + "/").write_pdf(
            stylesheets=[CSS(string=stock_css)], pdf_variant=PdfWriter.variant)
        stock.append(time.perf_counter() - t)
    (work / "ours.pdf").write_bytes(ours_pdf)
    (work / "stock.pdf").write_bytes(stock_pdf)
    report.ratio("1a PDF time per article vs stock WeasyPrint, both tagged", median(ours) / median(stock), 0.75,
                 detail=f"{median(ours):.2f} s vs {median(stock):.2f} s", spread=(ours, stock))
    report.ratio("1b PDF size vs stock WeasyPrint, both tagged", len(ours_pdf) / len(stock_pdf), 0.45,
                 detail=f"{len(ours_pdf) // 1024} KB vs {len(stock_pdf) // 1024} KB")
    report.fact("1c every font embedded and subset", "yes" if pdffonts_ok(work / "ours.pdf") else "no",
                pdffonts_ok(work / "ours.pdf"))
    tagging_cost(writer, doc, runs, report)
    del writer, renderer, weasyprint

    # 2. Full build of the real data, --jobs 2, against the bare baseline, one process per document.
    print("2. Full build of the real data", flush=True)
    full = []
    for i in range(runs):
        out = work / f"full{i}"
        full.append(run(aidreport("build", "--force", "--jobs", "2", "-q", "-o", str(out)))[0])
    base = []
    for i in range(max(1, runs)):
        out = work / f"base{i}"
        t = time.perf_counter()
        for html in htmls:
            rel = html.relative_to(html_dir)
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(html, out / rel)
            run([PY, str(ROOT / "bench" / "baseline.py"), str(html), str((out / rel).with_suffix(".pdf")),
                 str(fonts_css)])
            run(["pandoc", "-f", "html", "-t", "docx", "-o", str((out / rel).with_suffix(".docx")), str(html)])
        base.append(time.perf_counter() - t)
    report.ratio("2 full build (--jobs 2) vs baseline", median(full) / median(base), 0.3,
                 detail=f"{median(full):.1f} s vs {median(base):.1f} s for {len(htmls)} documents x 3 formats",
                 spread=(full, base))

    # 3. No-op rebuild against one stock weasyprint CLI run; a one-figure change rebuilds its dependants.
    print("3. Rebuilds", flush=True)
    out = work / "full0"
    noop = [run(aidreport("build", "-q", "-o", str(out)))[0] for _ in range(runs)]
    weasy_cli = str(Path(PY).with_name("weasyprint"))
    cli = [run([weasy_cli, "-s", str(fonts_css), str(article_html), str(work / "cli.pdf")])[0] for _ in range(runs)]
    report.ratio("3a no-op rebuild vs one weasyprint CLI run", median(noop) / median(cli), 0.1,
                 detail=f"{median(noop):.2f} s vs {median(cli):.2f} s", spread=(noop, cli))
    copy = work / "project"
    for name in ("data", "templates"):
        shutil.copytree(ROOT / name, copy / name)
    run(aidreport("-C", str(copy), "build", "-q"))
    record = copy / "data/districts/baoshan.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("{id: luoping-firms, value: 5,",
                                                                 "{id: luoping-firms, value: 6,"), encoding="utf-8")
    _, _, said = run(aidreport("-C", str(copy), "build"))
    rebuilt = sorted(line.split(":")[0].removeprefix("rebuilt ") for line in said.splitlines()
                     if line.startswith("rebuilt "))
    # The two documents that print it (the fact sheet sums up each area with an item that does not).
    expected = [f"articles/{ARTICLE}", "press/district-baoshan"]
    report.fact("3b one figure changed rebuilds", ", ".join(rebuilt), rebuilt == expected)

    # 4. Synthetic corpora: how cost grows, peak memory, and what a second worker buys (bench/corpusrows.py).
    print("4. Synthetic corpora", flush=True)
    one = [run(aidreport("build", "--only", f"articles/{ARTICLE}", "--force", "--jobs", "1", "-q", "-o",
                         str(work / "one")))[1] for _ in range(runs)]
    corpus_rows(work, runs, args.big, report, run, aidreport,
                [weasy_cli, "-s", str(fonts_css), str(article_html), str(work / "cli.pdf")], one)

    # 5. DOCX of one article (both languages), whole process, against pandoc; what embedding the faces costs.
    print("5. DOCX of one article", flush=True)
    docx_rows(work, html_dir, runs, report, run, aidreport, ROOT)

    # 6. Without HarfBuzz-subset: a warning, and the article PDF at most 2.5x the time with it.
    print("6. Without HarfBuzz-subset", flush=True)
    pdf_args = aidreport("build", "--only", f"articles/{ARTICLE}", "--format", "pdf", "--force", "--jobs", "1",
                         "-o", str(work / "nohb"))
    with_hb = [run(pdf_args)[0] for _ in range(runs)]
    without, warned = [], False
    for _ in range(runs):
        elapsed, _, said = run(pdf_args, env={"AIDREPORT_ASSUME_NO_HB_SUBSET": "1"})
        without.append(elapsed)
        warned = warned or "warning: libharfbuzz-subset is not installed" in said
    report.fact("6a warning without HarfBuzz-subset", "printed" if warned else "missing", warned)
    report.ratio("6b article PDF without vs with HarfBuzz-subset", median(without) / median(with_hb), 2.5,
                 detail=f"{median(without):.2f} s vs {median(with_hb):.2f} s", spread=(without, with_hb))

    print("7. First build", flush=True)
    first_build(work, runs, report)

    print("8. Preview", flush=True)
    preview_rows(work, max(10, runs), report, aidreport, ROOT)

    print("\nsummary")
    failed = [name for name, _, _, ok in report.rows if ok is False]
    for name, value, detail, ok in report.rows:
        mark = "" if ok is None else ("PASS" if ok else "FAIL")
        print(f"  {mark:4}  {name}: {value} {detail}")
    shutil.rmtree(work, ignore_errors=True)
    print(f"\n{len(failed)} target(s) missed" if failed else "\nevery target met")
    if not args.no_save:
        import platform

        from results import save

        given = " ".join(sys.argv[1:])
        save({"date": time.strftime("%Y-%m-%d"), "cores": os.cpu_count(), "args": given or "(defaults)",
              "machine": f"{platform.machine()}, Python {platform.python_version()}",
              "rows": [list(row) for row in report.rows]})
        print("results kept in bench/results.json and shown in docs/fonts-and-speed.md")


if __name__ == "__main__":
    main()
