"""`slospec gate`: each SLO's error budget evaluated as `slospec eval` does, judged by the
configuration's `[[budget-policy]]`: a `freeze` step that applies stops the deploy (exit 1),
a `warn` step is printed. One line per SLO, as text, JSON or GitHub workflow commands."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from slospec.errors import EXIT_FINDINGS, EXIT_OK
from slospec.evaluate.session import EvalFailure, EvalOptions


@dataclass
class Verdict:
    """One SLO at the gate: the budget left (percent, exact) and the step that applies."""

    path: str
    line: int
    service: str
    slo: str
    remaining: Fraction | None  # percent of the window's budget; None: no events to judge
    policy: Any  # policy.BudgetPolicy | None
    step: Any  # policy.Step | None
    window: str = ""

    @property
    def action(self) -> str:
        if self.policy is None:
            return "none"
        return self.step.action if self.step is not None else "ok"

    @property
    def left(self) -> str:
        if self.remaining is None:
            return "no events"
        value = Decimal(self.remaining.numerator) / Decimal(self.remaining.denominator)
        return f"{value.quantize(Decimal('0.01')):f}%"

    def sentence(self) -> str:
        what = f"{self.service}/{self.slo}: {self.left} of the error budget left over {self.window}"
        if self.remaining is None:
            what = f"{self.service}/{self.slo}: no events over {self.window}, nothing spent"
        if self.policy is None:
            return f"{what}; no budget policy applies"
        if self.step is None:
            return f"{what}; budget policy {self.policy.title!r}: no step applies"
        message = f": {self.step.message}" if self.step.message else ""
        return f"{what}; budget policy {self.policy.title!r}: {self.step}{message}"

    def as_data(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "service": self.service,
            "slo": self.slo,
            "window": self.window,
            "remaining": None if self.remaining is None else self.left[:-1],
            "action": self.action,
            "budget_policy": None if self.policy is None else self.policy.title,
            "step": None
            if self.step is None
            else {
                "remaining_below": f"{self.step.remaining_below:f}",
                "action": self.step.action,
                "message": self.step.message,
            },
        }


@dataclass
class GateOutcome:
    text: str
    exit_status: int
    verdicts: list[Verdict] = field(default_factory=list)
    notices: list = field(default_factory=list)


def remaining_percent(result: Any) -> Fraction | None:
    """The budget left as an exact percentage of the window's budget: 100 untouched, 0 spent,
    below 0 overspent (eval's `remaining`, in exact arithmetic)."""
    if result.remaining is None:
        return None
    total = Fraction(result.latest.total)
    budget = result.slo.budget_ratio * total
    if budget == 0:
        return None
    bad = total - Fraction(result.latest.good)
    return (1 - bad / budget) * 100


def check_policy(config: Any) -> None:
    """The gate needs a budget policy to apply (before any spec or data is read)."""
    policies = getattr(config, "policy", None)
    if not policies or not policies.budget_policies:
        where = config.path or "slospec.toml"
        raise EvalFailure(
            f"{where}: no [[budget-policy]]: the gate applies one, such as\n"
            '  [[budget-policy]]\n  steps = [{ remaining-below = "0%", action = "freeze" }]'
        )


def judge(options: EvalOptions, loaded: Any, config: Any) -> GateOutcome:
    """Every SLO of the specs loaded by the door (api.Loaded) against the data, the budget
    policy applied to each."""
    try:
        verdicts = _judge(options, loaded, config)
    except EvalFailure as exc:
        exc.notices = loaded.notices
        raise
    text = RENDER[options.fmt](verdicts)
    status = EXIT_FINDINGS if any(v.action == "freeze" for v in verdicts) else EXIT_OK
    return GateOutcome(text, status, verdicts, loaded.notices)


def _judge(options: EvalOptions, loaded: Any, config: Any) -> list[Verdict]:
    from slospec.evaluate import compute, inputs, runner, session
    from slospec.lint.reporters import text as text_report
    from slospec.rules import all_rules

    if loaded.crashes:
        raise EvalFailure(f"{loaded.crashes[0]} (please report this bug)")
    documents, problems = loaded
    if problems:
        raise EvalFailure("fix the problems above before gating", text_report(problems, all_rules()))
    if not documents:
        raise EvalFailure(f"{', '.join(options.paths)}: no spec found")
    roles = session.parse_roles(options.data)
    mapping = session.parse_columns(options.columns)
    verdicts = []
    for document in documents:
        spec = document.spec
        names = [s.name for s in spec.slis]
        if not names:
            raise EvalFailure(f"{document.path}: the spec defines no SLI to evaluate")
        chosen = options.sli_name or (names[0] if len(names) == 1 else None)
        if chosen is None or chosen not in names:
            raise EvalFailure(f"{document.path}: say which SLI the data measures with --sli ({', '.join(names)})")
        try:
            if options.live is not None:
                from slospec.evaluate import live

                series, _count = live.load(spec, chosen, options.live, options.interval)
            else:
                series, _count = runner.load(spec, chosen, roles, mapping, options.interval, None, options.fast)
        except inputs.DataError as exc:
            raise EvalFailure(str(exc)) from None
        budget_policy = config.policy.budget_policy_for(spec)
        for slo in spec.slos:
            if slo.sli_name != chosen:
                continue
            try:
                result = compute.evaluate(slo, series)
            except compute.EvalError as exc:
                raise EvalFailure(f"{document.path}: {exc}") from None
            remaining = remaining_percent(result)
            step = None
            if budget_policy is not None and remaining is not None:
                step = budget_policy.step_for_fraction(remaining)
            span = document.source_map.locate(slo.pointer + ("name",))
            verdicts.append(
                Verdict(
                    document.path,
                    span.line,
                    spec.service.name,
                    slo.name,
                    remaining,
                    budget_policy,
                    step,
                    slo.window.phrase,
                )
            )
    if not verdicts:
        raise EvalFailure(f"no SLO measures SLI {options.sli_name!r}")
    return verdicts


LABEL = {"freeze": "FREEZE", "warn": "WARN", "ok": "ok", "none": "ok"}


def text(verdicts: list[Verdict]) -> str:
    lines = [f"{LABEL[v.action]:<6} {v.path}:{v.line}: {v.sentence()}" for v in verdicts]
    frozen = sum(1 for v in verdicts if v.action == "freeze")
    if frozen:
        lines.append(f"Deploy blocked: {frozen} SLO{'s' if frozen != 1 else ''} under a freeze.")
    else:
        lines.append("Deploy allowed.")
    return "\n".join(lines) + "\n"


def as_json(verdicts: list[Verdict]) -> str:
    return json.dumps([v.as_data() for v in verdicts], indent=2) + "\n"


GITHUB_LEVEL = {"freeze": "error", "warn": "warning", "ok": "notice", "none": "notice"}


def github(verdicts: list[Verdict]) -> str:
    from slospec.lint.reporters import _escape_data, _escape_property

    out = []
    for v in verdicts:
        props = ",".join(
            f"{k}={_escape_property(str(value))}"
            for k, value in (("file", v.path), ("line", v.line), ("title", f"slospec gate: {LABEL[v.action]}"))
        )
        out.append(f"::{GITHUB_LEVEL[v.action]} {props}::{_escape_data(v.sentence())}")
    return "\n".join(out) + "\n"


RENDER = {"text": text, "json": as_json, "github": github}
