"""The file does not parse.

## What it does
Reports a file that is not well-formed YAML (or DSL): a broken indentation, an unclosed
bracket, a duplicate key, a tab where spaces belong, bytes that are not UTF-8, or input
that breaks a safety limit (alias bombs, extreme nesting, oversized files).

## Why is this bad?
Nothing else can be checked in a file that does not parse, and every other tool that reads
it fails too. A duplicate key is a syntax error here (YAML 1.2 forbids it) because parsers
disagree about which value wins.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: checkout
  name: payments
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: checkout
```

## Options
None. This rule cannot be suppressed or ignored by a comment in the broken file.

## References
- YAML 1.2.2 specification, section 3.2.1.1 (mapping keys are unique)
"""

from collections.abc import Iterator
from typing import Any

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule


@rule("SLO001", "syntax-error", severity="error", framework=True)
def check(spec: Any, ctx: Context) -> Iterator[Finding]:
    """A spec that was built parsed: nothing to judge here (see check_source)."""
    return iter(())


def check_source(error: Any) -> Iterator[Finding]:
    """The file's parse error (a document.ParseError from the front end that stopped reading),
    at the place it stopped: no data exists to point into, so the finding carries the span."""
    yield Finding((), error.message, span=error.span)
