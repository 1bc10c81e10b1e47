"""`slospec eval`: loaded specs and parsed options to the report text and exit status (the CLI only prints)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slospec.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, InternalError, SlospecError


class EvalFailure(SlospecError):
    """Input eval cannot work with (exit 2); `details` is printed before the one-line message."""


@dataclass
class LiveOptions:
    """Where and how to query a Prometheus-compatible HTTP API (`--prometheus URL`)."""

    url: str
    start: str | None = None
    end: str | None = None
    timeout: float = 30.0
    ca_file: str | None = None
    insecure: bool = False


@dataclass
class EvalOptions:
    paths: list[str]
    data: list[str] = field(default_factory=list)
    sli_name: str | None = None
    columns: list[str] = field(default_factory=list)
    interval: int = 60
    fmt: str = "text"
    live: LiveOptions | None = None
    fast: bool | None = None  # None: the vectorised reader when installed
    progress: Any = None  # callback(path, rows) for long inputs


@dataclass
class EvalOutcome:
    text: str
    exit_status: int
    rows: int
    notices: list = field(default_factory=list)  # api.Loaded.notices


def parse_roles(data: list[str]) -> dict[str, list[Path]]:
    roles: dict[str, list[Path]] = {}
    for item in data:
        role, sep, name = item.partition("=")
        if not sep or _exists(item):
            role, name = "", item
        elif role not in ("bad", "good", "total"):
            raise EvalFailure(f"--data {item!r}: the role is bad, good or total (--data bad=FILE --data total=FILE)")
        if not _exists(name):
            raise EvalFailure(f"{name}: no such file (--data [bad=|good=|total=]FILE)")
        if not _is_file(name):
            raise EvalFailure(f"{name}: not a regular file; give a CSV, Parquet or query_range JSON file")
        roles.setdefault(role, []).append(Path(name))
    return roles


def parse_columns(columns: list[str]) -> dict[str, str]:
    mapping = {}
    for item in columns:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise EvalFailure(f"--column {item!r}: write NAME=COLUMN, such as --column timestamp=created_at")
        mapping[key.strip()] = value.strip()
    return mapping


def _exists(path: str) -> bool:
    from slospec.source.loader import exists

    return exists(path)


def _is_file(path: str) -> bool:
    try:
        return Path(path).is_file()
    except (OSError, ValueError):  # a name the system refuses: reading it reports why
        return True


def check_options(options: EvalOptions) -> None:
    """What eval needs before any spec is read: the paths exist, one source of data."""
    for path in options.paths:
        if not _exists(path):
            raise EvalFailure(f"{path}: no such file or directory")
    if not options.data and options.live is None:
        raise EvalFailure("give the data: --data FILE (CSV, Parquet, query_range JSON) or --prometheus URL")
    if options.data and options.live is not None:
        raise EvalFailure("give either --data files or --prometheus URL, not both")


def evaluate(options: EvalOptions, loaded, config) -> EvalOutcome:
    """The specs loaded by the door (api.Loaded) against the data, read from files or a live
    Prometheus, rendered; what discovery skipped travels with any error."""
    try:
        return _evaluate(options, loaded, config)
    except SlospecError as exc:
        exc.notices = loaded.notices
        raise


def _evaluate(options: EvalOptions, loaded, config) -> EvalOutcome:
    """The specs loaded (api.Loaded) against the data."""
    from slospec.evaluate import compute, inputs, report, runner
    from slospec.lint.reporters import text as text_report
    from slospec.rules import all_rules

    if loaded.crashes:
        raise InternalError(loaded.crashes[0])
    documents, problems = loaded
    rules = all_rules()
    if problems:
        raise EvalFailure("fix the problems above before evaluating", details=text_report(problems, rules))
    if not documents:
        raise EvalFailure(
            f"{', '.join(options.paths)}: no spec found; give a slospec YAML (.slo.yaml), .slo or OpenSLO file"
        )
    roles = parse_roles(options.data)
    mapping = parse_columns(options.columns)
    results, slas, findings, rows = [], [], [], 0
    curves = []  # the series each result was computed from (the HTML report's charts)
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

                series, count = live.load(spec, chosen, options.live, options.interval)
            else:
                series, count = runner.load(
                    spec, chosen, roles, mapping, options.interval, options.progress, options.fast
                )
        except inputs.DataError as exc:
            raise EvalFailure(str(exc)) from None
        rows += count
        try:
            for slo in spec.slos:
                if slo.sli_name != chosen:
                    continue
                result = compute.evaluate(slo, series)
                results.append(result)
                curves.append(series)
                findings += runner.judge(result, document, rules, config)
            for sla in spec.slas:
                if sla.sli_name == chosen:
                    slas.append((sla, compute.evaluate_sla(sla, series)))
        except compute.EvalError as exc:
            raise EvalFailure(f"{document.path}: {exc}") from None
    if not results and not slas:
        raise EvalFailure(f"no SLO or SLA measures SLI {options.sli_name or chosen!r}")
    if options.fmt == "html":
        from slospec.evaluate import html_report

        rendered = html_report.render(results, slas, curves)
    else:
        rendered = {"text": report.text, "json": report.as_json, "markdown": report.markdown}[options.fmt](
            results, slas
        )
    if findings and options.fmt == "text":
        rendered += text_report(findings, rules).rsplit("\n", 2)[0] + "\n"
    # Only a window the data covers whole is missed for good (a running month can recover);
    # an SLA is judged on its last complete period.
    missed = any(r.missed for r in results) or any(
        p.missed for _, ps in slas for p in [q for q in ps if q.complete][-1:]
    )
    status = EXIT_FINDINGS if missed or any(f.severity == "error" for f in findings) else EXIT_OK
    if any(getattr(n, "error", False) for n in loaded.notices):
        status = EXIT_ERROR  # an unreadable folder: reported after the others, as lint does
    return EvalOutcome(rendered, status, rows, loaded.notices)
