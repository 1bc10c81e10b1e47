"""A suppression comment that suppresses nothing.

## What it does
Reports a `# slospec: disable=CODE` (or `disable-file=CODE`) directive when no finding of
that rule was reported where the directive applies.

## Why is this bad?
Stale suppressions hide the next real problem on that line and mislead readers about the
spec. When the underlying issue is fixed, the comment should go too.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: checkout
  owner: team-payments  # slospec: disable=SLO101
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: checkout
  owner: team-payments
```

## Options
None.

## References
- ruff's RUF100 (unused-noqa) and sqlfluff's unused noqa warning follow the same idea
"""

from collections.abc import Iterable, Iterator
from typing import Any

from slospec.diagnostics import Finding, Fix, Span
from slospec.rules.base import Context, rule


@rule("SLO003", "unused-suppression", severity="warning", framework=True)
def check(spec: Any, ctx: Context) -> Iterator[Finding]:
    """Suppressions are comments, not data: judged on the file's text (see check_text)."""
    return iter(())


def check_text(text: str, unused: Iterable[Any], running: Iterable[Any]) -> Iterator[Finding]:
    """The file's directives that suppressed nothing (suppressions.Directive), each at its
    comment with the edit that removes it. A suppression of a rule that is not running now
    (deselected, ignored) is not judged: it may be needed by a run that selects the rule."""
    from slospec.rules import matches
    from slospec.source.suppressions import unused_span

    running = list(running)
    for directive in unused:
        if any(matches(directive.selector, r) for r in running):
            yield Finding(
                (),
                f"suppression of {directive.selector!r} suppresses nothing here; remove it",
                fix=fix(text, directive),
                span=unused_span(directive),
            )


def fix(text: str, directive: Any) -> Fix | None:
    """The edit that removes an unused suppression: its code from a list of several, else the
    whole comment (and its line when the comment stands alone). None when unsure."""
    import re

    from slospec.source.suppressions import DIRECTIVE_RE

    lines = text.split("\n")
    if not 1 <= directive.line <= len(lines):
        return None
    line = lines[directive.line - 1].rstrip("\r")
    matches = list(DIRECTIVE_RE.finditer(line))
    here = next((m for m in matches if m.start() + 1 == directive.column), None)
    if here is None:
        return None
    codes = [
        (m.start() + here.start("codes"), m.end() + here.start("codes"))
        for m in re.finditer(r"[A-Za-z0-9-]+", here.group("codes"))
    ]
    mine = [i for i, (a, b) in enumerate(codes) if line[a:b] == directive.selector]
    if not mine:
        return None
    if len(codes) > 1:
        i = mine[0]
        # "A, B" -> "B" or "A": the code and the separator on one side of it.
        start, end = (codes[i][0], codes[i + 1][0]) if i + 1 < len(codes) else (codes[i - 1][1], codes[i][1])
        return Fix(Span(directive.line, start + 1, directive.line, end + 1), "")
    following = [m for m in matches if m.start() > here.start()]
    if following:  # another directive shares the comment: keep it
        return Fix(Span(directive.line, here.start() + 1, directive.line, following[0].start() + 1), "")
    before = line[: here.start()]
    if not before.strip():  # the comment is the whole line: remove the line
        if directive.line < len(lines):
            return Fix(Span(directive.line, 1, directive.line + 1, 1), "")
        return Fix(Span(directive.line, 1, directive.line, len(line) + 1), "")
    start = len(before.rstrip())
    return Fix(Span(directive.line, start + 1, directive.line, len(line) + 1), "")
