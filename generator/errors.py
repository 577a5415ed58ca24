"""Diagnostics with a source place, and the small error hierarchy the CLI maps to exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Location:
    """A place in a project file: path relative to the project, 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    """One problem (or note) found in the project, printable as one line."""

    location: Location
    message: str
    hint: str = ""
    level: str = "error"

    def format(self) -> str:
        text = f"{self.location}: {self.level}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        # One diagnostic is one line, whatever the data held.
        return text.replace("\r", " ").replace("\n", " ")


class AidReportError(Exception):
    """Base of every error a user can cause; the CLI prints it without a traceback."""

    exit_code = 1
    written = 0  # files already replaced when it stopped (a commit that failed part way)

    def lines(self) -> list[str]:
        return [f"error: {self}"]


class DataError(AidReportError):
    """The project's data or templates hold problems; every one is listed."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(diagnostics, key=lambda d: d.location)
        super().__init__(f"{len(self.diagnostics)} problem(s) found")

    def lines(self) -> list[str]:
        return [d.format() for d in self.diagnostics]


class BuildError(AidReportError):
    """A build step failed for a reason outside the data (output not writable, lock held)."""


def counted(n: int, what: str) -> str:
    """A count for a summary line: 1 problem, 2 warnings."""
    return f"{n} {what}{'s' if n != 1 else ''}"


def warned(warnings: list[str]) -> str:
    """A summary line's count of warnings (" · 2 warnings"), or nothing when there are none."""
    return f" · {counted(len(warnings), 'warning')}" if warnings else ""


def relpath(path: Path, root: Path) -> str:
    """Return path relative to root when it lies inside it, else as given."""
    try:
        # The folder is resolved, the name is not: a link is named as the user sees it.
        return (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
