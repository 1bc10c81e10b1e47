"""Rule documentation pages, generated from the rule modules' docstrings (CLI and docs site)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slospec.specmodel.quantities import format_decimal


def _option_value(value: Any) -> str:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def rule_page(rule: Any) -> str:
    """Markdown page for one rule: `# name (CODE)`, its defaults, then the docstring."""
    lines = [f"# {rule.name} ({rule.code})", "", f"{rule.summary}.", ""]
    meta = [f"Default severity: **{rule.severity}**"]
    if rule.options:
        opts = ", ".join(f"`{k} = {_option_value(v)}`" for k, v in rule.options.items())
        meta.append(f"options: {opts}")
    lines += ["; ".join(meta) + ".", "", rule.body, ""]
    return "\n".join(lines)


def index_page(rules: Mapping[str, Any]) -> str:
    lines = [
        "# Rules",
        "",
        "Every rule has a code and a name; configuration, `--select`, `--ignore` and",
        "suppression comments accept either, or a code prefix such as `SLO1`.",
        "",
        "| code | name | severity | summary |",
        "|---|---|---|---|",
    ]
    for rule in rules.values():
        lines.append(f"| {rule.code} | [{rule.name}]({rule.name}.md) | {rule.severity} | {rule.summary} |")
    return "\n".join(lines) + "\n"


def pages(rules: Mapping[str, Any]) -> dict[str, str]:
    """docs path -> Markdown, for the MkDocs hook."""
    out = {"rules/index.md": index_page(rules)}
    for rule in rules.values():
        out[f"rules/{rule.name}.md"] = rule_page(rule)
    return out
