"""Inline suppressions: `# slospec: disable=CODE[,NAME]` and `# slospec: disable-file=CODE`.

Accepted forms (a trailing `-- reason` is allowed and encouraged):
    key: value  # slospec: disable=SLO102            the finding on this line
    # slospec: disable=extreme-target,SLO104          the next non-comment line
    # slospec: disable-file=SLO401                    the whole file
The same `#` comments work in YAML and in the DSL. A directive that suppresses nothing is
reported as SLO003; SLO001 (syntax errors) cannot be suppressed.
"""

from __future__ import annotations

import re
from dataclasses import field
from typing import Any

from slospec.diagnostics import Diagnostic, Span
from slospec.records import record

DIRECTIVE_RE = re.compile(
    r"#\s*slospec:\s*(?P<kind>disable-file|disable)\s*=\s*"
    r"(?P<codes>[A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+)*)"
)
UNSUPPRESSIBLE = {"SLO001"}


@record(frozen=False)
class Directive:
    """One `# slospec: disable...` comment: what it silences, where, and whether it did."""

    kind: str  # disable | disable-file
    selector: str
    line: int  # where the comment is
    column: int
    target_line: int | None  # the line it applies to (None for file scope)
    used: bool = field(default=False)

    def __init__(
        self,
        kind: str,
        selector: str,
        line: int,
        column: int,
        target_line: int | None,
        used: bool = False,
    ) -> None:
        self.__dict__.update(
            kind=kind,
            selector=selector,
            line=line,
            column=column,
            target_line=target_line,
            used=used,
        )


def parse(text: str, comments: dict[int, int] | None = None) -> list[Directive]:
    """The directives in the file's comments. `comments` maps a line to the column where its
    real comment starts (the parser's comment tokens, `comment_columns`): text that only looks
    like a directive inside data (a `|` block, a quoted string) is data, never a directive.
    None reads every line as a comment would (for callers without a parsed file)."""
    directives: list[Directive] = []
    lines = text.splitlines()
    pending: list[Directive] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        start = comments.get(number) if comments is not None else None
        if start is None:  # no directive here: a line that starts with `#` holds no content
            own_line = stripped.startswith("#")
        else:
            own_line = not line[: start - 1].strip()
        if stripped and not own_line:
            for directive in pending:
                directive.target_line = number
            pending = []
        if "slospec:" not in line:
            continue
        for match in DIRECTIVE_RE.finditer(line):
            if comments is not None and (start is None or match.start() + 1 < start):
                continue  # data that looks like a directive
            for selector in match.group("codes").split(","):
                directive = Directive(
                    match.group("kind"),
                    selector.strip(),
                    number,
                    match.start() + 1,
                    None if match.group("kind") == "disable-file" else number,
                )
                directives.append(directive)
                if own_line and directive.kind == "disable":
                    directive.target_line = None  # resolved by the next content line
                    pending.append(directive)
    return directives


def selects(selector: str, rule: Any) -> bool:
    """A selector is a code, a code prefix (SLO1, SLO10) or a rule name (the same syntax in
    `# slospec: disable=...`, `--select` and the configuration)."""
    selector = selector.strip()
    return bool(rule.code.startswith(selector.upper()) or rule.name == selector.lower())


def comment_columns(path: str, text: str) -> dict[int, int]:
    """Line -> 1-based column where the line's comment starts, as the file's parser sees it:
    the DSL's comment scanner, or the YAML scanner's tokens (a `#` after blank or line start
    that no token covers). Lines after a syntax error hold no comment the parser saw."""
    if "slospec:" not in text:
        return {}
    from slospec.source.loader import file_format

    if file_format(path, text) == "dsl" or path.lower().endswith(".slo"):
        from slospec.source.dsl.comments import scan

        return {c.line: c.column for c in scan(text)}
    return _yaml_comment_columns(text)


def _yaml_comment_columns(text: str) -> dict[int, int]:
    lines = text.splitlines()
    wanted = [i for i, line in enumerate(lines) if "slospec:" in line]
    covered: list[tuple[int, int, int, int]] = []  # 0-based (line, column, end line, end column)
    last = (-1, -1)
    try:
        from _ruamel_yaml import CParser

        scanner = CParser(text)
        try:
            while scanner.check_token():
                token = scanner.get_token()
                start, end = token.start_mark, token.end_mark
                last = (end.line, end.column)
                if (start.line, start.column) != (end.line, end.column):
                    covered.append((start.line, start.column, end.line, end.column))
        finally:
            scanner.dispose()
        last = (len(lines), 0)
    except Exception:  # noqa: BLE001 - a scanner error: comments are known up to it
        pass
    out: dict[int, int] = {}
    for index in wanted:
        if (index, 0) > last:
            continue
        line = lines[index]
        column = 0
        while True:
            column = line.find("#", column)
            if column < 0:
                break
            if (column == 0 or line[column - 1] in " \t") and not any(
                (a, b) <= (index, column) < (c, d) for a, b, c, d in covered
            ):
                out[index + 1] = column + 1
                break
            column += 1
    return out


def apply(
    diagnostics: list[Diagnostic], text: str, rules_by_code: dict[str, Any], path: str | None = None
) -> tuple[list[Diagnostic], list[Directive]]:
    """Drop suppressed diagnostics; return the rest and the directives that did nothing.
    With `path`, only the file's real comments hold directives (`comment_columns`)."""
    if "slospec:" not in text:
        return diagnostics, []
    directives = parse(text, None if path is None else comment_columns(path, text))
    if not directives:
        return diagnostics, []
    kept = []
    for diagnostic in diagnostics:
        rule = rules_by_code.get(diagnostic.code)
        suppressed = False
        if diagnostic.code not in UNSUPPRESSIBLE and rule is not None:
            for directive in directives:
                if not selects(directive.selector, rule):
                    continue
                if directive.kind == "disable-file" or directive.target_line in (diagnostic.span.line,):
                    directive.used = True
                    suppressed = True
        if not suppressed:
            kept.append(diagnostic)
    unused = [d for d in directives if not d.used]
    return kept, unused


def unused_span(directive: Directive) -> Span:
    return Span(directive.line, directive.column, directive.line, directive.column + 1)
