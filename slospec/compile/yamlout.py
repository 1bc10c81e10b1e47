"""One deterministic YAML writer for every generated file: block style, 2-space indentation,
sequences indented under their key, exact decimals, `|` blocks for multi-line text.

Hand-written because generated files only hold plain data (mappings, lists, strings,
numbers, booleans), and ruamel's round-trip dumper took seconds for a thousand SLOs.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from slospec.specmodel.quantities import format_decimal

# Plain scalars that a YAML 1.2 (or 1.1) reader would not take for a string.
_NOT_PLAIN = re.compile(
    r"""^(?:[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|0[xob][\da-fA-F_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
        |~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|=|<<)$
        |^\d{4}-\d\d?-\d\d?""",
    re.X,
)
_UNSAFE_START = set("-?:,[]{}#&*!|>'\"%@`")
# Characters a YAML reader would not keep as written: outside YAML's printable set (C0, DEL,
# C1, BOM, U+FFFE/FFFF, surrogates) or read as line breaks (CR, NEL, U+2028/2029). A string
# holding one is written double-quoted, with the character escaped.
_SPECIAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    if (
        not text
        or text != text.strip()
        or text[0] in _UNSAFE_START
        or _NOT_PLAIN.match(text)
        or ": " in text
        or " #" in text
        or text.endswith(":")
        or "\t" in text
        or "\n" in text
        or _SPECIAL.search(text)
    ):
        return quoted(text)
    return text


def quoted(text: str) -> str:
    """A double-quoted scalar; JSON's escapes are YAML's, plus \\uXXXX for what JSON leaves raw."""
    return _SPECIAL.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _literal(text: str) -> bool:
    """A `|` block keeps this string exactly (more than one line, nothing a block would change)."""
    return "\n" in text.rstrip("\n") and not _SPECIAL.search(text) and "\t" not in text


def _block(text: str, pad: str) -> str:
    stripped = text.rstrip("\n")
    trailing = len(text) - len(stripped)
    # clip (`|`) keeps one final newline, strip (`|-`) none, keep (`|+`) all of them.
    chomp = "-" if trailing == 0 else "" if trailing == 1 else "+"
    lines = text.split("\n") if chomp == "+" else stripped.split("\n")
    if chomp == "+":
        lines = lines[:-1]
    first = next((line for line in lines if line), "")
    # A first line that starts with a space would be taken for the indentation: say it (2).
    indent = "2" if first.startswith(" ") else ""
    return f"|{indent}{chomp}\n" + "".join(f"{pad}{line}\n" if line else "\n" for line in lines)


def _emit(value: Any, indent: int, out: list[str]) -> None:
    pad = "  " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            head = f"{pad}{scalar(key)}:"
            if isinstance(item, dict) and item:
                out.append(head + "\n")
                _emit(item, indent + 1, out)
            elif isinstance(item, list) and item:
                out.append(head + "\n")
                _emit(item, indent + 1, out)
            elif isinstance(item, str) and _literal(item):
                out.append(f"{head} {_block(item, pad + '  ')}")
            else:
                out.append(f"{head} {_flow_empty(item)}\n")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                lines: list[str] = []
                _emit(item, indent + 1, lines)
                first = lines[0]
                lines[0] = f"{pad}- " + first[len(pad) + 2 :]
                out.extend(lines)
            elif isinstance(item, list) and item:
                out.append(f"{pad}-\n")
                _emit(item, indent + 1, out)
            elif isinstance(item, str) and _literal(item):
                out.append(f"{pad}- {_block(item, pad + '  ')}")
            else:
                out.append(f"{pad}- {_flow_empty(item)}\n")
    else:
        out.append(f"{pad}{_flow_empty(value)}\n")


def _flow_empty(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return scalar(value)


def dump(data: Any) -> str:
    out: list[str] = []
    _emit(data, 0, out)
    return "".join(out)


def dump_all(documents: list[Any]) -> str:
    return "---\n".join(dump(d) for d in documents)
