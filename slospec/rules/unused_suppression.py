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

from collections.abc import Iterator
from typing import Any

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule



@rule("SLO003", "unused-suppression", severity="warning", framework=True)
def check(spec: Any, ctx: Context) -> Iterator[Finding]:
    """Reported by the engine itself, never by a walk over the spec."""
    return iter(())
