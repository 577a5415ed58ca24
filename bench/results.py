"""The benchmark's last results: kept in bench/results.json and shown in docs/fonts-and-speed.md, never typed.

bench/run writes results.json and rewrites that page's block between the two BEGIN/END markers
from it; tests/test_docs.py checks that the block still says what the file holds.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
PAGE = HERE.parent / "docs" / "fonts-and-speed.md"
BEGIN = "<!-- bench results: written by bench/run, do not edit -->"
END = "<!-- end of bench results -->"


def block(results: dict) -> str:
    """Return the page's block for these results: when and where measured, then one row per measurement."""
    lines = [BEGIN, "",
             f"Measured by `bench/run {results['args']}` on {results['date']}, {results['cores']} cores "
             f"({results['machine']}):", "",
             "| | measurement | result | |", "|---|---|---|---|"]
    for name, value, detail, ok in results["rows"]:
        mark = "" if ok is None else ("pass" if ok else "**miss**")
        number, _, label = name.partition(" ")
        lines.append(f"| {number} | {label} | {value} {detail}".rstrip() + f" | {mark} |")
    return "\n".join(lines + ["", END])


def page_block(text: str) -> str:
    """Return the block as it stands in the page's text."""
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[start:end]


def save(results: dict) -> None:
    """Keep the results and show them in the page."""
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    text = PAGE.read_text(encoding="utf-8")
    PAGE.write_text(text.replace(page_block(text), block(results)), encoding="utf-8")


def load() -> dict:
    return json.loads(RESULTS.read_text(encoding="utf-8"))
