"""slospec: service levels as code (spec format, DSL, linter and compilers)."""

__version__ = "0.1.0"
