"""`python -m slospec` entry point."""

from slospec.cli import run

run()
