"""One deterministic YAML writer for every generated file (fixed indentation, no wrapping,
exact decimals), so outputs are stable and diffable."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from slospec.quantities import format_decimal


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 4096  # never fold long PromQL expressions
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.default_flow_style = False
    yaml.representer.add_representer(
        Decimal, lambda r, d: r.represent_scalar("tag:yaml.org,2002:float", format_decimal(d))
    )
    return yaml


def _literal_blocks(data: Any) -> Any:
    """Multi-line strings as `|` blocks (readable PromQL and Markdown), everything else as is."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(data, dict):
        return {k: _literal_blocks(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_literal_blocks(v) for v in data]
    if isinstance(data, str) and "\n" in data:
        return LiteralScalarString(data if data.endswith("\n") else data + "\n")
    return data


def dump(data: Any) -> str:
    out = io.StringIO()
    _yaml().dump(_literal_blocks(data), out)
    return out.getvalue()


def dump_all(documents: list[Any]) -> str:
    return "---\n".join(dump(d) for d in documents)
