"""Run the command line as python -m generator."""

from .cli import run

run()
