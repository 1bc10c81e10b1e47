"""Pyrra `pyrra.dev/v1alpha1` ServiceLevelObjective -> slospec (ratio, latency, latencyNative, bool_gauge).

Structure errors follow Pyrra's CRD schema and its validating webhook
(kubernetes/api/v1alpha1 validate()): target a string parsed as a number in [0, 100], a
Prometheus duration for window, exactly one indicator with its metrics set, a latency success
selector with a numeric `le` matcher. Alerting becomes the four multi-window burn-rate alerts
Pyrra generates (fixed factors 14/7/2/1, windows scaled from 28 days, rounded to the minute).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from slospec.interop.base import Imported, Recorder, decimal_of, mapping, not_slo, percent_text, slug
from slospec.source.document import Document

API_PREFIX = "pyrra.dev/"
KIND = "ServiceLevelObjective"
INDICATORS = ("ratio", "latency", "latencyNative", "bool_gauge")
# Prometheus durations (prometheus/common model.ParseDuration), largest unit first.
_DURATION_RE = re.compile(r"^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$")
_UNITS = (
    Decimal(365 * 86400),
    Decimal(7 * 86400),
    Decimal(86400),
    Decimal(3600),
    Decimal(60),
    Decimal(1),
    Decimal("0.001"),
)
NS = 10**9
MINUTE_NS = 60 * NS
# Pyrra slo/rules.go Windows(): (severity, factor, divisors of the SLO window for long, short, for).
WINDOWS = (
    ("page", 14, 28 * 24, 28 * 24 * 12, 28 * 24 * 30),
    ("page", 7, 28 * 4, 28 * 24 * 2, 28 * 24 * 4),
    ("ticket", 2, 28, 28 * 12, 28 * 24),
    ("ticket", 1, 7, 28 * 4, 28 * 8),
)
_SELECTOR_RE = re.compile(r"^\s*([A-Za-z_:][A-Za-z0-9_:]*)\s*(?:\{(.*)\})?\s*$", re.S)
_MATCHER_RE = re.compile(r'\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)')


def detect(data: Any) -> bool:
    return isinstance(data, dict) and str(data.get("apiVersion", "")).startswith(API_PREFIX)


def parse_duration(text: str) -> Decimal | None:
    """Seconds of a Prometheus duration (30d, 4w, 1h30m); None when Prometheus would reject it."""
    match = _DURATION_RE.match(text.strip()) if text else None
    if not match or not any(match.groups()):
        return None
    return sum((Decimal(g) * u for g, u in zip(match.groups(), _UNITS, strict=True) if g), Decimal(0))


def _round_minute(ns: int) -> int:
    """Go's Duration.Round(time.Minute): half away from zero."""
    return int((Decimal(ns) / MINUTE_NS).quantize(Decimal(1), rounding=ROUND_HALF_UP) * MINUTE_NS)


def pyrra_windows(window_seconds: Decimal) -> list[tuple[str, int, Decimal, Decimal, Decimal]]:
    """(severity, factor, long, short, for) in seconds, exactly as Pyrra computes them."""
    ns = int(window_seconds * NS)
    out = []
    for severity, factor, long_div, short_div, for_div in WINDOWS:
        long_, short, for_ = (Decimal(int(_round_minute(ns // d))) / NS for d in (long_div, short_div, for_div))
        out.append((severity, factor, long_, short, for_))
    return out


def selector(text: str) -> tuple[str, list[tuple[str, str, str]]] | None:
    """(metric name, [(label, op, value)]) of a plain selector; None for anything else."""
    match = _SELECTOR_RE.match(text or "")
    if not match:
        return None
    inner = (match.group(2) or "").strip()
    matchers = []
    pos = 0
    while pos < len(inner):
        m = _MATCHER_RE.match(inner, pos)
        if not m or m.end() == pos:
            return None
        matchers.append((m.group(1), m.group(2), m.group(3)))
        pos = m.end()
    return match.group(1), matchers


def _render(name: str, matchers: list[tuple[str, str, str]]) -> str:
    if not matchers:
        return name
    return name + "{" + ",".join(f'{k}{op}"{v}"' for k, op, v in matchers) + "}"


def _metric(rec: Recorder, body: dict, key: str, at: tuple, what: str) -> str | None:
    query = body.get(key)
    metric = query.get("metric") if isinstance(query, dict) else None
    if not isinstance(metric, str) or not metric.strip():
        rec.problem(
            at + ((key, "metric") if isinstance(query, dict) else (key,) if key in body else ()),
            f"{what} metric must be set ({key}.metric: a PromQL selector)",
        )
        return None
    return metric.strip()


def convert(doc: Document) -> Imported:
    data = doc.data
    if not isinstance(data, dict) or data.get("kind") != KIND:
        kind = data.get("kind") if isinstance(data, dict) else None
        return not_slo(doc, f"a Pyrra {kind or 'object'}, not a ServiceLevelObjective")
    rec = Recorder(doc)
    meta = mapping(data.get("metadata"))
    name = meta.get("name")
    if not isinstance(name, str) or not name:
        rec.problem(("metadata",) if "metadata" in data else (), "name must be set (metadata.name)")
        name = "slo"
    spec = data.get("spec")
    if not isinstance(spec, dict):
        rec.problem(("spec",) if "spec" in data else (), "spec is required: target, window and indicator")
        return rec.result(None)
    at = ("spec",)
    target = _target(rec, spec)
    window = _window(rec, spec)
    sli = _indicator(rec, spec, slug(name))
    if rec.problems or target is None or window is None or sli is None:
        return rec.result(None)
    svc_name = slug(name)
    if svc_name != name:
        rec.notice(("metadata", "name"), f"{name!r} is named {svc_name!r} in slospec")
    svc: dict[str, Any] = {"name": svc_name}
    rec.at(("service",), ("metadata",))
    rec.at(("service", "name"), ("metadata", "name"))
    labels = mapping(meta.get("labels"))
    owners = ("pyrra.dev/owner", "pyrra.dev/team", "owner", "team")
    owner = next((labels.get(k) for k in owners if isinstance(labels.get(k), str) and labels.get(k)), None)
    if isinstance(owner, str) and owner:
        svc["owner"] = owner
        key = next(k for k in owners if labels.get(k) == owner)
        rec.at(("service", "owner"), ("metadata", "labels", key))
    slo: dict[str, Any] = {"name": svc_name, "sli": svc_name, "target": percent_text(target), "window": window[0]}
    rec.at(("slos", 0), at)
    rec.at(("slos", 0, "name"), ("metadata", "name"))
    rec.at(("slos", 0, "sli"), at + ("indicator",))
    rec.at(("slos", 0, "target"), at + ("target",))
    rec.at(("slos", 0, "window"), at + ("window",))
    description = spec.get("description")
    if isinstance(description, str) and description.strip():
        slo["description"] = sli["description"] = description.strip()[:1050]
        rec.at(("slos", 0, "description"), at + ("description",))
        rec.at(("slis", 0, "description"), at + ("description",))
    slo_labels = {
        k[len(API_PREFIX) :]: str(v)
        for k, v in labels.items()
        if isinstance(k, str)
        and k.startswith(API_PREFIX)
        and len(k) > len(API_PREFIX)
        and not isinstance(v, (dict, list))
    }
    if slo_labels:
        slo["labels"] = slo_labels
        rec.at(("slos", 0, "labels"), ("metadata", "labels"))
    slo["alerting"] = _alerting(rec, spec, window[1])
    _routes(rec, slo["alerting"], mapping(spec.get("alerting")), slo_labels)
    annotations = mapping(meta.get("annotations"))
    runbook = next((k for k in RUNBOOK_KEYS if isinstance(annotations.get(k), str) and annotations[k]), None)
    if runbook is not None and "tiers" in slo["alerting"]:  # Pyrra copies pyrra.dev/ annotations onto its alerts
        slo["alerting"]["runbook"] = annotations[runbook]
        rec.at(("slos", 0, "alerting", "runbook"), ("metadata", "annotations", runbook))
    placement = [k for k in labels if not (isinstance(k, str) and k.startswith(API_PREFIX))]
    if meta.get("namespace") or placement:
        rec.notice(
            ("metadata",),
            "Kubernetes placement (metadata.namespace and labels without the pyrra.dev/ "
            "prefix, which select the generated PrometheusRule) is not kept",
        )
    alerting = mapping(spec.get("alerting"))
    for key in ("absentName", "absent"):
        if key in alerting:
            rec.notice(
                ("spec", "alerting", key),
                f"alerting.{key} is not kept (slospec always adds its own SLOMetricsAbsent alert)",
            )
    if "partial_response_strategy" in spec:
        rec.notice(("spec", "partial_response_strategy"), "partial_response_strategy (Thanos Ruler) is not kept")
    return rec.result({"apiVersion": "slospec/v1", "service": svc, "slis": [sli], "slos": [slo]})


def _target(rec: Recorder, spec: dict) -> Decimal | None:
    raw = spec.get("target")
    if raw is None or raw == "":
        rec.problem(("spec",), 'target must be set (a string like "99.9": percent from 0 to 100)')
        return None
    if not isinstance(raw, str):
        rec.problem(
            ("spec", "target"),
            f'target must be a string: write target: "{raw}" (the CRD declares '
            "it as a string, and Kubernetes rejects a number)",
        )
        return None
    value = decimal_of(raw)
    if value is None:
        rec.problem(("spec", "target"), f'target {raw!r} is not a number; write a percent like "99.9"')
        return None
    if not 0 <= value <= 100:
        rec.problem(("spec", "target"), f"target must be between 0 and 100; got {raw}")
        return None
    if 0 < value < 1:
        rec.notice(("spec", "target"), f"target is from 0-100 ({value * 100}), not 0-1 ({value}) (Pyrra warns too)")
    return value


def _window(rec: Recorder, spec: dict) -> tuple[str, Decimal] | None:
    raw = spec.get("window")
    if not isinstance(raw, str) or not raw:
        rec.problem(
            ("spec", "window") if "window" in spec else ("spec",),
            "window must be set (a Prometheus duration like 28d or 4w)",
        )
        return None
    seconds = parse_duration(raw)
    if seconds is None or seconds == 0:
        rec.problem(
            ("spec", "window"),
            f"window {raw!r} is not a Prometheus duration; write it like 28d, 4w or 7d "
            "(units y w d h m s ms, largest first)",
        )
        return None
    if "y" in raw:
        from slospec.interop.base import seconds_text

        return seconds_text(seconds), seconds
    return raw, seconds


def _indicator(rec: Recorder, spec: dict, name: str) -> dict | None:
    at = ("spec", "indicator")
    indicator = spec.get("indicator")
    if not isinstance(indicator, dict):
        rec.problem(
            at if "indicator" in spec else ("spec",),
            "indicator is required: one of ratio, latency, latencyNative or bool_gauge",
        )
        return None
    kinds = [k for k in INDICATORS if indicator.get(k) is not None]
    if not kinds:
        rec.problem(at, "one of ratio, latency, latencyNative or bool_gauge must be set")
        return None
    if len(kinds) > 1:
        rec.problem(at + (kinds[1],), f"only one indicator may be set; this one has {' and '.join(kinds)}")
        return None
    kind = kinds[0]
    body = indicator[kind]
    k_at = at + (kind,)
    if not isinstance(body, dict):
        rec.problem(k_at, f"indicator.{kind} is a mapping")
        return None
    out: dict[str, Any] = {"name": name}
    rec.at(("slis", 0), k_at)
    rec.at(("slis", 0, "name"), ("metadata", "name"))
    grouping = body.get("grouping")
    if grouping:
        labels = ", ".join(str(g) for g in grouping) if isinstance(grouping, list) else str(grouping)
        rec.notice(
            k_at + ("grouping",),
            f"grouping by {labels}: Pyrra keeps one SLO per group; slospec has no "
            "grouping and judges the SLO over all series together (not kept)",
        )
    if kind == "ratio":
        errors = _metric(rec, body, "errors", k_at, "ratio errors")
        total = _metric(rec, body, "total", k_at, "ratio total")
        if errors is None or total is None:
            return None
        if errors == total:
            rec.notice(
                k_at + ("errors",), "ratio errors metric should be different from ratio total metric (Pyrra warns too)"
            )
        out["ratio"] = {"bad": errors, "total": total}
        rec.at(("slis", 0, "ratio", "bad"), k_at + ("errors", "metric"))
        rec.at(("slis", 0, "ratio", "total"), k_at + ("total", "metric"))
    elif kind == "latency":
        success = _metric(rec, body, "success", k_at, "latency success")
        total = _metric(rec, body, "total", k_at, "latency total")
        if success is None or total is None:
            return None
        parsed = selector(success)
        le = next((v for k, op, v in parsed[1] if k == "le"), None) if parsed else None
        if parsed is not None and le is None:
            rec.problem(
                k_at + ("success", "metric"), 'latency success metric must contain a le label matcher, like le="0.3"'
            )
            return None
        if le is not None and decimal_of(le) is None and le not in ("+Inf", "Inf"):
            rec.problem(
                k_at + ("success", "metric"),
                f'latency success metric must contain a le label matcher with a float value; got le="{le}"',
            )
            return None
        out.update(_latency(rec, success, total, k_at))
    elif kind == "latencyNative":
        total = _metric(rec, body, "total", k_at, "latencyNative total")
        latency = body.get("latency")
        if total is None:
            return None
        seconds = parse_duration(latency) if isinstance(latency, str) else None
        if seconds is None:
            rec.problem(
                k_at + (("latency",) if "latency" in body else ()),
                "latencyNative latency objective must be a valid duration, like 200ms",
            )
            return None
        from slospec.specmodel.quantities import Duration

        out["latency"] = {"histogram": total.strip(), "threshold": str(Duration.of(seconds)), "native": True}
        rec.at(("slis", 0, "latency", "histogram"), k_at + ("total", "metric"))
        rec.at(("slis", 0, "latency", "threshold"), k_at + ("latency",))
    else:
        metric = body.get("metric")
        if not isinstance(metric, str) or not metric.strip():
            rec.problem(k_at + (("metric",) if "metric" in body else ()), "boolGauge metric must be set")
            return None
        out["uptime"] = {"probe": metric.strip()}
        rec.at(("slis", 0, "uptime", "probe"), k_at + ("metric",))
    return out


def _latency(rec: Recorder, success: str, total: str, at: tuple) -> dict:
    """A latency SLI when success and total are one histogram's bucket and count; a ratio otherwise."""
    good, all_ = selector(success), selector(total)
    if good and all_ and good[0].endswith("_bucket") and all_[0] == good[0][: -len("_bucket")] + "_count":
        le = next(v for k, _op, v in good[1] if k == "le")
        rest = [m for m in good[1] if m[0] != "le"]
        seconds = decimal_of(le)
        if seconds is not None and seconds > 0 and sorted(rest) == sorted(all_[1]):
            from slospec.specmodel.quantities import format_decimal

            rec.at(("slis", 0, "latency", "histogram"), at + ("total", "metric"))
            rec.at(("slis", 0, "latency", "threshold"), at + ("success", "metric"))
            return {
                "latency": {
                    "histogram": _render(good[0][: -len("_bucket")], rest),
                    "threshold": f"{format_decimal(seconds)}s",
                }
            }
    rec.notice(
        at + ("success",),
        "the success and total selectors are not the bucket and count of one histogram "
        "with the same labels; kept as a ratio of the two (the latency threshold is not judged)",
    )
    rec.at(("slis", 0, "ratio", "good"), at + ("success", "metric"))
    rec.at(("slis", 0, "ratio", "total"), at + ("total", "metric"))
    return {"ratio": {"good": success, "total": total}}


# Pyrra's alerts: one name for every burn-rate alert, `severity: critical` on the two fast
# windows and `warning` on the two slow ones (slo/rules.go), unless alerting.severities says.
ALERT_NAME = "ErrorBudgetBurn"
RUNBOOK_KEYS = ("pyrra.dev/runbook_url", "pyrra.dev/runbook", "pyrra.dev/runbookURL")
SEVERITIES = {"page": ("critical", ("fastBurn", "mediumBurn")), "ticket": ("warning", ("slowBurn", "longTermBurn"))}


def _routes(rec: Recorder, out: dict, alerting: dict, labels: dict[str, str]) -> None:
    """The alert name and labels Pyrra's rules carry, so that routes on them still match."""
    if "tiers" not in out:
        return
    at = ("spec", "alerting")
    name = alerting.get("name")
    out["name"] = name if isinstance(name, str) and name else ALERT_NAME
    rec.at(("slos", 0, "alerting", "name"), at + ("name",) if "name" in alerting else ("spec", "window"))
    if labels:  # pyrra.dev/ labels are propagated to every rule Pyrra writes
        out["labels"] = dict(labels)
        rec.at(("slos", 0, "alerting", "labels"), ("metadata", "labels"))
    severities = mapping(alerting.get("severities"))
    for severity, (default, keys) in SEVERITIES.items():
        said = [severities.get(k) for k in keys]
        chosen = [v if isinstance(v, str) and v else default for v in said]
        value = chosen[0]
        if len(set(chosen)) > 1:  # two windows of one slospec severity routed apart by Pyrra
            rec.notice(
                at + ("severities",),
                f"the {severity} windows have different severities in Pyrra ({', '.join(sorted(set(chosen)))});"
                f" slospec gives both severity {value!r}",
            )
        out[severity] = {"labels": {"severity": value}}
        rec.at(("slos", 0, "alerting", severity), at + ("severities",) if severities else ("spec", "window"))


def _alerting(rec: Recorder, spec: dict, window: Decimal) -> dict:
    from slospec.interop.base import seconds_text

    alerting = mapping(spec.get("alerting"))
    a_at = ("spec", "alerting")
    if alerting.get("disabled") is True or alerting.get("burnrates") is False:
        key = "disabled" if alerting.get("disabled") is True else "burnrates"
        rec.at(("slos", 0, "alerting"), a_at + (key,))
        return {"policy": "none"}
    tiers: list[dict[str, Any]] = []
    for severity, factor, long_, short, for_ in pyrra_windows(window):
        if long_ == 0 or short == 0:
            # Pyrra writes these rules anyway: rate(x[0s]) does not parse, and Prometheus
            # refuses the whole rule group (the SLO's recording rules and alerts with it).
            divisor = max(d for _s, f, *divs in WINDOWS if f == factor for d in divs[:2])
            rec.problem(
                ("spec", "window"),
                f"Pyrra's {factor}x {severity} alert over a {seconds_text(window)} window has a "
                f"{seconds_text(long_ if long_ == 0 else short)} window once Pyrra rounds it to the minute "
                f"(the window / {divisor}): its rules read rate(...[0s]), which Prometheus rejects, so "
                f"the whole rule group fails to load; use a window of at least {seconds_text(Decimal(30 * divisor))}",
                "SLO306",
            )
            continue
        index = len(tiers)
        tier: dict[str, Any] = {
            "severity": severity,
            "longWindow": seconds_text(long_),
            "shortWindow": seconds_text(short),
            "burnRate": factor,
        }
        if for_ > 0:
            tier["for"] = seconds_text(for_)
        tiers.append(tier)
        t_at = ("slos", 0, "alerting", "tiers", index)
        # The windows follow from the SLO window; whether a factor can fire follows from the target.
        for sub in ((), ("longWindow",), ("shortWindow",), ("for",), ("severity",)):
            rec.at(t_at + sub, ("spec", "window"))
        rec.at(t_at + ("burnRate",), ("spec", "target"))
    rec.at(("slos", 0, "alerting"), a_at if alerting else ("spec", "window"))
    return {"tiers": tiers} if tiers else {"policy": "none"}
