"""Row 4 of the benchmark (and 3c): synthetic corpora of 4, 16 and N districts, built by bench/synth.py.

4   each corpus built with --jobs 1 and --jobs 2: PDFs, times, peak memory;
4c  time per output at 16 and N districts against that at 4 (--jobs 2): the cost must not grow with the corpus;
3c  a no-op rebuild of the largest corpus against one WeasyPrint CLI run;
4a  peak memory of the largest corpus against one article's build;
4b  --jobs 2 against --jobs 1 at the largest corpus.

The builds are taken in turn (4, 16, N, 4, 16, N …), so that a machine whose speed drifts during the minutes
they take weighs on every corpus alike: taken one corpus after the other, a drift moved 4c from 0.9× to 1.5×.
"""

from __future__ import annotations

import statistics
from pathlib import Path


def corpus_rows(work: Path, runs: int, big: int, report, run, aidreport, weasy: list[str],
                one: list[int]) -> None:
    """Measure rows 4, 4c, 3c, 4a and 4b into report (run and aidreport: bench.py's helpers; weasy: the command
    of one WeasyPrint CLI run, row 3a's; one: the peak memory of one article's build)."""
    from synth import make

    median = statistics.median
    counts = (4, 16, big)
    projects = {count: make(work / f"synth{count}", count) for count in counts}
    for project in projects.values():
        run(aidreport("-C", str(project), "check"))
    times = {count: {1: [], 2: []} for count in counts}
    peaks: dict[int, list[int]] = {count: [] for count in counts}
    for i in range(runs):
        for jobs in (1, 2):
            for count in counts:
                if count > 16 and i >= max(1, runs - 1):
                    continue  # the largest corpus once less: it takes minutes a build
                elapsed, peak, _ = run(aidreport("-C", str(projects[count]), "build", "--force", "--jobs", str(jobs),
                                                 "-q", "-o", str(work / f"s{count}-{jobs}")))
                times[count][jobs].append(elapsed)
                peaks[count].append(peak)
    per_output: dict[int, list[float]] = {}
    for count in counts:
        folder = work / f"s{count}-2"
        docs = len(list(folder.rglob("*.pdf")))
        outputs = len([p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")])
        per_output[count] = [t / outputs for t in times[count][2]]
        report.fact(f"4 {count} synthetic districts",
                    f"{docs} PDFs (+ DOCX, HTML): --jobs 1 {median(times[count][1]):.1f} s, --jobs 2 "
                    f"{median(times[count][2]):.1f} s, peak {max(peaks[count]) // 1024} MB")
    for count in counts[1:]:
        report.ratio(f"4c time per output (--jobs 2), {count} vs 4 synthetic districts",
                     median(per_output[count]) / median(per_output[4]), 1.2,
                     detail=f"{1000 * median(per_output[count]):.0f} ms vs {1000 * median(per_output[4]):.0f} ms",
                     spread=(per_output[count], per_output[4]))
    # The no-op and the WeasyPrint run it is divided by, in turn: a tenth of a second over a second, taken
    # minutes apart (row 3a's WeasyPrint runs), moved with the machine's speed between them (1.07 s against 1.95 s).
    noop, cli = [], []
    for _ in range(runs):
        noop.append(run(aidreport("-C", str(projects[big]), "build", "-q", "-o", str(work / f"s{big}-2")))[0])
        cli.append(run(weasy)[0])
    report.ratio(f"3c no-op rebuild, {big} synthetic districts, vs one weasyprint CLI run", median(noop) / median(cli),
                 0.1, detail=f"{median(noop):.2f} s vs {median(cli):.2f} s", spread=(noop, cli))
    report.ratio(f"4a peak memory, {big} districts vs one article", max(peaks[big]) / median(one), 1.3,
                 detail=f"{max(peaks[big]) // 1024} MB vs {median(one) // 1024} MB", spread=([max(peaks[big])], one))
    report.ratio(f"4b throughput --jobs 2 vs --jobs 1, {big} districts", median(times[big][1]) / median(times[big][2]),
                 1.7, more_is_better=True, spread=(times[big][1], times[big][2]))
