"""A realistic spec gets no finding at all with every rule on (issue: defaults must not nag),
and the catalogue's headline cases fire as the issue states."""

from __future__ import annotations

import pytest

PLAIN = """\
apiVersion: slospec/v1
service:
  name: checkout
  owner: team-checkout
slis:
  - name: requests
    description: Checkout requests not answered with a server error.
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
slos:
  - name: availability
    description: 99.9 % of checkout requests succeed over 28 days.
    sli: requests
    target: {target}
    window: {window}
"""


@pytest.mark.parametrize(
    ("target", "window"),
    [("99.9%", "28d"), ("99.5%", "28d"), ("99%", "7d"), ("99.95%", "28d"), ("99.9%", "{calendar: month}")],
)
def test_plain_realistic_spec_is_clean(lint, target, window) -> None:
    assert lint(PLAIN.replace("{target}", target).replace("{window}", window), select=["ALL"]) == []


def test_headline_cases(lint) -> None:
    base = PLAIN.replace("{target}", "99.9%").replace("{window}", "28d")
    assert "SLO101" in {d.code for d in lint(base.replace("99.9%", "100%"))}
    with_sla = (
        base + "slas:\n  - name: contract\n    slo: availability\n    target: 99.9%\n    window: {calendar: month}\n"
    )
    assert "SLO201" in {d.code for d in lint(with_sla)}
    with_db = base.replace(
        "  owner: team-checkout\n",
        "  owner: team-checkout\n  dependencies:\n    - name: db\n      availability: 99.9%\n      critical: true\n",
    )
    assert "SLO204" in {d.code for d in lint(with_db.replace("target: 99.9%", "target: 99.99%"))}
    page = base.replace("target: 99.9%", "target: 90%") + (
        "    alerting:\n      tiers:\n        - severity: page\n          longWindow: 1h\n"
        "          shortWindow: 5m\n          burnRate: 14.4\n"
    )
    assert "SLO302" in {d.code for d in lint(page)}
