"""A multi-format project under one organisation policy: slospec, OpenSLO, Sloth, Pyrra and
slo-generator files, a waiver that holds, one that expired, and services outside the policy."""

from __future__ import annotations

from pathlib import Path

CONFIG = """\
[[policy]]
name = "tier-1"
description = "Customer-facing critical services"
when = { tier = "critical" }
min-target = "99.9%"
max-target = "99.99%"
windows = ["28d", "30d", "month"]
require = ["owner", "page-alert"]

[[waiver]]
policy = "tier-1"
service = "legacy-billing"
reason = "being replaced by billing-v2 in Q1"
owner = "team-billing"
expires = 2099-03-31

[[waiver]]
policy = "tier-1"
service = "search"
reason = "new index"
owner = "team-search"
expires = 2020-01-31

[[budget-policy]]
name = "release freeze"
when = { tier = "critical" }
steps = [
  { remaining-below = "0%", action = "freeze", message = "only fixes ship" },
  { remaining-below = "25%", action = "warn" },
]
"""


def native(name: str, tier: str, target: str, window: str = "28d", owner: bool = True) -> str:
    return f"""\
apiVersion: slospec/v1
service:
  name: {name}
{f"  owner: team-{name}" if owner else ""}
  tier: {tier}
slis:
  - name: requests
    ratio:
      bad: http_requests_total{{job="{name}",code=~"5.."}}
      total: http_requests_total{{job="{name}"}}
slos:
  - name: availability
    sli: requests
    target: {target}
    window: {window}
"""


OPENSLO = """\
apiVersion: openslo/v1
kind: SLO
metadata:
  name: api-availability
  labels:
    tier: [critical]
    team: [team-api]
spec:
  service: api
  indicator:
    metadata:
      name: api-errors
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_requests_total{code!~"5.."}[5m]))
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_requests_total[5m]))
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: most requests succeed
      target: 0.995
"""

SLOTH = """\
version: "prometheus/v1"
service: "payments"
labels:
  owner: "team-payments"
  tier: "critical"
slos:
  - name: "requests"
    objective: 99.95
    description: "requests succeed"
    sli:
      events:
        error_query: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total[{{.window}}]))
    alerting:
      name: Alert
      page_alert:
        disable: true
      ticket_alert:
        disable: true
"""

PYRRA = """\
apiVersion: pyrra.dev/v1alpha1
kind: ServiceLevelObjective
metadata:
  name: prometheus-api-query
  labels:
    pyrra.dev/tier: critical
    pyrra.dev/team: team-prometheus
spec:
  target: '99.0'
  window: 28d
  indicator:
    ratio:
      errors:
        metric: prometheus_http_requests_total{handler=~"/api.*",code=~"5.."}
      total:
        metric: prometheus_http_requests_total{handler=~"/api.*"}
"""

SLOGEN = """\
apiVersion: sre.google.com/v2
kind: ServiceLevelObjective
metadata:
  name: prom-metrics-availability
  labels:
    service_name: prom
    feature_name: metrics
    slo_name: availability
    tier: critical
spec:
  description: 99.9% of Prometheus requests return a good HTTP code
  backend: prometheus
  method: query_sli
  exporters:
  - prometheus
  service_level_indicator:
    expression: >
      sum(rate(prometheus_http_requests_total{handler="/metrics", code=~"2.."}[window]))
      /
      sum(rate(prometheus_http_requests_total{handler="/metrics"}[window]))
  goal: 0.95
"""


def build(root: Path, config: str = CONFIG) -> Path:
    (root / "slospec.toml").write_text(config)
    services = root / "services"
    services.mkdir()
    files = {
        "checkout.slo.yaml": native("checkout", "critical", "99.95%"),
        "weekly.slo.yaml": native("weekly", "critical", "99.95%", window="7d", owner=False),
        "legacy-billing.slo.yaml": native("legacy-billing", "critical", "99.5%"),
        "search.slo.yaml": native("search", "critical", "99.5%"),
        "intranet.slo.yaml": native("intranet", "low", "95%", window="7d", owner=False),
        "api.yaml": OPENSLO,
        "payments.sloth.yaml": SLOTH,
        "prometheus.pyrra.yaml": PYRRA,
        "prom.slogen.yaml": SLOGEN,
    }
    for name, text in files.items():
        (services / name).write_text(text)
    return root
