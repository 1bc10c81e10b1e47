"""`slospec fmt`: the canonical layout of .slo and .slo.yaml files, every comment kept.

A file that does not parse is never touched, and a formatted result must load back to the
same data before it replaces anything.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from slospec.document import ParseError


class FormatError(Exception):
    """The file cannot be formatted safely (message says where and why)."""


@dataclass
class Formatted:
    path: str
    original: str
    text: str

    @property
    def changed(self) -> bool:
        return self.original != self.text


def _yaml_data(text: str) -> list:
    from slospec import yamlfile

    return [d.data for d in yamlfile.load_all(text)]


def format_yaml(text: str) -> str:
    """ruamel's round-trip loader keeps comments; our dumper settings give the layout."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    documents = list(yaml.load_all(text))
    out = io.StringIO()
    if len(documents) == 1:
        yaml.dump(documents[0], out)
    else:
        yaml.explicit_start = True
        yaml.dump_all(documents, out)
    return out.getvalue()


def format_dsl(text: str) -> str:
    from slospec import dsl

    documents = dsl.load_all(text)
    return dsl.dump([d.data for d in documents], dsl.comments_of(text, documents))


def format_text(path: str, text: str) -> Formatted:
    from slospec import dsl

    is_dsl = path.endswith(".slo")
    load = (lambda t: [d.data for d in dsl.load_all(t)]) if is_dsl else _yaml_data
    try:
        before = load(text)
    except ParseError as exc:
        raise FormatError(f"{path}:{exc.span.line}:{exc.span.column}: {exc.message} (not formatted)") from None
    try:
        result = format_dsl(text) if is_dsl else format_yaml(text)
        after = load(result)
    except Exception as exc:  # noqa: BLE001 - never write what we cannot verify
        raise FormatError(f"{path}: cannot be formatted safely ({exc}); left unchanged") from None
    if after != before:
        raise FormatError(f"{path}: formatting would change the data; left unchanged (please report this)")
    return Formatted(path, text, result)


def comment_lines(text: str) -> list[str]:
    return [line.split("#", 1)[1].strip() for line in text.splitlines() if "#" in line]
