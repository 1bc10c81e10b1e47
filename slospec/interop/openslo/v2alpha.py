"""OpenSLO v2alpha (`apiVersion: openslo.com/v2alpha`): its objects' shape, checked as the
OpenSLO Go SDK validates them (`pkg/openslo/v2alpha`: govy rules, and a decoder that refuses
unknown fields), and the v1 objects slospec writes rewritten in v2alpha's words.

v2alpha says what v1 says under other names: an SLO's `serviceRef` (`service` in files written
before the rename, which oslo still reads), `sli` / `sliRef` for `indicator` / `indicatorRef`,
a metric's `dataSourceRef` / `dataSourceSpec` / `spec` for v1's `metricSource`; metadata has
no `displayName` and label values are single strings; durations have no M, Q or Y unit. The
importer reads both through `objects.indicator_keys` / `metric_source` / `service_key`.
"""

from __future__ import annotations

import difflib
import re
from datetime import datetime
from typing import Any

from slospec.diagnostics import Pointer, pointer_text

API = "openslo.com/v2alpha"
KINDS = ("SLO", "SLI", "DataSource", "Service", "AlertPolicy", "AlertCondition", "AlertNotificationTarget")
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
# Kubernetes qualified names (label and annotation keys): an optional DNS subdomain prefix.
_QUALIFIED_NAME = re.compile(r"^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$")
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
LABEL_VALUE = re.compile(r"^([a-z0-9]([-._a-z0-9]{0,61}[a-z0-9])?)?$")
DURATION = re.compile(r"^\d+[mhdw]$")
START_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
OPERATORS = ("gt", "lt", "gte", "lte")
BUDGETING_METHODS = ("Occurrences", "Timeslices", "RatioTimeslices")
DESCRIPTION_LIMIT = 1050

_TOP = ("apiVersion", "kind", "metadata", "spec")
_METADATA = ("name", "labels", "annotations")
_SPEC_KEYS = {
    "SLO": (
        "description",
        "serviceRef",
        "sli",
        "sliRef",
        "budgetingMethod",
        "timeWindow",
        "objectives",
        "alertPolicies",
        "service",  # the name before OpenSLO's rename (#279), still what oslo reads
    ),
    "SLI": ("description", "thresholdMetric", "ratioMetric"),
    "DataSource": ("description", "type", "connectionDetails"),
    "Service": ("description",),
    "AlertPolicy": (
        "description",
        "alertWhenNoData",
        "alertWhenBreaching",
        "alertWhenResolved",
        "conditions",
        "notificationTargets",
    ),
    "AlertCondition": ("severity", "condition", "description"),
    "AlertNotificationTarget": ("description", "target"),
}
_OBJECTIVE = (
    "displayName",
    "op",
    "value",
    "target",
    "targetPercent",
    "timeSliceTarget",
    "timeSliceWindow",
    "sli",
    "sliRef",
    "compositeWeight",
)
_RATIO = ("counter", "good", "bad", "total", "rawType", "raw")
_METRIC = ("dataSourceRef", "dataSourceSpec", "spec")
_TIME_WINDOW = ("duration", "isRolling", "calendar")
_CALENDAR = ("startTime", "timeZone")
_CONDITION = ("kind", "op", "threshold", "lookbackWindow", "alertAfter")

# (pointer inside the object, message, at the key, blocking: the importer cannot read the object)
Found = tuple[Pointer, str, bool, bool]


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) or type(value).__name__ == "Decimal"


class _Checker:
    def __init__(self) -> None:
        self.found: list[Found] = []

    def add(self, at: Pointer, message: str, *, at_key: bool = False, blocking: bool = True) -> None:
        self.found.append((at, f"{pointer_text(at)}: {message}" if at else message, at_key, blocking))

    def keys(self, data: dict, at: Pointer, known: tuple[str, ...]) -> None:
        """The Go SDK's decoder refuses a field it does not know (the object is not loaded)."""
        for key in data:
            if key in known:
                continue
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f" in openslo.com/v2alpha (known: {', '.join(known)})"
            self.add(at + (key,), f"unknown key{hint}", at_key=True, blocking=False)

    def mapping(self, data: Any, at: Pointer, what: str) -> dict | None:
        if isinstance(data, dict):
            return data
        self.add(at, f"{what} must be a mapping")
        return None

    def required(self, data: dict, key: str, at: Pointer, example: str) -> bool:
        if data.get(key) in (None, ""):
            self.add(at, f"missing required key {key!r} (write {example})")
            return False
        return True

    def string(self, data: dict, key: str, at: Pointer) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.add(at + (key,), f"{value!r} must be a string")
            return None
        return value

    def description(self, data: dict, at: Pointer) -> None:
        text = self.string(data, "description", at)
        if text is not None and len(text) > DESCRIPTION_LIMIT:
            self.add(
                at + ("description",),
                f"{len(text)} characters; at most {DESCRIPTION_LIMIT} (the Go SDK's limit)",
                blocking=False,
            )

    def dns_name(self, value: Any, at: Pointer, what: str) -> None:
        if not isinstance(value, str):
            self.add(at, f"{what} must be a string")
        elif not DNS_LABEL.match(value) or len(value) > 63:
            self.add(
                at,
                f"{value!r} is not valid; use lowercase letters, digits and dashes, "
                "at most 63 characters (an RFC 1123 DNS label)",
                blocking=False,
            )

    def duration(self, data: dict, key: str, at: Pointer, *, required: bool) -> None:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.add(at, f"missing required key {key!r} (a duration like 5m, 1h, 28d or 1w)")
            return
        if not isinstance(value, str) or not DURATION.match(value):
            units = " (v2alpha has no M, Q or Y unit)" if isinstance(value, str) and value[-1:] in "MQY" else ""
            self.add(
                at + (key,),
                f"{value!r} is not a duration; write a whole number and a unit: m, h, d or w (5m, 1h, 28d, 1w){units}",
            )

    def operator(self, data: dict, at: Pointer, *, required: bool) -> None:
        value = data.get("op")
        if value is None or value == "":
            if required:
                self.add(at, f"missing required key 'op' (one of: {', '.join(OPERATORS)})")
        elif value not in OPERATORS:
            self.add(at + ("op",), f"{value!r} is not one of: {', '.join(OPERATORS)}")

    # -- the parts every kind shares ---------------------------------------------------------

    def metadata(self, data: Any, at: Pointer) -> None:
        meta = data.get("metadata")
        if meta is None:
            self.add(at, "missing required key 'metadata' (with a name: metadata: {name: my-name})")
            return
        meta = self.mapping(meta, at + ("metadata",), "metadata")
        if meta is None:
            return
        at = at + ("metadata",)
        self.keys(meta, at, _METADATA)
        if meta.get("name") in (None, ""):
            self.add(at, "missing required key 'name' (a DNS label like my-name)")
        else:
            self.dns_name(meta["name"], at + ("name",), "name")
        labels = meta.get("labels")
        if labels is not None and self.mapping(labels, at + ("labels",), "labels") is not None:
            for key, value in labels.items():
                self.qualified(key, at + ("labels", key), "label")
                if not isinstance(value, str):
                    self.add(
                        at + ("labels", key),
                        f"{value!r} is not a label value: v2alpha labels hold one string each "
                        "(v1's lists are gone); write one value",
                    )
                elif not LABEL_VALUE.match(value):
                    self.add(
                        at + ("labels", key),
                        f"{value!r} is not a valid label value; use lowercase letters, digits, '-', '.' "
                        "and '_', starting and ending with a letter or digit, at most 63 characters",
                        blocking=False,
                    )
        annotations = meta.get("annotations")
        if annotations is not None and self.mapping(annotations, at + ("annotations",), "annotations") is not None:
            for key, value in annotations.items():
                self.qualified(key, at + ("annotations", key), "annotation")
                if not isinstance(value, str):
                    self.add(at + ("annotations", key), f"{value!r} must be a string (quote it)")

    def qualified(self, key: Any, at: Pointer, what: str) -> None:
        text = str(key)
        prefix, _, name = text.rpartition("/")
        if (
            not _QUALIFIED_NAME.match(name)
            or (prefix and (not _DNS_SUBDOMAIN.match(prefix) or len(prefix) > 253))
            or ("/" in text and not prefix)
        ):
            self.add(
                at,
                f"{text!r} is not a valid {what} key; use letters, digits, '-', '_' and '.' (at most 63), "
                "optionally after a DNS prefix and '/' (like example.com/team)",
                at_key=True,
                blocking=False,
            )

    def inline(self, data: Any, at: Pointer, kind: str, spec_check: Any) -> None:
        """An object written inline (`kind`, `metadata`, `spec`) where a reference could be."""
        if data.get("kind") != kind:
            found = data.get("kind")
            self.add(
                at + ("kind",) if found is not None else at,
                f"kind must be {kind}" if found is not None else f"missing required key 'kind' (kind: {kind})",
            )
        self.keys(data, at, ("kind", "metadata", "spec"))
        self.metadata(data, at)
        spec = data.get("spec")
        if spec is None:
            self.add(at, "missing required key 'spec'")
        elif self.mapping(spec, at + ("spec",), "spec") is not None:
            spec_check(spec, at + ("spec",))

    def one_of(self, data: dict, at: Pointer, keys: tuple[str, ...], *, required: bool = True) -> str | None:
        present = [k for k in keys if data.get(k) not in (None, "")]
        if len(present) > 1:
            self.add(at, f"{' and '.join(repr(k) for k in present)} cannot be set together; keep one")
        elif not present and required:
            self.add(at, f"one of {' or '.join(repr(k) for k in keys)} is required")
        return present[0] if len(present) == 1 else None

    # -- kinds ---------------------------------------------------------------------------------

    def service_spec(self, spec: dict, at: Pointer) -> None:
        self.keys(spec, at, _SPEC_KEYS["Service"])
        self.description(spec, at)

    def data_source_spec(self, spec: dict, at: Pointer) -> None:
        self.keys(spec, at, _SPEC_KEYS["DataSource"])
        self.description(spec, at)
        self.required(spec, "type", at, "the source's type, like type: Prometheus")
        if spec.get("connectionDetails") is None:
            self.add(at, "missing required key 'connectionDetails' (how to reach the source; {} when none)")

    def metric(self, data: Any, at: Pointer) -> None:
        metric = self.mapping(data, at, "a metric")
        if metric is None:
            return
        self.keys(metric, at, _METRIC)
        which = self.one_of(metric, at, ("dataSourceRef", "dataSourceSpec"))
        if which == "dataSourceRef":
            self.dns_name(metric["dataSourceRef"], at + ("dataSourceRef",), "dataSourceRef")
        elif which == "dataSourceSpec":
            inline = self.mapping(metric["dataSourceSpec"], at + ("dataSourceSpec",), "dataSourceSpec")
            if inline is not None:
                self.data_source_spec(inline, at + ("dataSourceSpec",))
        if metric.get("spec") is not None:
            self.mapping(metric["spec"], at + ("spec",), "spec (the query and the source's fields)")

    def sli_spec(self, spec: dict, at: Pointer) -> None:
        self.keys(spec, at, _SPEC_KEYS["SLI"])
        self.description(spec, at)
        which = self.one_of(spec, at, ("thresholdMetric", "ratioMetric"))
        if which == "thresholdMetric":
            self.metric(spec["thresholdMetric"], at + ("thresholdMetric",))
        elif which == "ratioMetric":
            self.ratio(spec["ratioMetric"], at + ("ratioMetric",))

    def ratio(self, data: Any, at: Pointer) -> None:
        ratio = self.mapping(data, at, "ratioMetric")
        if ratio is None:
            return
        self.keys(ratio, at, _RATIO)
        if "counter" in ratio and not isinstance(ratio["counter"], bool):
            self.add(at + ("counter",), f"{ratio['counter']!r} must be true or false")
        if self.one_of(ratio, at, ("total", "raw")) is None:
            return
        if ratio.get("raw") is not None:
            if self.one_of(ratio, at, ("raw", "good", "bad"), required=False) is None:
                return
            self.metric(ratio["raw"], at + ("raw",))
            raw_type = ratio.get("rawType")
            if raw_type in (None, ""):
                self.add(at, "missing required key 'rawType' (success or failure: what the raw ratio counts)")
            elif raw_type not in ("success", "failure"):
                self.add(at + ("rawType",), f"{raw_type!r} is not one of: success, failure")
            return
        which = self.one_of(ratio, at, ("good", "bad"))
        self.metric(ratio["total"], at + ("total",))
        if which is not None:
            self.metric(ratio[which], at + (which,))

    def sli_inline(self, data: Any, at: Pointer) -> dict | None:
        """An SLI written inside an SLO (`metadata` and `spec`, no apiVersion or kind)."""
        sli = self.mapping(data, at, "sli")
        if sli is None:
            return None
        self.keys(sli, at, ("metadata", "spec"))
        self.metadata(sli, at)
        spec = sli.get("spec")
        if spec is None or self.mapping(spec, at + ("spec",), "spec") is None:
            if spec is None:
                self.add(at, "missing required key 'spec' (with a ratioMetric or a thresholdMetric)")
            return None
        self.sli_spec(spec, at + ("spec",))
        return spec

    def sli_choice(self, data: dict, at: Pointer) -> dict | None:
        which = self.one_of(data, at, ("sli", "sliRef"), required=False)
        if which == "sliRef":
            self.dns_name(data["sliRef"], at + ("sliRef",), "sliRef")
        elif which == "sli":
            return self.sli_inline(data["sli"], at + ("sli",))
        return None

    def condition_spec(self, spec: dict, at: Pointer) -> None:
        self.keys(spec, at, _SPEC_KEYS["AlertCondition"])
        self.description(spec, at)
        self.required(spec, "severity", at, "severity: page, or your routing's word")
        condition = spec.get("condition")
        if condition is None:
            self.add(at, "missing required key 'condition' (kind: burnrate, op, threshold, lookbackWindow, alertAfter)")
            return
        condition = self.mapping(condition, at + ("condition",), "condition")
        if condition is None:
            return
        at = at + ("condition",)
        self.keys(condition, at, _CONDITION)
        kind = condition.get("kind")
        if kind in (None, ""):
            self.add(at, "missing required key 'kind' (kind: burnrate)")
            return
        if kind != "burnrate":
            self.add(at + ("kind",), f"{kind!r} is not one of: burnrate")
            return
        self.operator(condition, at, required=True)
        if condition.get("threshold") is None:
            self.add(at, "missing required key 'threshold' (the burn rate, like 14.4)")
        elif not _number(condition["threshold"]):
            self.add(at + ("threshold",), f"{condition['threshold']!r} must be a number")
        self.duration(condition, "lookbackWindow", at, required=True)
        self.duration(condition, "alertAfter", at, required=True)

    def target_spec(self, spec: dict, at: Pointer) -> None:
        self.keys(spec, at, _SPEC_KEYS["AlertNotificationTarget"])
        self.description(spec, at)
        self.required(spec, "target", at, "where alerts go, like target: pagerduty")

    def policy_spec(self, spec: dict, at: Pointer) -> None:
        self.keys(spec, at, _SPEC_KEYS["AlertPolicy"])
        self.description(spec, at)
        for key in ("alertWhenNoData", "alertWhenBreaching", "alertWhenResolved"):
            if key in spec and not isinstance(spec[key], bool):
                self.add(at + (key,), f"{spec[key]!r} must be true or false")
        conditions = spec.get("conditions")
        if not isinstance(conditions, list) or len(conditions) != 1:
            count = len(conditions) if isinstance(conditions, list) else 0
            self.add(
                at + ("conditions",) if conditions is not None else at,
                f"an alert policy has exactly one condition (found {count}); "
                "write one policy per condition (conditions: [{conditionRef: my-condition}])",
            )
        for index, item in enumerate(conditions if isinstance(conditions, list) else []):
            self.ref_or_inline(item, at + ("conditions", index), "conditionRef", "AlertCondition", self.condition_spec)
        targets = spec.get("notificationTargets")
        if not isinstance(targets, list) or not targets:
            self.add(
                at + ("notificationTargets",) if targets is not None else at,
                "an alert policy needs at least one notification target (notificationTargets: [{targetRef: my-target}])",
            )
        for index, item in enumerate(targets if isinstance(targets, list) else []):
            self.ref_or_inline(
                item, at + ("notificationTargets", index), "targetRef", "AlertNotificationTarget", self.target_spec
            )

    def ref_or_inline(self, data: Any, at: Pointer, ref: str, kind: str, spec_check: Any) -> None:
        item = self.mapping(data, at, f"an entry ({ref}: name, or an inline {kind})")
        if item is None:
            return
        if ref in item:
            if len(item) > 1:
                self.add(at, f"{ref!r} and an inline {kind} cannot be set together; keep one")
            self.dns_name(item[ref], at + (ref,), ref)
        else:
            self.inline(item, at, kind, spec_check)

    def slo_spec(self, spec: dict, at: Pointer) -> None:
        self.keys(spec, at, _SPEC_KEYS["SLO"])
        self.description(spec, at)
        if spec.get("serviceRef") not in (None, "") and spec.get("service") not in (None, ""):
            self.add(at + ("service",), "'service' and 'serviceRef' cannot be set together; keep serviceRef")
        elif spec.get("serviceRef") in (None, "") and spec.get("service") in (None, ""):
            self.add(at, "missing required key 'serviceRef' (the name of the Service this SLO belongs to)")
        for key in ("serviceRef", "service"):
            self.string(spec, key, at)
        method = spec.get("budgetingMethod")
        if method in (None, ""):
            self.add(at, f"missing required key 'budgetingMethod' (one of: {', '.join(BUDGETING_METHODS)})")
        elif method not in BUDGETING_METHODS:
            self.add(at + ("budgetingMethod",), f"{method!r} is not one of: {', '.join(BUDGETING_METHODS)}")
        objectives = spec.get("objectives")
        if objectives is not None and not isinstance(objectives, list):
            self.add(at + ("objectives",), "objectives must be a list")
            objectives = None
        objectives = objectives or []
        composite = any(isinstance(o, dict) and ("sli" in o or "sliRef" in o) for o in objectives)
        standard = "sli" in spec or "sliRef" in spec
        if composite and standard:
            self.add(
                at,
                "'sli' or 'sliRef' is set on the spec and on objectives: write it on the spec (a standard SLO) "
                "or on every objective (a composite SLO), not both",
            )
        elif not composite and not standard:
            self.add(at, "missing required key 'sliRef' or 'sli' (the SLI this SLO measures: sliRef: my-sli)")
        inline = self.sli_choice(spec, at)
        self.time_windows(spec, at)
        policies = spec.get("alertPolicies")
        if policies is not None and not isinstance(policies, list):
            self.add(at + ("alertPolicies",), "alertPolicies must be a list")
        for index, item in enumerate(policies if isinstance(policies, list) else []):
            self.ref_or_inline(item, at + ("alertPolicies", index), "alertPolicyRef", "AlertPolicy", self.policy_spec)
        for index, objective in enumerate(objectives):
            self.objective(objective, at + ("objectives", index), spec, inline, composite)

    def time_windows(self, spec: dict, at: Pointer) -> None:
        windows = spec.get("timeWindow")
        if windows is None:
            return
        if not isinstance(windows, list) or len(windows) != 1:
            self.add(
                at + ("timeWindow",), "timeWindow is a list of exactly one window (- duration: 28d, isRolling: true)"
            )
            return
        window = self.mapping(windows[0], at + ("timeWindow", 0), "a time window")
        if window is None:
            return
        at = at + ("timeWindow", 0)
        self.keys(window, at, _TIME_WINDOW)
        self.duration(window, "duration", at, required=True)
        rolling = window.get("isRolling", False)
        if not isinstance(rolling, bool):
            self.add(at + ("isRolling",), f"{rolling!r} must be true or false")
            return
        calendar = window.get("calendar")
        if rolling and calendar is not None:
            self.add(at + ("calendar",), "'calendar' cannot be set when 'isRolling' is true; remove it")
        elif not rolling and calendar is None:
            self.add(
                at,
                "'calendar' must be set when 'isRolling' is false "
                "(calendar: {startTime: 2024-01-01 00:00:00, timeZone: UTC}), or write isRolling: true",
            )
        if calendar is None or self.mapping(calendar, at + ("calendar",), "calendar") is None:
            return
        at = at + ("calendar",)
        self.keys(calendar, at, _CALENDAR)
        start = calendar.get("startTime")
        if start is not None and not isinstance(start, datetime) and not START_TIME.match(str(start)):
            self.add(at + ("startTime",), f"{start!r} is not a start time; write it as 2024-01-01 00:00:00")
        zone = calendar.get("timeZone")
        if zone not in (None, ""):
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                ZoneInfo(str(zone))
            except (ZoneInfoNotFoundError, ValueError, OSError):
                self.add(at + ("timeZone",), f"'{zone}' is not an IANA time zone (like UTC or America/New_York)")

    def objective(self, data: Any, at: Pointer, spec: dict, inline: dict | None, composite: bool) -> None:
        objective = self.mapping(data, at, "an objective")
        if objective is None:
            return
        self.keys(objective, at, _OBJECTIVE)
        which = self.one_of(objective, at, ("target", "targetPercent"))
        if which is not None:
            value = objective[which]
            top = 1 if which == "target" else 100
            if not _number(value):
                self.add(at + (which,), f"{value!r} must be a number")
            elif not 0 <= value < top:
                self.add(at + (which,), f"{value} must be at least 0 and less than {top}")
        method = spec.get("budgetingMethod")
        if method in ("Timeslices", "RatioTimeslices"):
            self.duration(objective, "timeSliceWindow", at, required=True)
        if method == "Timeslices":
            slice_target = objective.get("timeSliceTarget")
            if slice_target is None:
                self.add(at, "missing required key 'timeSliceTarget' (the share of a slice that makes it good: 0.95)")
            elif not _number(slice_target) or not 0 < slice_target <= 1:
                self.add(at + ("timeSliceTarget",), f"{slice_target!r} must be more than 0 and at most 1")
        if composite:
            if self.one_of(objective, at, ("sli", "sliRef")) is not None:
                self.sli_choice(objective, at)
            weight = objective.get("compositeWeight")
            if weight is not None and (not _number(weight) or weight <= 0):
                self.add(at + ("compositeWeight",), f"{weight!r} must be a number above 0")
        if inline is not None and inline.get("ratioMetric") is not None:
            for key in ("op", "value"):
                if key in objective:
                    self.add(
                        at + (key,),
                        "not allowed with an inline ratioMetric SLI (the Go SDK rejects it); remove it",
                        blocking=False,
                    )
        elif inline is not None and inline.get("thresholdMetric") is not None:
            self.operator(objective, at, required=True)
            if objective.get("value") is None:
                self.add(at, "missing required key 'value' (the threshold the metric is compared with)")
            elif not _number(objective["value"]):
                self.add(at + ("value",), f"{objective['value']!r} must be a number")
        else:
            self.operator(objective, at, required=False)


_SPEC_CHECKS = {
    "SLO": _Checker.slo_spec,
    "SLI": _Checker.sli_spec,
    "DataSource": _Checker.data_source_spec,
    "Service": _Checker.service_spec,
    "AlertPolicy": _Checker.policy_spec,
    "AlertCondition": _Checker.condition_spec,
    "AlertNotificationTarget": _Checker.target_spec,
}


def problems(data: dict, kind: str) -> list[Found]:
    """Every rule of the Go SDK that one v2alpha object breaks (pointers inside the object)."""
    check = _Checker()
    if kind not in KINDS:
        check.add(("kind",), f"kind {kind!r} does not exist in openslo.com/v2alpha (one of: {', '.join(KINDS)})")
        return check.found
    check.keys(data, (), _TOP)
    check.metadata(data, ())
    spec = data.get("spec")
    if spec is None:
        if kind != "Service":  # a Service needs none; every other kind has required fields there
            check.add((), "missing required key 'spec'")
    elif check.mapping(spec, ("spec",), "spec") is not None:
        _SPEC_CHECKS[kind](check, spec, ("spec",))
    return check.found
