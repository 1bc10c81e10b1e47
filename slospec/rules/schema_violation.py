"""The document breaks the spec's JSON Schema (or OpenSLO v1's rules).

## What it does
Validates each document against `schema/slospec.schema.json` (native specs) or the
OpenSLO v1 rules (OpenSLO files) and reports every violation at the offending key or value:
a missing `apiVersion`, an unknown field, a target written as a ratio string, a duration
without a unit.

## Why is this bad?
A spec that does not follow the format means something different to every reader, or
nothing at all. Unknown keys are usually typos (`tagret:`) that silently drop a setting.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: checkout
slis:
  - name: requests
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
slos:
  - name: availability
    sli: requests
    tagret: 99.9%
    window: 28d
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: checkout
slis:
  - name: requests
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
slos:
  - name: availability
    sli: requests
    target: 99.9%
    window: 28d
```

## Options
None.

## References
- `slospec schema` prints the schema; editors can use it for completion
"""

from collections.abc import Iterator
from typing import Any

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule



@rule("SLO002", "schema-violation", severity="error", framework=True)
def check(spec: Any, ctx: Context) -> Iterator[Finding]:
    """Reported by the engine itself, never by a walk over the spec."""
    return iter(())
