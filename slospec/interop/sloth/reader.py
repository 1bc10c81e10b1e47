"""Sloth specs (`version: prometheus/v1` and the `sloth.slok.dev/v1` PrometheusServiceLevel CRD) -> slospec.

Structure errors follow Sloth's own validation (pkg/common/validation/slo.go): names of
alphanumerics, '.', '_' and '-'; an objective above 0 and at most 100; exactly one SLI type;
error and total queries that differ and contain the {{.window}} template; a name for every
enabled alert. Alerting becomes Sloth's default windows (google-30d) as explicit tiers, written
as shares of the budget the way Sloth computes its factors (budget % x period / long window).
"""

from __future__ import annotations

import json
import re
from typing import Any

from slospec.diagnostics import Pointer
from slospec.interop.base import Imported, Recorder, decimal_of, label_map, mapping, not_slo, percent_text, slug
from slospec.source.document import Document

API_VERSION = "sloth.slok.dev/v1"
PROMETHEUS_VERSION = "prometheus/v1"
# Sloth's --default-slo-period, and its embedded google-30d windows (the 28d catalog has the
# same windows): (alert, budget percent consumed, long window, short window).
DEFAULT_PERIOD = "30d"
DEFAULT_WINDOWS = (
    ("page", "2", "1h", "5m"),
    ("page", "5", "6h", "30m"),
    ("ticket", "10", "1d", "2h"),
    ("ticket", "10", "3d", "6h"),
)
SLOTH_TEMPLATE_RE = re.compile(r"\{\{\s*\.window\s*\}\}")
NAME_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?$")
RUNBOOK_KEYS = ("runbook", "runbook_url", "runbookURL", "runbookUrl")


def detect(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    if str(data.get("version", "")).strip().startswith("prometheus/") and "slos" in data:
        return True
    return str(data.get("apiVersion", "")).startswith("sloth.slok.dev/")


def to_slospec_query(query: str) -> str:
    """Sloth's Go template `{{.window}}` -> slospec's `{{window}}`."""
    return SLOTH_TEMPLATE_RE.sub("{{window}}", query.strip())


class _Keys:
    """The field names of the two dialects: snake_case (prometheus/v1) and camelCase (CRD)."""

    def __init__(self, crd: bool):
        self.error = "errorQuery" if crd else "error_query"
        self.total = "totalQuery" if crd else "total_query"
        self.ratio = "errorRatioQuery" if crd else "error_ratio_query"
        self.page = "pageAlert" if crd else "page_alert"
        self.ticket = "ticketAlert" if crd else "ticket_alert"


def convert(doc: Document) -> Imported:
    data = doc.data
    if not isinstance(data, dict):
        return not_slo(doc, "not a Sloth spec (a mapping with version: prometheus/v1 or a Sloth CRD)")
    if "apiVersion" in data:
        kind = data.get("kind")
        if kind == "AlertWindows":
            return not_slo(
                doc,
                "a Sloth alert-window catalog (AlertWindows), not an SLO: Sloth reads it with "
                "--slo-period-windows-path",
            )
        rec = Recorder(doc, ("spec",))
        if data.get("apiVersion") != API_VERSION:
            rec.base = ()
            rec.problem(
                ("apiVersion",), f"apiVersion {data.get('apiVersion')!r} is not a Sloth version; write {API_VERSION}"
            )
            return rec.result(None)
        if kind != "PrometheusServiceLevel":
            rec.base = ()
            rec.problem(("kind",), f"kind {kind!r} is not a Sloth SLO kind; write PrometheusServiceLevel")
            return rec.result(None)
        body = data.get("spec")
        if not isinstance(body, dict):
            rec.base = ()
            rec.problem(("spec",) if "spec" in data else (), "spec is required: the service and its slos")
            return rec.result(None)
        return _convert(rec, body, _Keys(crd=True))
    rec = Recorder(doc)
    if str(data.get("version")).strip() != PROMETHEUS_VERSION:
        rec.problem(
            ("version",), f"invalid spec version {data.get('version')!r}; Sloth reads version: {PROMETHEUS_VERSION}"
        )
        return rec.result(None)
    return _convert(rec, data, _Keys(crd=False))


def _convert(rec: Recorder, body: dict, keys: _Keys) -> Imported:
    service = body.get("service")
    if not isinstance(service, str) or not service:
        rec.problem(("service",) if "service" in body else (), "service is required (the service's name)")
    elif not NAME_RE.match(service):
        rec.problem(
            ("service",),
            f"service {service!r} is not a valid Sloth name: it must start and end with an "
            "alphanumeric and contain only alphanumerics, '.', '_' and '-'",
        )
    slos = body.get("slos")
    if not isinstance(slos, list) or not slos:
        rec.problem(("slos",) if "slos" in body else (), "at least one SLO is required under slos")
        slos = []
    dialect = None
    if "slo_plugins" in body or "sloPlugins" in body:
        key = "slo_plugins" if "slo_plugins" in body else "sloPlugins"
        rec.notice((key,), "Sloth SLO plugins change the generated rules; slospec cannot run them (not kept)")
        if "victoria_metrics" in json.dumps(body[key], default=str):
            # Sloth's VictoriaMetrics dialect: MetricsQL is not PromQL, so the PromQL checks stand aside.
            dialect = "victoriametrics"
            rec.notice(
                (key,),
                "the queries are MetricsQL (VictoriaMetrics): kept with source victoriametrics, "
                "so PromQL checks and Prometheus compilation skip them",
            )
    labels = label_map(body.get("labels"))
    svc: dict[str, Any] = {"name": slug(service or "service", "service")}
    rec.at(("service",), ("service",))
    rec.at(("service", "name"), ("service",))
    if isinstance(service, str) and svc["name"] != service:
        rec.notice(
            ("service",),
            f"service {service!r} is named {svc['name']!r} in slospec (lowercase letters, digits and dashes)",
        )
    owner = labels.get("owner") or labels.get("team")
    if owner:
        svc["owner"] = owner
        rec.at(("service", "owner"), ("labels", "owner" if "owner" in labels else "team"))
    if labels:
        svc["labels"] = labels
        rec.at(("service", "labels"), ("labels",))
    out: dict[str, Any] = {"apiVersion": "slospec/v1", "service": svc, "slis": [], "slos": []}
    seen: dict[str, tuple[int, str]] = {}  # slospec name -> (index, the name Sloth was given)
    for index, slo in enumerate(slos):
        _slo(rec, out, slo, index, keys, seen)
    if dialect:
        for sli in out["slis"]:
            sli.setdefault("source", dialect)
    rec.notice(
        (),
        f"Sloth takes the SLO period from the command line (--default-slo-period, default "
        f"{DEFAULT_PERIOD}); slospec assumes {DEFAULT_PERIOD} with Sloth's default alert windows",
    )
    if any(p.code == "SLO002" for p in rec.problems):
        return rec.result(None)
    return rec.result(out)


def _slo(rec: Recorder, out: dict, slo: Any, index: int, keys: _Keys, seen: dict[str, tuple[int, str]]) -> None:
    at = ("slos", index)
    if not isinstance(slo, dict):
        rec.problem(at, "an SLO is a mapping with name, objective, sli and alerting")
        return
    name = slo.get("name")
    if not isinstance(name, str) or not name:
        rec.problem(at + (("name",) if "name" in slo else ()), "SLO name is required")
        return
    if not NAME_RE.match(name):
        rec.problem(
            at + ("name",),
            f"SLO name {name!r} is not valid in Sloth: it must start and end with an "
            "alphanumeric and contain only alphanumerics, '.', '_' and '-'",
        )
    objective = decimal_of(slo.get("objective"))
    if objective is None or isinstance(slo.get("objective"), str):
        rec.problem(
            at + (("objective",) if "objective" in slo else ()),
            "objective is required: a number of percent above 0 and at most 100, like 99.9",
        )
    elif not 0 < objective <= 100:
        hint = " (a percent, not a ratio)" if objective > 100 else ""
        rec.problem(at + ("objective",), f"objective must be above 0 and at most 100{hint}; got {objective}")
    sli_name = slug(name, f"slo-{index + 1}")
    if sli_name in seen:  # Sloth's IDs are service-name: two SLOs of one name collide
        first, other = seen[sli_name]
        if str(other) != str(name):
            rec.problem(
                at + ("name",),
                f"SLO names {name!r} and {other!r} (slos[{first}]) differ only in case or punctuation, and "
                f"slospec names both {sli_name!r}; rename one of them",
            )
        else:
            rec.problem(at + ("name",), f"SLO name {name!r} is already used by slos[{first}]")
        return
    seen[sli_name] = (index, str(name))
    s_at = ("slos", len(out["slos"]))
    i_at = ("slis", len(out["slis"]))
    sli = _sli(rec, slo.get("sli"), at, i_at, keys, sli_name)
    if sli is None:
        return
    entry: dict[str, Any] = {
        "name": sli_name,
        "sli": sli_name,
        "target": percent_text(objective) if objective is not None else "0%",
        "window": DEFAULT_PERIOD,
    }
    rec.at(s_at, at)
    rec.at(s_at + ("name",), at + ("name",))
    rec.at(s_at + ("sli",), at + ("sli",))
    rec.at(s_at + ("target",), at + ("objective",))
    rec.at(s_at + ("window",), at + ("objective",))
    if sli_name != name:
        rec.notice(at + ("name",), f"SLO {name!r} is named {sli_name!r} in slospec")
    if isinstance(slo.get("description"), str) and slo["description"]:
        # Sloth's SLI has no description of its own: the SLO's says what is measured.
        entry["description"] = sli["description"] = slo["description"][:1050]
        rec.at(s_at + ("description",), at + ("description",))
        rec.at(i_at + ("description",), at + ("description",))
    labels = label_map(slo.get("labels"))
    if labels:
        entry["labels"] = labels
        rec.at(s_at + ("labels",), at + ("labels",))
    if "plugins" in slo:
        rec.notice(at + ("plugins",), f"SLO {name!r}: Sloth SLO plugins are not kept (slospec cannot run them)")
    # Sloth's alerts carry its recording rules' labels (the service's and the SLO's) too.
    inherited = {**out["service"].get("labels", {}), **labels}
    entry["alerting"] = _alerting(rec, slo.get("alerting"), at, s_at, keys, name, inherited)
    out["slis"].append(sli)
    out["slos"].append(entry)


def _sli(rec: Recorder, sli: Any, at: tuple, i_at: tuple, keys: _Keys, name: str) -> dict | None:
    s_at = at + ("sli",)
    if not isinstance(sli, dict):
        rec.problem(s_at if sli is not None else at, "sli is required: events, raw or plugin")
        return None
    kinds = [k for k in ("events", "raw", "plugin") if k in sli]
    if not kinds:
        rec.problem(s_at, "at least one SLI type is required: events (error and total queries), raw or plugin")
        return None
    if len(kinds) > 1:
        rec.problem(s_at + (kinds[1],), f"only one SLI type is allowed; this SLI has {' and '.join(kinds)}")
        return None
    kind = kinds[0]
    body = sli[kind]
    out: dict[str, Any] = {"name": name}
    rec.at(i_at, s_at)
    rec.at(i_at + ("name",), at + ("name",))
    if not isinstance(body, dict):
        rec.problem(s_at + (kind,), f"sli.{kind} is a mapping")
        return None
    if kind == "plugin":
        plugin = str(body.get("id") or "")
        if not plugin:
            rec.problem(s_at + (kind,), "plugin ID is required (sli.plugin.id)")
            return None
        options = json.dumps(body.get("options") or {}, sort_keys=True, default=str)
        out["source"] = "sloth-plugin"
        out["ratio"] = {"bad": f"{plugin} {options}", "total": f"{plugin} {options} (total)"}
        rec.at(i_at + ("ratio",), s_at + (kind,))
        rec.notice(
            s_at + (kind,),
            f"SLI plugin {plugin!r}: slospec cannot run Sloth SLI plugins; the objective "
            "and alerting are judged, the queries are not (compile skips this SLO)",
        )
        return out
    if kind == "raw":
        query = _template(rec, body.get(keys.ratio), s_at + (kind, keys.ratio), "sli raw query")
        if query is None:
            return None
        # slospec has no raw-ratio SLI: the error ratio over a constant total of 1 is the same ratio.
        out["ratio"] = {"bad": to_slospec_query(query), "total": "vector(1)"}
        rec.at(i_at + ("ratio",), s_at + (kind,))
        rec.at(i_at + ("ratio", "bad"), s_at + (kind, keys.ratio))
        rec.at(i_at + ("ratio", "total"), s_at + (kind, keys.ratio))
        return out
    error = _template(rec, body.get(keys.error), s_at + (kind, keys.error), "sli error query")
    total = _template(rec, body.get(keys.total), s_at + (kind, keys.total), "sli total query")
    if error is None or total is None:
        return None
    if error.strip() == total.strip():
        rec.problem(s_at + (kind, keys.error), "both error and total queries can't be the same")
        return None
    out["ratio"] = {"bad": to_slospec_query(error), "total": to_slospec_query(total)}
    rec.at(i_at + ("ratio",), s_at + (kind,))
    rec.at(i_at + ("ratio", "bad"), s_at + (kind, keys.error))
    rec.at(i_at + ("ratio", "total"), s_at + (kind, keys.total))
    return out


def _template(rec: Recorder, query: Any, at: Pointer, what: str) -> str | None:
    """The query template at `at`, or None when it is missing or has no window (a problem says so)."""
    if not isinstance(query, str) or not query.strip():
        rec.problem(at if query is not None else at[:-1], f"{what} template is required ({at[-1]})")
        return None
    if not SLOTH_TEMPLATE_RE.search(query):
        rec.problem(
            at,
            f"{what}: template must contain the {{{{.window}}}} variable where the range goes, "
            "like rate(x[{{.window}}])",
        )
        return None
    return query


def _alerting(
    rec: Recorder, alerting: Any, at: tuple, s_at: tuple, keys: _Keys, name: str, inherited: dict[str, str]
) -> dict:
    a_at = at + ("alerting",)
    alerting = alerting if isinstance(alerting, dict) else {}
    out: dict[str, Any] = {}
    tiers: list[dict] = []
    routes: dict[str, dict] = {}
    for severity, key in (("page", keys.page), ("ticket", keys.ticket)):
        alert = mapping(alerting.get(key))
        if alert.get("disable") is True:
            continue
        if not alerting.get("name") and not tiers:
            rec.problem(
                a_at if alerting else at,
                f"{severity} alert: alert name is required (alerting.name) unless {key}.disable is true",
            )
        where = a_at + (key,) if key in alerting else a_at if alerting else at + ("objective",)
        # Sloth labels each alert `sloth_severity: page|ticket`, then adds the alert's own labels.
        routes[severity] = {"labels": {"sloth_severity": severity, **label_map(alert.get("labels"))}}
        if alert.get("annotations"):
            rec.notice(
                a_at + (key, "annotations"),
                f"SLO {name!r}: annotations of the {severity} alert only are not kept "
                "(slospec writes its own summary and description)",
            )
        for percent, long_window, short_window in ((p, lw, sw) for s, p, lw, sw in DEFAULT_WINDOWS if s == severity):
            t_at = s_at + ("alerting", "tiers", len(tiers))
            tiers.append(
                {
                    "severity": severity,
                    "longWindow": long_window,
                    "shortWindow": short_window,
                    "budgetConsumed": f"{percent}%",
                }
            )
            for sub in ((), ("severity",), ("longWindow",), ("shortWindow",), ("budgetConsumed",)):
                rec.at(t_at + sub, where)
    if tiers:
        out["tiers"] = tiers
        rec.at(s_at + ("alerting",), a_at)
    else:
        out["policy"] = "none"
        rec.at(s_at + ("alerting",), a_at)
    labels = {**inherited, **label_map(alerting.get("labels"))} if tiers else label_map(alerting.get("labels"))
    if labels:
        out["labels"] = labels
        rec.at(s_at + ("alerting", "labels"), a_at + ("labels",) if "labels" in alerting else at)
    if tiers and isinstance(alerting.get("name"), str) and alerting["name"]:
        out["name"] = alerting["name"]
        rec.at(s_at + ("alerting", "name"), a_at + ("name",))
    for severity, route in routes.items():
        out[severity] = route
        key = keys.page if severity == "page" else keys.ticket
        rec.at(s_at + ("alerting", severity), a_at + (key,) if key in alerting else a_at if alerting else at)
    annotations = mapping(alerting.get("annotations"))
    for key in RUNBOOK_KEYS:
        if isinstance(annotations.get(key), str) and annotations[key]:
            out["runbook"] = annotations[key]
            rec.at(s_at + ("alerting", "runbook"), a_at + ("annotations", key))
            break
    rest = sorted(k for k in annotations if k not in RUNBOOK_KEYS)
    if rest:
        listed = ", ".join(repr(k) for k in rest)
        what = f"the alert annotation {listed} is" if len(rest) == 1 else f"the alert annotations {listed} are"
        rec.notice(
            a_at + ("annotations",), f"SLO {name!r}: {what} not kept (slospec writes its own summary and description)"
        )
    return out
