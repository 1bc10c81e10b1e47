"""A small typed builder for the Grafana dashboard JSON the `grafana` back end writes.

Only what slospec's dashboards use: a datasource variable and query variables, rows, and the
time series, stat, state timeline, table and text panels, laid out on Grafana's 24-column grid.
The JSON is Grafana's dashboard model (schemaVersion 39: Grafana 10.4 and 11 import it and
migrate it forward). Grafana's own `grafana-foundation-sdk` builds the same model, but its
PyPI versions carry epochs that make `pip install grafana-foundation-sdk` pick the Grafana 10.1
build over the 11.x ones, and it would be one more dependency for five panel kinds; this module
keeps the output deterministic and the import free.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 39
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
UID_LIMIT = 40  # Grafana refuses longer dashboard uids


def uid(name: str, prefix: str = "slospec-") -> str:
    """A stable dashboard uid for a name: readable when it fits Grafana's 40 characters and
    alphabet, else its readable start and a hash of the whole name (still unique per name)."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "x"
    plain = prefix + slug
    if len(plain) <= UID_LIMIT and slug == name:
        return plain
    digest = hashlib.sha256(name.encode()).hexdigest()[:10]
    return f"{plain[: UID_LIMIT - len(digest) - 1]}-{digest}"


@dataclass
class Target:
    expr: str
    legend: str = ""
    instant: bool = False
    table: bool = False

    def build(self, ref: str) -> dict[str, Any]:
        out: dict[str, Any] = {"datasource": DATASOURCE, "refId": ref, "expr": self.expr}
        if self.legend:
            out["legendFormat"] = self.legend
        out["instant"] = self.instant
        out["range"] = not self.instant
        if self.table:
            out["format"] = "table"
        return out


@dataclass
class Threshold:
    color: str
    value: float | None  # None: the base step


@dataclass
class Panel:
    """One panel; `kind` is Grafana's panel type. Width and height in grid units (24 wide)."""

    kind: str
    title: str
    width: int = 12
    height: int = 8
    description: str = ""
    targets: list[Target] = field(default_factory=list)
    unit: str = ""
    decimals: int | None = None
    min: float | None = None
    max: float | None = None
    thresholds: list[Threshold] = field(default_factory=list)
    threshold_style: str = ""  # time series: "line", "dashed", "line+area"
    options: dict[str, Any] = field(default_factory=dict)
    overrides: list[dict[str, Any]] = field(default_factory=list)
    transformations: list[dict[str, Any]] = field(default_factory=list)
    time_from: str = ""  # a relative time of the panel's own: "now/M" is this month so far
    interval: str = ""  # the minimal query step
    content: str = ""  # text panels: Markdown

    def build(self, panel_id: int, x: int, y: int) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": panel_id,
            "type": self.kind,
            "title": self.title,
            "gridPos": {"h": self.height, "w": self.width, "x": x, "y": y},
        }
        if self.description:
            out["description"] = self.description
        if self.kind == "text":
            out["options"] = {"mode": "markdown", "content": self.content}
            return out
        out["datasource"] = DATASOURCE
        defaults: dict[str, Any] = {}
        if self.unit:
            defaults["unit"] = self.unit
        if self.decimals is not None:
            defaults["decimals"] = self.decimals
        if self.min is not None:
            defaults["min"] = self.min
        if self.max is not None:
            defaults["max"] = self.max
        steps = self.thresholds or [Threshold("green", None)]
        defaults["thresholds"] = {
            "mode": "absolute",
            "steps": [{"color": s.color, "value": _number(s.value)} for s in steps],
        }
        if self.threshold_style:
            defaults["custom"] = {"thresholdsStyle": {"mode": self.threshold_style}}
        if self.kind == "stat" and self.thresholds:
            defaults["color"] = {"mode": "thresholds"}
        out["fieldConfig"] = {"defaults": defaults, "overrides": self.overrides}
        out["options"] = {**_DEFAULT_OPTIONS.get(self.kind, {}), **self.options}
        out["targets"] = [t.build(chr(ord("A") + i)) for i, t in enumerate(self.targets)]
        if self.transformations:
            out["transformations"] = self.transformations
        if self.time_from:
            out["timeFrom"] = self.time_from
        if self.interval:
            out["interval"] = self.interval
        return out


def _number(value: float | None) -> float | int | None:
    """14.4 as 14.4, 6.0 as 6: the JSON a person reads."""
    return int(value) if value is not None and float(value).is_integer() else value


_DEFAULT_OPTIONS: dict[str, dict[str, Any]] = {
    "timeseries": {
        "legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
        "tooltip": {"mode": "multi", "sort": "none"},
    },
    "stat": {
        "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
        "colorMode": "value",
        "graphMode": "area",
        "textMode": "auto",
        "justifyMode": "auto",
        "orientation": "auto",
    },
    "state-timeline": {
        "showValue": "never",
        "mergeValues": True,
        "rowHeight": 0.9,
        "legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
    },
    "table": {"showHeader": True, "cellHeight": "sm"},
}


@dataclass
class Row:
    title: str
    panels: list[Panel] = field(default_factory=list)


@dataclass
class Variable:
    """A dashboard variable: the datasource one, or a query over label values."""

    name: str
    label: str
    query: str = ""  # label_values(...) for a query variable
    datasource: bool = False

    def build(self) -> dict[str, Any]:
        if self.datasource:
            return {
                "type": "datasource",
                "name": self.name,
                "label": self.label,
                "query": "prometheus",
                "current": {},
                "hide": 0,
                "refresh": 1,
                "regex": "",
                "options": [],
            }
        return {
            "type": "query",
            "name": self.name,
            "label": self.label,
            "datasource": DATASOURCE,
            "query": {"query": self.query, "refId": "PrometheusVariableQueryEditor-VariableQuery"},
            "definition": self.query,
            "refresh": 2,  # on time range change: new services show up
            "multi": True,
            "includeAll": True,
            "allValue": ".+",
            "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
            "sort": 1,
            "hide": 0,
            "options": [],
        }


@dataclass
class Dashboard:
    uid: str
    title: str
    description: str = ""
    tags: list[str] = field(default_factory=list)
    variables: list[Variable] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (title, url)
    time_from: str = "now-7d"

    def build(self) -> dict[str, Any]:
        panels: list[dict[str, Any]] = []
        y = 0
        for row in self.rows:
            panels.append(
                {
                    "id": len(panels) + 1,
                    "type": "row",
                    "title": row.title,
                    "collapsed": False,
                    "gridPos": {"h": 1, "w": 24, "x": 0, "y": y},
                    "panels": [],
                }
            )
            y += 1
            # Each panel goes as high as it fits, then as far left (the text beside the stats).
            skyline = [y] * 24
            for panel in row.panels:
                width = min(panel.width, 24)
                top, x = min((max(skyline[x : x + width]), x) for x in range(24 - width + 1))
                panels.append(panel.build(len(panels) + 1, x, top))
                skyline[x : x + width] = [top + panel.height] * width
            y = max(skyline)
        out: dict[str, Any] = {
            "uid": self.uid,
            "title": self.title,
            "description": self.description,
            "tags": self.tags,
            "timezone": "utc",
            "editable": True,
            "graphTooltip": 1,
            "schemaVersion": SCHEMA_VERSION,
            "version": 1,
            "time": {"from": self.time_from, "to": "now"},
            "refresh": "1m",
            "templating": {"list": [v.build() for v in self.variables]},
            "annotations": {"list": []},
            "links": [
                {"title": title, "type": "link", "url": url, "targetBlank": True, "icon": "doc"}
                for title, url in self.links
            ],
            "panels": panels,
        }
        return out


def targets(panel_json: dict[str, Any]) -> list[str]:
    """Every query expression of a built dashboard's panels (for tests and checks)."""
    return [t["expr"] for p in panel_json.get("panels", []) for t in p.get("targets", [])]
