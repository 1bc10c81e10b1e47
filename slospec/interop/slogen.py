"""Google slo-generator configs -> slospec: `sre.google.com/v2` ServiceLevelObjective and v1 SLO configs.

Structure errors follow slo-generator's own config loading (its SLO JSON Schema: apiVersion,
kind, metadata.name, spec.backend/method/service_level_indicator/goal/description; goal a
ratio). `good_bad_ratio` filters become ratio SLIs, `distribution_cut` a latency SLI (Prometheus
buckets) or a ratio, `query_sli` a ratio over a constant total. The error-budget policy named
by the SLO (in the shared config.yaml found beside or above the file) gives the window (its
longest step) and the alert tiers (alerting steps page, the others ticket).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from slospec.interop.base import (
    Imported,
    Recorder,
    decimal_of,
    label_map,
    mapping,
    not_slo,
    percent_text,
    seconds_text,
    slug,
)
from slospec.source.document import Document

API_VERSION = "sre.google.com/v2"
DEFAULT_POLICY = "default"
DEFAULT_WINDOW = Decimal(28 * 86400)  # the longest step of slo-generator's sample policies
CONFIG_NAMES = ("config.yaml", "config.yml")
V1_POLICY_NAMES = ("error_budget_policy.yaml", "error_budget_policy.yml")
SEARCH_DEPTH = 3  # the file's folder and two above it (samples/<backend>/slo.yaml -> samples/config.yaml)
METHODS = ("good_bad_ratio", "distribution_cut", "query_sli", "query_slo", "basic", "threshold")


@dataclass(frozen=True)
class Step:
    """One error-budget policy step: a window in seconds, a burn-rate threshold, whether it alerts."""

    name: str
    window: Decimal
    threshold: Decimal
    alert: bool


@dataclass(frozen=True)
class Policies:
    """The error-budget policies known for a file, and where they were read from."""

    path: str
    policies: dict[str, tuple[Step, ...]]
    # Names the shared config defines (None when it has no such section, as in v1).
    backends: frozenset[str] | None = None
    exporters: frozenset[str] | None = None


def detect(data: Any) -> bool:
    if isinstance(data, dict):
        return (
            str(data.get("apiVersion", "")).startswith("sre.google.com/")
            or ("slo_target" in data and "backend" in data)
            or "error_budget_policies" in data
        )
    return (
        bool(data)
        and isinstance(data, list)
        and isinstance(data[0], dict)
        and "error_budget_policy_step_name" in data[0]
    )


def convert(doc: Document, policies: Policies | None = None) -> Imported:
    data = doc.data
    if isinstance(data, list):
        return not_slo(doc, "an slo-generator v1 error-budget policy (its steps), not an SLO")
    if not isinstance(data, dict):
        return not_slo(doc, "not an slo-generator SLO config")
    if "error_budget_policies" in data and "apiVersion" not in data:
        return not_slo(
            doc, "the slo-generator shared configuration (backends, exporters, error-budget policies), not an SLO"
        )
    if "apiVersion" in data:
        return _v2(doc, data, policies)
    return _v1(doc, data, policies)


def _v2(doc: Document, data: dict, policies: Policies | None) -> Imported:
    rec = Recorder(doc)
    if data.get("apiVersion") != API_VERSION:
        rec.problem(
            ("apiVersion",),
            f"apiVersion {data.get('apiVersion')!r} is not supported by slo-generator; write {API_VERSION}",
        )
        return rec.result(None)
    if data.get("kind") != "ServiceLevelObjective":
        rec.problem(("kind",) if "kind" in data else (), "kind must be ServiceLevelObjective")
        return rec.result(None)
    meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else None
    if meta is None or not isinstance(meta.get("name"), str) or not meta["name"]:
        rec.problem(("metadata",) if "metadata" in data else (), "metadata.name is required")
        meta = meta or {}
    spec = data.get("spec")
    if not isinstance(spec, dict):
        rec.problem(
            ("spec",) if "spec" in data else (),
            "spec is required: backend, method, service_level_indicator, goal and description",
        )
        return rec.result(None)
    for key in ("description", "backend", "method", "service_level_indicator", "goal"):
        if key not in spec:
            rec.problem(("spec",), f"spec.{key} is required")
    labels = mapping(meta.get("labels"))
    fields = {
        "name": meta.get("name") or "slo",
        "service": labels.get("service_name") or meta.get("name") or "service",
        "feature": labels.get("feature_name"),
        "description": spec.get("description"),
        "backend": spec.get("backend"),
        "method": spec.get("method"),
        "sli": spec.get("service_level_indicator"),
        "goal": spec.get("goal"),
        "policy": spec.get("error_budget_policy", DEFAULT_POLICY),
        "labels": label_map(labels),
        "exporters": spec.get("exporters"),
    }
    at = {
        "name": ("metadata", "name"),
        "service": ("metadata", "labels", "service_name") if "service_name" in labels else ("metadata", "name"),
        "description": ("spec", "description"),
        "backend": ("spec", "backend"),
        "method": ("spec", "method"),
        "sli": ("spec", "service_level_indicator"),
        "goal": ("spec", "goal"),
        "policy": ("spec", "error_budget_policy") if "error_budget_policy" in spec else ("spec", "goal"),
        "policy_key": "error_budget_policy" in spec,
        "labels": ("metadata", "labels"),
        "exporters": ("spec", "exporters"),
    }
    return _build(rec, fields, at, policies)


def _v1(doc: Document, data: dict, policies: Policies | None) -> Imported:
    rec = Recorder(doc)
    backend = data.get("backend") if isinstance(data.get("backend"), dict) else None
    for key in ("service_name", "feature_name", "slo_name", "slo_target", "backend"):
        if key not in data:
            rec.problem((), f"{key} is required in an slo-generator v1 SLO config")
    if backend is None:
        if "backend" in data:
            rec.problem(("backend",), "backend is a mapping with class, method and measurement")
        return rec.result(None)
    fields = {
        "name": f"{data.get('feature_name', '')}-{data.get('slo_name', '')}".strip("-") or "slo",
        "service": data.get("service_name") or "service",
        "feature": data.get("feature_name"),
        "description": data.get("slo_description"),
        "backend": str(backend.get("class", "")),
        "method": backend.get("method"),
        "sli": backend.get("measurement"),
        "goal": data.get("slo_target"),
        "policy": DEFAULT_POLICY,
        "labels": {},
        "exporters": data.get("exporters"),
    }
    at = {
        "name": ("slo_name",),
        "service": ("service_name",),
        "description": ("slo_description",),
        "backend": ("backend", "class"),
        "method": ("backend", "method"),
        "sli": ("backend", "measurement"),
        "goal": ("slo_target",),
        "policy": ("slo_target",),
        "policy_key": False,
        "labels": (),
        "exporters": ("exporters",),
    }
    if policies is not None and DEFAULT_POLICY not in policies.policies and "v1" in policies.policies:
        policies = Policies(policies.path, {DEFAULT_POLICY: policies.policies["v1"]})
    return _build(rec, fields, at, policies)


def _build(rec: Recorder, f: dict, at: dict, policies: Policies | None) -> Imported:
    goal = decimal_of(f["goal"])
    if goal is None or isinstance(f["goal"], str):
        if f["goal"] is not None:
            rec.problem(at["goal"], f"goal must be a number: a ratio like 0.999 (for 99.9%); got {f['goal']!r}")
    elif not 0 < goal <= 1:
        hint = f"; {goal} looks like a percent: write {goal / 100}" if 1 < goal <= 100 else ""
        rec.problem(at["goal"], f"goal is a ratio between 0 and 1 (0.999 for 99.9%){hint}")
    method = f["method"]
    if method is not None and method not in METHODS:
        rec.problem(at["method"], f"method {method!r} is not an slo-generator method; use one of {', '.join(METHODS)}")
    if not isinstance(f["sli"], dict):
        if f["sli"] is not None:
            rec.problem(at["sli"], "service_level_indicator is a mapping (the filters or the expression)")
    if any(p.code == "SLO002" for p in rec.problems) or goal is None or not isinstance(f["sli"], dict):
        return rec.result(None)
    name = slug(f["name"])
    service = slug(f["service"], "service")
    svc: dict[str, Any] = {"name": service}
    rec.at(("service",), at["service"])
    rec.at(("service", "name"), at["service"])
    owner_key = next((k for k in ("owner", "team") if isinstance(f["labels"].get(k), str) and f["labels"][k]), None)
    if owner_key is not None:  # slo-generator configs name their team in metadata.labels
        svc["owner"] = f["labels"][owner_key]
        rec.at(("service", "owner"), at["labels"] + (owner_key,) if at["labels"] else ())
    sli = _sli(rec, f, at, name)
    if sli is None:
        return rec.result(None)
    slo: dict[str, Any] = {"name": name, "sli": name, "target": percent_text((goal * 100).normalize())}
    rec.at(("slos", 0), at["goal"][:-1] or ())
    rec.at(("slos", 0, "name"), at["name"])
    rec.at(("slos", 0, "sli"), at["sli"])
    rec.at(("slos", 0, "target"), at["goal"])
    if isinstance(f["description"], str) and f["description"].strip():
        slo["description"] = sli["description"] = f["description"].strip()[:1050]
        rec.at(("slos", 0, "description"), at["description"])
        rec.at(("slis", 0, "description"), at["description"])
    if f["labels"]:
        slo["labels"] = f["labels"]
        rec.at(("slos", 0, "labels"), at["labels"])
    _references(rec, f, at, policies)
    if f.get("exporters"):
        rec.notice(
            at["exporters"], "exporters are not kept: slospec compiles rules and contracts instead of pushing reports"
        )
    window, alerting = _policy(rec, f, at, policies)
    slo["window"] = window
    rec.at(("slos", 0, "window"), at["policy"])
    slo["alerting"] = alerting
    return rec.result({"apiVersion": "slospec/v1", "service": svc, "slis": [sli], "slos": [slo]})


def _source(backend: Any) -> str:
    text = str(backend or "").strip()
    return "prometheus" if text.lower() == "prometheus" else (text or "unknown")


def _sli(rec: Recorder, f: dict, at: dict, name: str) -> dict | None:
    body, method, s_at = f["sli"], f["method"], at["sli"]
    source = _source(f["backend"])
    prometheus = source == "prometheus"
    out: dict[str, Any] = {"name": name}
    if not prometheus:
        out["source"] = source
    rec.at(("slis", 0), s_at)
    rec.at(("slis", 0, "name"), at["name"])

    def key_for(role: str) -> str | None:
        # filter_good (Cloud Monitoring, Prometheus), query_good (Datadog, Dynatrace, Elasticsearch),
        # search_query_good (Splunk): each backend names its fields, the role is the suffix.
        return next((k for k in body if isinstance(k, str) and (k == role or k.endswith("_" + role))), None)

    def text(key: str | None) -> str | None:
        value = body.get(key) if key else None
        if isinstance(value, (dict, list)):
            return json.dumps(value, sort_keys=True, default=str) if value else None
        return " ".join(str(value).split()) if value is not None and str(value).strip() else None

    if method == "good_bad_ratio":
        keys = {role: key_for(role) for role in ("good", "valid", "bad")}
        good, valid, bad = (text(keys[r]) for r in ("good", "valid", "bad"))
        if (good is None and bad is None) or (valid is None and (good is None or bad is None)):
            if prometheus:
                rec.problem(
                    s_at,
                    "good_bad_ratio needs filter_good or filter_bad, with filter_valid (or both "
                    "filter_good and filter_bad)",
                )
                return None
        elif valid is not None:
            key, query = ("good", good) if good is not None else ("bad", bad)
            out["ratio"] = {key: query, "total": valid}
            rec.at(("slis", 0, "ratio", key), s_at + (keys[key],))
            rec.at(("slis", 0, "ratio", "total"), s_at + (keys["valid"],))
            return out
        else:
            total = (
                f"sum(rate({good}[{{{{window}}}}])) + sum(rate({bad}[{{{{window}}}}]))"
                if prometheus
                else f"({good}) + ({bad})"
            )
            out["ratio"] = {"bad": bad, "total": total}
            rec.at(("slis", 0, "ratio", "bad"), s_at + (keys["bad"],))
            rec.at(("slis", 0, "ratio", "total"), s_at + (keys["good"],))
            return out
    elif method == "distribution_cut" and "threshold_bucket" in body:
        dist_key = "expression" if "expression" in body else key_for("valid")
        query = text(dist_key)
        threshold = decimal_of(body.get("threshold_bucket"))
        good_below = body.get("good_below_threshold", True) is not False
        if dist_key is None or query is None or threshold is None:
            rec.problem(
                s_at,
                "distribution_cut needs the distribution (expression or filter_valid) and a numeric threshold_bucket",
            )
            return None
        base = re.sub(r"_bucket(?=\s*(\{|$))", "", query, count=1)
        if prometheus and good_below and threshold > 0 and base != query:
            from slospec.specmodel.quantities import format_decimal

            out["latency"] = {"histogram": base, "threshold": f"{format_decimal(threshold)}s"}
            rec.at(("slis", 0, "latency", "histogram"), s_at + (dist_key,))
            rec.at(("slis", 0, "latency", "threshold"), s_at + ("threshold_bucket",))
            return out
        cut = f"{query} below bucket {body.get('threshold_bucket')}"
        out["ratio"] = {"good" if good_below else "bad": cut, "total": query}
        rec.at(("slis", 0, "ratio"), s_at + ("threshold_bucket",))
        rec.notice(
            s_at + ("threshold_bucket",),
            f"distribution_cut on {source}: threshold_bucket is a bucket "
            "index there, not a latency; kept as text (the latency threshold is not judged)",
        )
        return out
    elif method == "query_sli":
        query_key = next((k for k in ("expression", "query", "search_query", "query_sli") if k in body), None)
        expression = text(query_key)
        if expression is None and prometheus:
            rec.problem(s_at, "query_sli needs expression (a query returning the SLI ratio)")
            return None
        if query_key is not None and expression is not None:
            if prometheus:
                expression = re.sub(r"\[\s*window\s*\]", "[{{window}}]", expression)
            out["ratio"] = {"good": expression, "total": "vector(1)" if prometheus else "1"}
            rec.at(("slis", 0, "ratio", "good"), s_at + (query_key,))
            rec.at(("slis", 0, "ratio", "total"), s_at + (query_key,))
            rec.notice(
                s_at + (query_key,),
                "query_sli returns the SLI ratio itself; kept as good = the expression over a constant total of 1",
            )
            return out
    # query_slo, basic, threshold, custom backends: the backend computes the SLI from fields
    # only it knows; kept as text so the objective and the alerting are still judged.
    described = json.dumps(body, sort_keys=True, default=str)
    if prometheus:
        source = "prometheus-" + str(method)
    out["source"] = source
    out["ratio"] = {"good": f"{method}: {described}", "total": f"{method}: all events"}
    rec.at(("slis", 0, "ratio"), s_at)
    rec.notice(
        at["method"],
        f"method {method!r}: {source} computes the SLI itself; kept as text, so the objective "
        "and alerting are judged but not the queries",
    )
    return out


def _references(rec: Recorder, f: dict, at: dict, policies: Policies | None) -> None:
    """v2 SLOs name a backend and exporters defined in the shared config (slo-generator fails
    at run time when one is missing)."""
    if policies is None or "exporters" not in at or at["exporters"] != ("spec", "exporters"):
        return
    backend = f["backend"]
    if policies.backends is not None and isinstance(backend, str) and backend not in policies.backends:
        rec.problem(
            at["backend"],
            f"backend {backend!r} is not defined under backends in {policies.path} "
            f"(defined: {', '.join(sorted(policies.backends)) or 'none'})",
            code="SLO004",
        )
    exporters = f.get("exporters")
    if policies.exporters is not None and isinstance(exporters, list):
        for index, name in enumerate(exporters):
            if isinstance(name, str) and name not in policies.exporters:
                rec.problem(
                    at["exporters"] + (index,),
                    f"exporter {name!r} is not defined under exporters in "
                    f"{policies.path} (defined: {', '.join(sorted(policies.exporters)) or 'none'})",
                    code="SLO004",
                )


def _policy(rec: Recorder, f: dict, at: dict, policies: Policies | None) -> tuple[str, dict]:
    name = f["policy"]
    if policies is None:
        rec.notice(
            at["policy"],
            f"no slo-generator config.yaml with error_budget_policies was found beside or "
            f"above this file: window assumed {seconds_text(DEFAULT_WINDOW)}, no alert tiers",
        )
        return seconds_text(DEFAULT_WINDOW), {"policy": "none"}
    steps = policies.policies.get(str(name))
    if steps is None:
        known = ", ".join(sorted(policies.policies)) or "none"
        where = at["policy"] if at["policy_key"] else at["goal"][:-1]
        rec.problem(
            where, f"error-budget policy {name!r} is not defined in {policies.path} (defined: {known})", code="SLO004"
        )
        return seconds_text(DEFAULT_WINDOW), {"policy": "none"}
    # Each step judges its own window; the compliance window is the longest step that only asks
    # for the budget to last (burn rate 1 or less), else slo-generator's usual 28 days.
    window = max((s.window for s in steps if s.threshold <= 1), default=None)
    if window is None:
        window = max([DEFAULT_WINDOW] + [s.window for s in steps])
        rec.notice(
            at["policy"],
            f"policy {name!r} has no step at burn rate 1 or less that would name the SLO "
            f"window: window assumed {seconds_text(window)}",
        )
    tiers = []
    for step in steps:
        if step.window >= window or step.threshold <= 0:
            rec.notice(
                at["policy"],
                f"policy {name!r} step {step.name!r} covers the whole window "
                f"({seconds_text(step.window)}): it is the SLO itself, not an alert",
            )
            continue
        tiers.append(
            {
                "severity": "page" if step.alert else "ticket",
                "longWindow": seconds_text(step.window),
                "burnRate": step.threshold,
            }
        )
    if tiers:
        rec.notice(
            at["policy"],
            f"policy {name!r} steps are single-window alerts; slospec adds a short window "
            "of 1/12 of each (multi-window burn-rate alerts)",
        )
    for index in range(len(tiers)):
        for sub in ((), ("severity",), ("longWindow",), ("burnRate",), ("shortWindow",)):
            rec.at(("slos", 0, "alerting", "tiers", index) + sub, at["policy"])
    rec.at(("slos", 0, "alerting"), at["policy"])
    return seconds_text(window), ({"tiers": tiers} if tiers else {"policy": "none"})


def read_steps(raw: Any) -> tuple[Step, ...]:
    """Steps of one policy (v2 `steps:` entries or the v1 list); malformed steps are left out."""
    out = []
    for step in raw if isinstance(raw, list) else ():
        if not isinstance(step, dict):
            continue
        window = decimal_of(step.get("window", step.get("measurement_window_seconds")))
        threshold = decimal_of(step.get("burn_rate_threshold", step.get("alerting_burn_rate_threshold")))
        alert = step.get("alert", step.get("urgent_notification", False)) is True
        if window is None or threshold is None or window <= 0:
            continue
        out.append(Step(str(step.get("name", step.get("error_budget_policy_step_name", ""))), window, threshold, alert))
    return tuple(out)


def policies_in(data: Any) -> dict[str, tuple[Step, ...]] | None:
    """The policies a parsed config document holds (v2 shared config or v1 policy list)."""
    if isinstance(data, dict) and isinstance(data.get("error_budget_policies"), dict):
        return {
            str(k): read_steps((v or {}).get("steps") if isinstance(v, dict) else None)
            for k, v in data["error_budget_policies"].items()
        }
    if isinstance(data, list) and data and isinstance(data[0], dict) and "error_budget_policy_step_name" in data[0]:
        return {"v1": read_steps(data)}
    return None


def find_policies(path: str) -> Policies | None:
    """The nearest slo-generator config (config.yaml with error_budget_policies, or a v1
    error_budget_policy.yaml) in the file's folder or up to two folders above it."""
    if not path or path.startswith("<"):
        return None
    folder = Path(path).resolve().parent
    for _ in range(SEARCH_DEPTH):
        for name in CONFIG_NAMES + V1_POLICY_NAMES:
            found = _read_policies(folder / name)
            if found is not None:
                return found
        if folder.parent == folder:
            break
        folder = folder.parent
    return None


def _names(section: Any) -> frozenset[str] | None:
    return frozenset(str(k) for k in section) if isinstance(section, dict) else None


_CACHE: dict[str, Policies | None] = {}


def _read_policies(candidate: Path) -> Policies | None:
    key = str(candidate)
    if key in _CACHE:
        return _CACHE[key]
    result = None
    try:
        if candidate.is_file() and candidate.stat().st_size < 1_000_000:
            from slospec.source import yamlfile

            for parsed in yamlfile.load_all(candidate.read_text(encoding="utf-8")):
                policies = policies_in(parsed.data)
                if policies is not None:
                    data = parsed.data if isinstance(parsed.data, dict) else {}
                    result = Policies(
                        str(candidate), policies, _names(data.get("backends")), _names(data.get("exporters"))
                    )
                    break
    except Exception:  # noqa: BLE001 - an unreadable config is the same as none: a notice says so
        result = None
    _CACHE[key] = result
    return result
