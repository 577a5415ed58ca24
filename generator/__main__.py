"""Run the command line as python -m generator."""

from .cli.main import run

run()
