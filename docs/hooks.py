"""MkDocs hook: adds the pages generated from the code (rule reference, schema reference)
at build time, and fills the nines table, so the site cannot drift from the tool."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TABLE_MARKER = "<!-- nines-table -->"
TARGETS = ("90", "95", "99", "99.5", "99.9", "99.95", "99.99", "99.999")
WINDOWS = ("1d", "7d", "28d", "30d", "90d", "365d")


def on_config(config):
    """The Rules entry of the navigation becomes a section: the index, then one page per rule."""
    from slospec.rules import all_rules

    pages = [{"All rules": "rules/index.md"}]
    pages += [{f"{rule.code} {rule.name}": f"rules/{rule.name}.md"} for rule in all_rules().values()]
    for index, item in enumerate(config["nav"] or []):
        if isinstance(item, dict) and item.get("Rules") == "rules/index.md":
            config["nav"][index] = {"Rules": pages}
    return config


def on_files(files, config):
    from mkdocs.structure.files import File

    from slospec.lint.docgen import pages
    from slospec.rules import all_rules

    for path, text in pages(all_rules()).items():
        files.append(File.generated(config, path, content=text))
    files.append(File.generated(config, "reference/schema.md", content=schema_page()))
    return files


def nines_table() -> str:
    from decimal import Decimal

    from slospec.specmodel.quantities import Duration, format_compact

    lines = ["| target | " + " | ".join(f"per {w}" for w in WINDOWS) + " |",
             "|---|" + "---|" * len(WINDOWS)]
    for target in TARGETS:
        budget = (Decimal(100) - Decimal(target)) / 100
        cells = [format_compact(Duration.parse(w).seconds * budget) for w in WINDOWS]
        lines.append(f"| {target}% | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def on_page_markdown(markdown, page, config, files):
    if TABLE_MARKER in markdown:
        markdown = markdown.replace(TABLE_MARKER, nines_table())
    return markdown


def schema_page() -> str:
    from slospec import resources

    schema = resources.load_json("schema/slospec.schema.json")
    lines = ["# Spec reference (generated from the JSON Schema)", "",
             "Every property of `schema/slospec.schema.json`, with its description. The schema",
             "itself is printed by `slospec schema`.", ""]

    def walk(node: dict, path: str, depth: int) -> None:
        if "$ref" in node:
            name = node["$ref"].split("/")[-1]
            target = schema["$defs"][name]
            described = node.get("description") or target.get("description", "")
            lines.append(f"{'  ' * depth}- `{path}`: {described} *(see {name})*")
            if depth < 4 and "properties" in target:
                for key, sub in target["properties"].items():
                    walk(sub, f"{path}.{key}", depth + 1)
            return
        lines.append(f"{'  ' * depth}- `{path}`: {node.get('description', '')}")
        for key, sub in node.get("properties", {}).items():
            walk(sub, f"{path}.{key}", depth + 1)
        items = node.get("items")
        if isinstance(items, dict):
            walk(items, f"{path}[]", depth + 1)

    for key, sub in schema["properties"].items():
        walk(sub, key, 0)
    lines += ["", "## Shared definitions", ""]
    for name, sub in schema["$defs"].items():
        if "description" in sub:
            lines.append(f"- **{name}**: {sub['description']}")
    return "\n".join(lines) + "\n"
