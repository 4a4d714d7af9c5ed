"""`python -m scraper` runs the warta command line."""

from scraper.cli import cli

cli(prog_name="warta")
