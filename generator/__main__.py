"""Run the command line as python -m generator."""

from .cli import main

main(prog_name="aidreport")
