"""Output formats for diagnostics: text, json, sarif, github. Pure functions returning strings."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from slospec import __version__
from slospec.diagnostics import Diagnostic

DOCS_URL = "https://slospec.dev/rules/"


# ANSI SGR codes, as ruff colours them: where in bold, the code by severity.
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"
_SEVERITY_COLOUR = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}


def text(
    diagnostics: Sequence[Diagnostic],
    rules: Mapping[str, Any],
    files: int = 0,
    *,
    summary: bool = True,
    color: bool = False,
) -> str:
    """One line per finding, then a summary line (`summary=False`: the findings only)."""
    lines = []
    for d in diagnostics:
        where = f"{_visible(d.path)}:{d.span.line}:{d.span.column}:"
        what = f"{d.code} [{d.severity}]"
        if color:
            where = f"{_BOLD}{where}{_RESET}"
            what = f"{_BOLD}{_SEVERITY_COLOUR[d.severity]}{d.code}{_RESET} [{d.severity}]"
        lines.append(f"{where} {what} {_one_line(d.message)}")
    if summary:
        lines.append(_summary(diagnostics, files))
    return "".join(line + "\n" for line in lines)


def _summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    counts = {s: sum(1 for d in diagnostics if d.severity == s) for s in ("error", "warning", "info")}
    checked = f" in {files} file{'s' if files != 1 else ''}" if files else ""
    if not diagnostics and not files:
        # `slospec lint notes.txt` skips the file: "All checks passed" would claim a check.
        return (
            "Nothing was checked: no spec (*.slo, *.slo.yaml) or OpenSLO, Sloth, Pyrra or "
            "slo-generator file among the paths given."
        )
    if not diagnostics:
        return f"All checks passed{checked}."
    parts = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n)
    total = len(diagnostics)
    return f"Found {total} problem{'s' if total != 1 else ''} ({parts}){checked}."


def statistics(diagnostics: Sequence[Diagnostic]) -> str:
    """How many findings each rule reported: most first, then by code (`--statistics`)."""
    counts: dict[tuple[str, str, str], int] = {}
    for d in diagnostics:
        key = (d.code, d.name, d.severity)
        counts[key] = counts.get(key, 0) + 1
    width = len(str(max(counts.values(), default=0)))
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "".join(f"{n:>{width}}  {code}  {name} [{severity}]\n" for (code, name, severity), n in ordered)


def _one_line(message: str) -> str:
    return _visible(message.replace("\r", "").replace("\n", " "))


def _visible(text: str) -> str:
    """Data (a file name, a spec's value) with its control characters shown, never acting."""
    from slospec.printer import visible

    return visible(text)


def json_(diagnostics: Sequence[Diagnostic], rules: Mapping[str, Any], files: int = 0) -> str:
    return json.dumps([d.as_json() for d in diagnostics], indent=2) + "\n"


SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def sarif(diagnostics: Sequence[Diagnostic], rules: Mapping[str, Any], files: int = 0, root: str | None = None) -> str:
    """SARIF 2.1.0, one run, no timestamps (stable output for golden tests and code scanning).

    Paths under `root` (default: the current directory) are relative to `%SRCROOT%`, which the
    run declares; others get an absolute file:// URI and no base.
    """
    from pathlib import Path

    base = Path(root or os.getcwd()).resolve()
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
                "fullDescription": {"text": _plain(r.section("What it does")) or r.summary},
                "help": {"text": _plain(r.body), "markdown": r.body},
                "helpUri": f"{DOCS_URL}{r.name}/",
                "defaultConfiguration": {"level": SARIF_LEVEL[r.severity]},
            }
            for r in rule_list
        ],
    }
    results = []
    for d in diagnostics:
        result: dict[str, Any] = {
            "ruleId": d.code,
            "level": SARIF_LEVEL[d.severity],
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _artifact(d.path, base),
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
        policy = _policy_of(d)
        if policy:
            result["properties"] = policy
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": base.as_uri().rstrip("/") + "/"}},
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


# SLO6xx messages name their policy first: "policy 'tier-1' (its description) requires ...",
# "the waiver of policy 'tier-1' (...) for service ...". Code scanning filters by property.
_POLICY_RE = re.compile(
    r"policy '(?P<name>[^']+)'(?: \((?P<description>.*?)\)(?= requires| allows| is waived| for service))?"
)


def _policy_of(d: Diagnostic) -> dict[str, str]:
    """The policy an SLO6xx finding is about, as SARIF result properties."""
    if not d.code.startswith("SLO6"):
        return {}
    found = _POLICY_RE.search(d.message)
    if found is None:
        return {}
    out = {"policy": found["name"]}
    if found["description"]:
        out["policyDescription"] = found["description"]
    return out


def _artifact(path: str, base: Any) -> dict[str, str]:
    """A relative, percent-encoded URI under %SRCROOT%, or an absolute file:// URI outside it."""
    from pathlib import Path, PurePath
    from urllib.parse import quote

    if path == "<stdin>" or not Path(path).is_absolute():
        posix = PurePath(path).as_posix()
        posix = posix[2:] if posix.startswith("./") else posix
        if not posix.startswith("../"):
            return {"uri": quote(posix, safe="/"), "uriBaseId": "%SRCROOT%"}
    resolved = Path(os.path.abspath(path))
    try:
        return {"uri": quote(resolved.relative_to(base).as_posix(), safe="/"), "uriBaseId": "%SRCROOT%"}
    except ValueError:
        return {"uri": resolved.as_uri()}


def _plain(markdown: str) -> str:
    """Markdown as plain text for viewers that show no Markdown: headings and fences dropped."""
    lines = []
    for line in markdown.splitlines():
        if line.startswith("```"):
            continue
        lines.append(line[3:] + ":" if line.startswith("## ") else line)
    return "\n".join(lines).strip()


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
