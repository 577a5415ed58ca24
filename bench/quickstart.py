"""Time the README's two commands in a fresh clone, and write what they take into the README.

`bench/quickstart` clones the committed project into a temporary folder and runs `make build` then
`make test` there, as a new user would, with an empty font cache of its own. It keeps the times, the
number of outputs the build made and the size of one set of prepared faces in bench/quickstart.json,
and writes them into the README's quick start between the two markers below, so those numbers are
measured, never typed (tests/test_docs.py checks that the block says what the file holds).

What it cannot measure here: the Debian packages `scripts/setup-system` installs are already on this
machine, and pip takes the wheels from its cache; the block says so.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "quickstart.json"
README = ROOT / "README.md"
BEGIN = "<!-- quick start times: written by bench/quickstart, do not edit -->"
END = "<!-- end of quick start times -->"


def _minutes(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.1f} min"


def block(results: dict) -> str:
    """The README's sentence on what the two commands take, from the last measurement."""
    return "\n".join([
        BEGIN,
        f"Measured by `bench/quickstart` on {results['date']} in a fresh clone ({results['cores']} cores, "
        f"{results['machine']}; the Debian packages already installed, pip's downloads cached): "
        f"`make build` took {_minutes(results['build_s'])} ({_minutes(results['setup_s'])} to set up `.venv`, "
        f"then a first build of {results['outputs']} outputs with the fonts prepared afresh), and "
        f"`make test` {_minutes(results['test_s'])} ({results['tests']}). The faces the build prepared, for "
        f"the PDFs and the copies the DOCX embed, take {results['faces_mb']:.1f} MB of the font cache.",
        END])


def readme_block(text: str) -> str:
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[start:end]


def load() -> dict:
    return json.loads(RESULTS.read_text(encoding="utf-8"))


def _timed(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    start = time.monotonic()
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed in the clone:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def measure() -> dict:
    with tempfile.TemporaryDirectory(prefix="aidreport-quickstart-") as folder:
        clone, cache = Path(folder) / "aidreport", Path(folder) / "cache"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        env = {**{k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")},
               "AIDREPORT_CACHE_DIR": str(cache), "MPLCONFIGDIR": str(Path(folder) / "matplotlib")}
        setup_s, _ = _timed(["make", "setup"], clone, env)
        build_s, _ = _timed(["make", "build"], clone, env)
        manifest = json.loads((clone / "output" / "manifest.json").read_text(encoding="utf-8"))
        faces = sum(p.stat().st_size for p in cache.rglob("*") if p.suffix in (".otf", ".ttf"))
        test_s, out = _timed(["make", "test"], clone, env)
    summary = next((line.strip("= ") for line in reversed(out.splitlines()) if " passed" in line), "")
    return {"date": dt.date.today().isoformat(), "cores": os.cpu_count(), "machine": platform.machine(),
            "setup_s": round(setup_s, 1), "build_s": round(setup_s + build_s, 1), "outputs": len(manifest["outputs"]),
            "faces_mb": round(faces / 2**20, 1), "test_s": round(test_s, 1),
            "tests": summary.split(" in ")[0]}


def main() -> None:
    results = measure()
    RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    text = README.read_text(encoding="utf-8")
    README.write_text(text.replace(readme_block(text), block(results)), encoding="utf-8")
    print(block(results))


if __name__ == "__main__":
    main()
