"""Output formats for diagnostics: text, json, sarif, github. Pure functions returning strings."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from slospec import __version__
from slospec.diagnostics import Diagnostic

DOCS_URL = "https://slospec.dev/rules/"


def text(diagnostics: Sequence[Diagnostic], rules: Mapping[str, Any], files: int = 0) -> str:
    lines = [
        f"{d.path}:{d.span.line}:{d.span.column}: {d.code} [{d.severity}] {_one_line(d.message)}"
        for d in diagnostics
    ]
    counts = {s: sum(1 for d in diagnostics if d.severity == s) for s in ("error", "warning", "info")}
    checked = f" in {files} file{'s' if files != 1 else ''}" if files else ""
    if diagnostics:
        parts = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n)
        total = len(diagnostics)
        lines.append(f"Found {total} problem{'s' if total != 1 else ''} ({parts}){checked}.")
    else:
        lines.append(f"All checks passed{checked}.")
    return "\n".join(lines) + "\n"


def _one_line(message: str) -> str:
    return message.replace("\r", "").replace("\n", " ")


def json_(diagnostics: Sequence[Diagnostic], rules: Mapping[str, Any], files: int = 0) -> str:
    return json.dumps([d.as_json() for d in diagnostics], indent=2) + "\n"


SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def sarif(diagnostics: Sequence[Diagnostic], rules: Mapping[str, Any], files: int = 0) -> str:
    """SARIF 2.1.0, one run, no timestamps (stable output for golden tests and code scanning)."""
    rule_list = list(rules.values())
    index = {r.code: i for i, r in enumerate(rule_list)}
    driver = {
        "name": "slospec",
        "version": __version__,
        "informationUri": "https://slospec.dev",
        "rules": [
            {
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "helpUri": f"{DOCS_URL}{r.name}/",
                "defaultConfiguration": {"level": SARIF_LEVEL[r.severity]},
            }
            for r in rule_list
        ],
    }
    results = []
    for d in diagnostics:
        result = {
            "ruleId": d.code,
            "level": SARIF_LEVEL[d.severity],
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(d.path), "uriBaseId": "%SRCROOT%"},
                        "region": {
                            "startLine": d.span.line,
                            "startColumn": d.span.column,
                            "endLine": d.span.end_line,
                            "endColumn": d.span.end_column,
                        },
                    }
                }
            ],
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }
    return json.dumps(log, indent=2) + "\n"


def _uri(path: str) -> str:
    from pathlib import PurePath

    posix = PurePath(path).as_posix()
    return posix[2:] if posix.startswith("./") else posix


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def github(diagnostics: Sequence[Diagnostic], rules: Mapping[str, Any], files: int = 0) -> str:
    """GitHub Actions workflow commands, escaped as @actions/toolkit does."""
    out = []
    for d in diagnostics:
        props = ",".join(
            f"{k}={_escape_property(str(v))}"
            for k, v in (
                ("file", d.path),
                ("line", d.span.line),
                ("col", d.span.column),
                ("endLine", d.span.end_line),
                ("endColumn", d.span.end_column),
                ("title", f"{d.code} {d.name}"),
            )
        )
        out.append(f"::{GITHUB_LEVEL[d.severity]} {props}::{_escape_data(d.message)}")
    return "\n".join(out) + ("\n" if out else "")


REPORTERS: dict[str, Callable[..., str]] = {
    "text": text,
    "json": json_,
    "sarif": sarif,
    "github": github,
}
