"""A normal install builds: the wheel holds every package and file the command needs.

The wheel is built from the source tree (without build isolation: the test venv has setuptools>=77),
installed with --no-deps into a fresh venv outside the tree that sees the test venv's packages through a
.pth line (a path only: the test venv's editable finder is not run, so `generator` can come only from the
wheel), and run on a copy of the project from a folder outside both.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from conftest import ROOT


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(args, capture_output=True, text=True, timeout=600, env=env, **kwargs)


def test_the_wheel_installs_and_builds(tmp_path):
    wheels = tmp_path / "wheels"
    made = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels),
                str(ROOT), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "BuildBackendWarning" not in made.stderr, made.stderr
    (wheel,) = wheels.glob("aidreport-*.whl")

    # Every package and data file of the source tree is in the wheel, whatever the folders are called.
    names = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "generator"
    wanted = {p.relative_to(ROOT).as_posix() for p in package.rglob("*")
              if p.is_file() and "__pycache__" not in p.parts}
    assert wanted <= names, sorted(wanted - names)

    venv = tmp_path / "venv"
    made = _run(sys.executable, "-m", "venv", "--without-pip", str(venv))
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    site = Path(_run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    (site / "test-venv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    made = _run(sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel))
    assert made.returncode == 0, made.stderr
    where = _run(str(python), "-c", "import generator; print(generator.__file__)", cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr

    project = tmp_path / "project"
    project.mkdir()
    for name in ("data", "templates"):
        shutil.copytree(ROOT / name, project / name)
    built = _run(str(venv / "bin" / "aidreport"), "-C", str(project), "build", "--only", "press/series",
                 cwd=tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    for lang in ("zh", "en"):
        for ext in ("pdf", "docx", "html"):
            assert (project / "output" / lang / "press" / f"series.{ext}").stat().st_size > 0
