"""The typed model: frozen records built from a schema-valid spec; every node knows its pointer."""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from slospec.diagnostics import Pointer
from slospec.records import FACTORY, record
from slospec.specmodel.quantities import Duration, parse_percent

HUNDRED = Decimal(100)

# Nominal lengths of calendar periods, used wherever a calendar window must be compared
# with a rolling one (OpenSLO's go-sdk uses the same: M=30d, Q=90d, Y=365d).
CALENDAR_LENGTH = {
    "day": Duration.parse("1d"),
    "week": Duration.parse("7d"),
    "month": Duration.parse("30d"),
    "quarter": Duration.parse("90d"),
    "year": Duration.parse("365d"),
}


@record
class Window:
    """A compliance window: rolling (a duration) or a calendar period in a time zone."""

    length: Duration
    calendar: str | None = None
    time_zone: str | None = None
    pointer: Pointer = ()

    def __init__(
        self,
        length: Duration,
        calendar: str | None = None,
        time_zone: str | None = None,
        pointer: Pointer = (),
    ) -> None:
        self.__dict__.update(
            length=length,
            calendar=calendar,
            time_zone=time_zone,
            pointer=pointer,
        )

    @property
    def rolling(self) -> bool:
        return self.calendar is None

    def __str__(self) -> str:
        return str(self.length) if self.rolling else f"calendar {self.calendar}"

    @property
    def phrase(self) -> str:
        """'28d' for rolling windows, 'a calendar month' for calendar ones."""
        return str(self.length) if self.rolling else f"a calendar {self.calendar}"


@record
class Budgeting:
    """How the error budget is counted: by event occurrences or by time slices."""

    method: str = "occurrences"  # occurrences | timeslices | ratio-timeslices
    slice: Duration | None = None
    slice_target: Decimal | None = None  # percent
    pointer: Pointer = ()

    def __init__(
        self,
        method: str = "occurrences",
        slice: Duration | None = None,
        slice_target: Decimal | None = None,
        pointer: Pointer = (),
    ) -> None:
        self.__dict__.update(
            method=method,
            slice=slice,
            slice_target=slice_target,
            pointer=pointer,
        )

    @property
    def timeslices(self) -> bool:
        return self.method != "occurrences"


DEFAULT_BUDGETING = Budgeting()  # the one default instance, shared as dataclass defaults are


@record
class Traffic:
    """An amount of traffic: a count of events per period."""

    count: int
    per: Duration
    pointer: Pointer = ()

    def __init__(
        self,
        count: int,
        per: Duration,
        pointer: Pointer = (),
    ) -> None:
        self.__dict__.update(
            count=count,
            per=per,
            pointer=pointer,
        )

    def over(self, window: Duration) -> Decimal:
        """Expected events in `window`, scaled linearly from the declared rate."""
        return Decimal(self.count) * (window / self.per)


@record
class SLI:
    """A service level indicator: what is measured (good and total events, or a latency)."""

    name: str
    kind: str  # ratio | latency | uptime | events
    pointer: Pointer
    source: str = "prometheus"
    display_name: str | None = None
    description: str | None = None
    good: str | None = None
    bad: str | None = None
    total: str | None = None
    histogram: str | None = None
    threshold: Duration | None = None
    buckets: tuple[Duration, ...] = ()
    percentile: Decimal | None = None
    native: bool = False  # a Prometheus native histogram: histogram_fraction, no `le` buckets
    probe: str | None = None
    interval: Duration | None = None
    query: str | None = None
    condition: str | None = None
    expected_events: Traffic | None = None
    # A threshold objective on an uptime probe (OpenSLO thresholdMetric): good when probe OP value.
    op: str | None = None
    value: Decimal | None = None

    def __init__(
        self,
        name: str,
        kind: str,
        pointer: Pointer,
        source: str = "prometheus",
        display_name: str | None = None,
        description: str | None = None,
        good: str | None = None,
        bad: str | None = None,
        total: str | None = None,
        histogram: str | None = None,
        threshold: Duration | None = None,
        buckets: tuple[Duration, ...] = (),
        percentile: Decimal | None = None,
        native: bool = False,
        probe: str | None = None,
        interval: Duration | None = None,
        query: str | None = None,
        condition: str | None = None,
        expected_events: Traffic | None = None,
        op: str | None = None,
        value: Decimal | None = None,
    ) -> None:
        self.__dict__.update(
            name=name,
            kind=kind,
            pointer=pointer,
            source=source,
            display_name=display_name,
            description=description,
            good=good,
            bad=bad,
            total=total,
            histogram=histogram,
            threshold=threshold,
            buckets=buckets,
            percentile=percentile,
            native=native,
            probe=probe,
            interval=interval,
            query=query,
            condition=condition,
            expected_events=expected_events,
            op=op,
            value=value,
        )

    @property
    def body_pointer(self) -> Pointer:
        return self.pointer + (self.kind,)


@record
class Tier:
    """One declared multi-window burn-rate alert tier."""

    severity: str
    long_window: Duration
    pointer: Pointer
    short_window: Duration | None = None
    burn_rate: Decimal | None = None
    budget_consumed: Decimal | None = None  # percent
    for_: Duration | None = None

    def __init__(
        self,
        severity: str,
        long_window: Duration,
        pointer: Pointer,
        short_window: Duration | None = None,
        burn_rate: Decimal | None = None,
        budget_consumed: Decimal | None = None,
        for_: Duration | None = None,
    ) -> None:
        self.__dict__.update(
            severity=severity,
            long_window=long_window,
            pointer=pointer,
            short_window=short_window,
            burn_rate=burn_rate,
            budget_consumed=budget_consumed,
            for_=for_,
        )


@record
class Alerting:
    """How an SLO pages: the burn-rate policy and its tiers."""

    policy: str = "workbook"  # workbook | none
    tiers: tuple[Tier, ...] = ()
    runbook: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    pointer: Pointer = ()
    declared: bool = False
    # The burn-rate alerts' name (both severities) and each severity's own labels, as a Sloth
    # or Pyrra file routes them; None / {} for slospec's SLOBudgetBurnPage / Ticket.
    name: str | None = None
    severity_labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def __init__(
        self,
        policy: str = "workbook",
        tiers: tuple[Tier, ...] = (),
        runbook: str | None = None,
        labels: dict[str, str] = FACTORY,
        pointer: Pointer = (),
        declared: bool = False,
        name: str | None = None,
        severity_labels: dict[str, dict[str, str]] = FACTORY,
    ) -> None:
        self.__dict__.update(
            policy=policy,
            tiers=tiers,
            runbook=runbook,
            labels={} if labels is FACTORY else labels,
            pointer=pointer,
            declared=declared,
            name=name,
            severity_labels={} if severity_labels is FACTORY else severity_labels,
        )


DEFAULT_ALERTING = Alerting()  # the one default instance, shared as dataclass defaults are


@record
class SLO:
    """One service level objective: an SLI, a target and a window."""

    name: str
    sli_name: str
    target: Decimal  # percent, e.g. 99.95
    window: Window
    pointer: Pointer
    sli: SLI | None = None
    budgeting: Budgeting = DEFAULT_BUDGETING
    allowed_downtime: Duration | None = None
    display_name: str | None = None
    description: str | None = None
    owner: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    alerting: Alerting = DEFAULT_ALERTING
    # The spec's operational facts, so that an SLO alone can derive its default alert tiers.
    operations: Operations | None = field(default=None, compare=False, repr=False)

    def __init__(
        self,
        name: str,
        sli_name: str,
        target: Decimal,
        window: Window,
        pointer: Pointer,
        sli: SLI | None = None,
        budgeting: Budgeting = DEFAULT_BUDGETING,
        allowed_downtime: Duration | None = None,
        display_name: str | None = None,
        description: str | None = None,
        owner: str | None = None,
        labels: dict[str, str] = FACTORY,
        alerting: Alerting = DEFAULT_ALERTING,
        operations: Operations | None = None,
    ) -> None:
        self.__dict__.update(
            name=name,
            sli_name=sli_name,
            target=target,
            window=window,
            pointer=pointer,
            sli=sli,
            budgeting=budgeting,
            allowed_downtime=allowed_downtime,
            display_name=display_name,
            description=description,
            owner=owner,
            labels={} if labels is FACTORY else labels,
            alerting=alerting,
            operations=operations,
        )

    @property
    def target_pointer(self) -> Pointer:
        return self.pointer + ("allowedDowntime" if self.allowed_downtime else "target",)

    @property
    def target_ratio(self) -> Fraction:
        """The target as an exact ratio: 1 minute of downtime per day is exactly 1439/1440."""
        if self.allowed_downtime is not None and self.window.length.seconds > 0:
            return 1 - Fraction(self.allowed_downtime.seconds) / Fraction(self.window.length.seconds)
        return Fraction(self.target) / 100

    @property
    def budget_ratio(self) -> Fraction:
        """The error budget as an exact ratio: B = 1 - target (1/1440 for 1 minute per day)."""
        return 1 - self.target_ratio

    @property
    def budget(self) -> Decimal:
        """The error budget as a ratio: B = 1 - target (Decimal; budget_ratio is exact)."""
        return (HUNDRED - self.target) / HUNDRED

    @property
    def traffic(self) -> Traffic | None:
        """Declared events: the SLI's own estimate, else the spec's operations."""
        if self.sli is not None and self.sli.expected_events is not None:
            return self.sli.expected_events
        return self.operations.expected_events if self.operations is not None else None

    @property
    def budget_time(self) -> Duration:
        """B x W: the downtime (or fully-failed time) the window allows."""
        if self.allowed_downtime is not None:
            return self.allowed_downtime
        return self.window.length * self.budget


@record
class Credit:
    """A service credit: what the customer gets back below a level."""

    below: Decimal
    credit: Decimal
    pointer: Pointer

    def __init__(
        self,
        below: Decimal,
        credit: Decimal,
        pointer: Pointer,
    ) -> None:
        self.__dict__.update(
            below=below,
            credit=credit,
            pointer=pointer,
        )


@record
class Exclusion:
    """Time that does not count against an SLA (maintenance and the like)."""

    name: str
    pointer: Pointer
    description: str | None = None
    max_per_window: Duration | None = None
    notice: Duration | None = None

    def __init__(
        self,
        name: str,
        pointer: Pointer,
        description: str | None = None,
        max_per_window: Duration | None = None,
        notice: Duration | None = None,
    ) -> None:
        self.__dict__.update(
            name=name,
            pointer=pointer,
            description=description,
            max_per_window=max_per_window,
            notice=notice,
        )


@record
class Support:
    """A support commitment of an SLA: a priority and its response time."""

    priority: str
    response: Duration
    pointer: Pointer
    description: str | None = None

    def __init__(
        self,
        priority: str,
        response: Duration,
        pointer: Pointer,
        description: str | None = None,
    ) -> None:
        self.__dict__.update(
            priority=priority,
            response=response,
            pointer=pointer,
            description=description,
        )


@record
class SLA:
    """A service level agreement: the promise to customers and what breaking it costs."""

    name: str
    target: Decimal
    window: Window
    pointer: Pointer
    slo_name: str | None = None
    sli_name: str | None = None
    slo: SLO | None = None
    sli: SLI | None = None
    budgeting: Budgeting | None = None
    display_name: str | None = None
    description: str | None = None
    provider: str | None = None
    customer: str | None = None
    effective: str | None = None
    exclusions: tuple[Exclusion, ...] = ()
    credits: tuple[Credit, ...] = ()
    support: tuple[Support, ...] = ()
    reporting: str | None = None
    review: str | None = None

    def __init__(
        self,
        name: str,
        target: Decimal,
        window: Window,
        pointer: Pointer,
        slo_name: str | None = None,
        sli_name: str | None = None,
        slo: SLO | None = None,
        sli: SLI | None = None,
        budgeting: Budgeting | None = None,
        display_name: str | None = None,
        description: str | None = None,
        provider: str | None = None,
        customer: str | None = None,
        effective: str | None = None,
        exclusions: tuple[Exclusion, ...] = (),
        credits: tuple[Credit, ...] = (),
        support: tuple[Support, ...] = (),
        reporting: str | None = None,
        review: str | None = None,
    ) -> None:
        self.__dict__.update(
            name=name,
            target=target,
            window=window,
            pointer=pointer,
            slo_name=slo_name,
            sli_name=sli_name,
            slo=slo,
            sli=sli,
            budgeting=budgeting,
            display_name=display_name,
            description=description,
            provider=provider,
            customer=customer,
            effective=effective,
            exclusions=exclusions,
            credits=credits,
            support=support,
            reporting=reporting,
            review=review,
        )

    @property
    def budget(self) -> Decimal:
        return (HUNDRED - self.target) / HUNDRED


@record
class Dependency:
    """A service this one depends on, with its own availability."""

    name: str
    availability: Decimal  # percent
    critical: bool
    pointer: Pointer
    description: str | None = None

    def __init__(
        self,
        name: str,
        availability: Decimal,
        critical: bool,
        pointer: Pointer,
        description: str | None = None,
    ) -> None:
        self.__dict__.update(
            name=name,
            availability=availability,
            critical=critical,
            pointer=pointer,
            description=description,
        )


@record
class Service:
    """The service a spec describes: its name, owner and descriptive fields."""

    name: str
    pointer: Pointer
    display_name: str | None = None
    description: str | None = None
    owner: str | None = None
    tier: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    runbook: str | None = None
    dependencies: tuple[Dependency, ...] = ()

    def __init__(
        self,
        name: str,
        pointer: Pointer,
        display_name: str | None = None,
        description: str | None = None,
        owner: str | None = None,
        tier: str | None = None,
        labels: dict[str, str] = FACTORY,
        runbook: str | None = None,
        dependencies: tuple[Dependency, ...] = (),
    ) -> None:
        self.__dict__.update(
            name=name,
            pointer=pointer,
            display_name=display_name,
            description=description,
            owner=owner,
            tier=tier,
            labels={} if labels is FACTORY else labels,
            runbook=runbook,
            dependencies=dependencies,
        )


@record
class Operations:
    """Operational facts as declared in the spec (None where the spec is silent)."""

    pointer: Pointer = ("operations",)
    scrape_interval: Duration | None = None
    evaluation_interval: Duration | None = None
    time_to_detect: Duration | None = None
    time_to_mitigate: Duration | None = None
    expected_incidents: Decimal | None = None
    automated_mitigation: bool | None = None
    request_timeout: Duration | None = None
    expected_events: Traffic | None = None

    def __init__(
        self,
        pointer: Pointer = ("operations",),
        scrape_interval: Duration | None = None,
        evaluation_interval: Duration | None = None,
        time_to_detect: Duration | None = None,
        time_to_mitigate: Duration | None = None,
        expected_incidents: Decimal | None = None,
        automated_mitigation: bool | None = None,
        request_timeout: Duration | None = None,
        expected_events: Traffic | None = None,
    ) -> None:
        self.__dict__.update(
            pointer=pointer,
            scrape_interval=scrape_interval,
            evaluation_interval=evaluation_interval,
            time_to_detect=time_to_detect,
            time_to_mitigate=time_to_mitigate,
            expected_incidents=expected_incidents,
            automated_mitigation=automated_mitigation,
            request_timeout=request_timeout,
            expected_events=expected_events,
        )


@record
class Spec:
    """One spec document: the service, its SLOs, SLAs, dependencies and operations."""

    service: Service
    operations: Operations
    slis: tuple[SLI, ...]
    slos: tuple[SLO, ...]
    slas: tuple[SLA, ...]
    path: str = "<spec>"
    origin: str = "slospec"  # or "openslo" for specs imported from OpenSLO files
    # The plain data the spec was built from (exporters that must be lossless keep it).
    data: Any = field(default=None, compare=False, repr=False)

    def __init__(
        self,
        service: Service,
        operations: Operations,
        slis: tuple[SLI, ...],
        slos: tuple[SLO, ...],
        slas: tuple[SLA, ...],
        path: str = "<spec>",
        origin: str = "slospec",
        data: Any = None,
    ) -> None:
        self.__dict__.update(
            service=service,
            operations=operations,
            slis=slis,
            slos=slos,
            slas=slas,
            path=path,
            origin=origin,
            data=data,
        )

    def sli(self, name: str | None) -> SLI | None:
        return next((s for s in self.slis if s.name == name), None)

    def slo(self, name: str | None) -> SLO | None:
        return next((s for s in self.slos if s.name == name), None)

    def traffic_for(self, sli: SLI | None) -> Traffic | None:
        if sli is not None and sli.expected_events is not None:
            return sli.expected_events
        return self.operations.expected_events


# ---------------------------------------------------------------- building from data


def _dur(value: Any) -> Duration | None:
    return None if value is None else Duration.parse(value)


def _pct(value: Any) -> Decimal | None:
    return None if value is None else parse_percent(value)


def _traffic(data: Any, pointer: Pointer) -> Traffic | None:
    if data is None:
        return None
    return Traffic(int(data["count"]), Duration.parse(data["per"]), pointer)


def build_window(data: Any, pointer: Pointer) -> Window:
    if isinstance(data, dict):
        calendar = data["calendar"]
        return Window(CALENDAR_LENGTH[calendar], calendar, data.get("timeZone", "UTC"), pointer)
    return Window(Duration.parse(data), pointer=pointer)


def build_budgeting(data: Any, pointer: Pointer) -> Budgeting:
    if data is None or data == "occurrences":
        return Budgeting(pointer=pointer)
    return Budgeting(data["method"], _dur(data.get("slice")), _pct(data.get("sliceTarget")), pointer)


def _sli(data: dict[str, Any], pointer: Pointer) -> SLI:
    kind = next(k for k in ("ratio", "latency", "uptime", "events") if k in data)
    body = data[kind]
    common = dict(
        name=data["name"],
        kind=kind,
        pointer=pointer,
        source=data.get("source", "prometheus"),
        display_name=data.get("displayName"),
        description=data.get("description"),
        expected_events=_traffic(data.get("expectedEvents"), pointer + ("expectedEvents",)),
    )
    if kind == "ratio":
        return SLI(**common, good=body.get("good"), bad=body.get("bad"), total=body["total"])
    if kind == "latency":
        pct = body.get("percentile")
        return SLI(
            **common,
            histogram=body["histogram"],
            threshold=Duration.parse(body["threshold"]),
            buckets=tuple(Duration.parse(b) for b in body.get("buckets", ())),
            percentile=None if pct is None else Decimal(str(pct)),
            native=body.get("native") is True,
        )
    if kind == "uptime":
        value = body.get("value")
        return SLI(
            **common,
            probe=body["probe"],
            interval=_dur(body.get("interval")),
            op=body.get("op"),
            value=None if value is None else Decimal(str(value)),
        )
    return SLI(**common, query=body.get("query"), condition=body["condition"])


def _alerting(data: Any, pointer: Pointer) -> Alerting:
    if data is None:
        return Alerting(pointer=pointer)
    tiers = tuple(
        Tier(
            severity=t["severity"],
            long_window=Duration.parse(t["longWindow"]),
            pointer=pointer + ("tiers", i),
            short_window=_dur(t.get("shortWindow")),
            burn_rate=None if t.get("burnRate") is None else Decimal(str(t["burnRate"])),
            budget_consumed=_pct(t.get("budgetConsumed")),
            for_=_dur(t.get("for")),
        )
        for i, t in enumerate(data.get("tiers", ()))
    )
    return Alerting(
        policy=data.get("policy", "workbook"),
        tiers=tiers,
        runbook=data.get("runbook"),
        labels=dict(data.get("labels", {})),
        pointer=pointer,
        declared=True,
        name=data.get("name"),
        severity_labels={
            severity: dict(data[severity].get("labels", {})) for severity in ("page", "ticket") if severity in data
        },
    )


def _slo(data: dict[str, Any], pointer: Pointer, slis: dict[str, SLI], operations: Operations | None = None) -> SLO:
    window = build_window(data["window"], pointer + ("window",))
    downtime = _dur(data.get("allowedDowntime"))
    if downtime is not None:
        # "1 minute per day" is a time budget; the target follows exactly from it.
        target = HUNDRED * (1 - downtime / window.length)
    else:
        target = parse_percent(data["target"])
    return SLO(
        name=data["name"],
        sli_name=data["sli"],
        sli=slis.get(data["sli"]),
        target=target,
        allowed_downtime=downtime,
        window=window,
        pointer=pointer,
        budgeting=build_budgeting(data.get("budgeting"), pointer + ("budgeting",)),
        display_name=data.get("displayName"),
        description=data.get("description"),
        owner=data.get("owner"),
        labels=dict(data.get("labels", {})),
        alerting=_alerting(data.get("alerting"), pointer + ("alerting",)),
        operations=operations,
    )


def _sla(data: dict[str, Any], pointer: Pointer, slis: dict[str, SLI], slos: dict[str, SLO]) -> SLA:
    slo_name = data.get("slo")
    slo = slos.get(slo_name) if slo_name else None
    sli_name = data.get("sli") or (slo.sli_name if slo else None)
    parties = data.get("parties", {})
    return SLA(
        name=data["name"],
        target=parse_percent(data["target"]),
        window=build_window(data["window"], pointer + ("window",)),
        pointer=pointer,
        slo_name=data.get("slo"),
        sli_name=sli_name,
        slo=slo,
        sli=slis.get(sli_name) if sli_name else None,
        budgeting=None if "budgeting" not in data else build_budgeting(data["budgeting"], pointer + ("budgeting",)),
        display_name=data.get("displayName"),
        description=data.get("description"),
        provider=parties.get("provider"),
        customer=parties.get("customer"),
        effective=data.get("effective"),
        exclusions=tuple(
            Exclusion(
                e["name"],
                pointer + ("exclusions", i),
                e.get("description"),
                _dur(e.get("maxPerWindow")),
                _dur(e.get("notice")),
            )
            for i, e in enumerate(data.get("exclusions", ()))
        ),
        credits=tuple(
            Credit(parse_percent(c["below"]), parse_percent(c["credit"]), pointer + ("credits", i))
            for i, c in enumerate(data.get("credits", ()))
        ),
        support=tuple(
            Support(s["priority"], Duration.parse(s["response"]), pointer + ("support", i), s.get("description"))
            for i, s in enumerate(data.get("support", ()))
        ),
        reporting=data.get("reporting"),
        review=data.get("review"),
    )


def build(data: dict[str, Any], path: str = "<spec>") -> Spec:
    """Build the model from a document that passed schema validation."""
    from slospec.specmodel import bounds

    bounds.check(data)  # zero and ten-thousand-year durations, unknown zones: BoundsError
    svc = data["service"]
    service = Service(
        name=svc["name"],
        pointer=("service",),
        display_name=svc.get("displayName"),
        description=svc.get("description"),
        owner=svc.get("owner"),
        tier=svc.get("tier"),
        labels=dict(svc.get("labels", {})),
        runbook=svc.get("runbook"),
        dependencies=tuple(
            Dependency(
                d["name"],
                parse_percent(d["availability"]),
                d.get("critical", True),
                ("service", "dependencies", i),
                d.get("description"),
            )
            for i, d in enumerate(svc.get("dependencies", ()))
        ),
    )
    ops = data.get("operations", {})
    operations = Operations(
        scrape_interval=_dur(ops.get("scrapeInterval")),
        evaluation_interval=_dur(ops.get("evaluationInterval")),
        time_to_detect=_dur(ops.get("timeToDetect")),
        time_to_mitigate=_dur(ops.get("timeToMitigate")),
        expected_incidents=None if ops.get("expectedIncidents") is None else Decimal(str(ops["expectedIncidents"])),
        automated_mitigation=ops.get("automatedMitigation"),
        request_timeout=_dur(ops.get("requestTimeout")),
        expected_events=_traffic(ops.get("expectedEvents"), ("operations", "expectedEvents")),
    )
    slis = tuple(_sli(s, ("slis", i)) for i, s in enumerate(data.get("slis", ())))
    by_name_sli: dict[str, SLI] = {}
    for s in slis:
        by_name_sli.setdefault(s.name, s)
    slos = tuple(_slo(s, ("slos", i), by_name_sli, operations) for i, s in enumerate(data.get("slos", ())))
    by_name_slo: dict[str, SLO] = {}
    for o in slos:
        by_name_slo.setdefault(o.name, o)
    slas = tuple(_sla(s, ("slas", i), by_name_sli, by_name_slo) for i, s in enumerate(data.get("slas", ())))
    return Spec(service, operations, slis, slos, slas, path, data=data)
