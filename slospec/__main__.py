"""`python -m slospec` entry point."""

from slospec.cli import main

main()
