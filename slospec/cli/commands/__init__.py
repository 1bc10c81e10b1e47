"""The subcommands, one module each, imported only when one runs (see cli.LazyGroup)."""
