"""`slospec gate`: the error-budget policy as a deploy gate (exit 1 when a freeze applies)."""

from __future__ import annotations

import sys

import click

from slospec.cli.options import load_config
from slospec.cli.output import echo_notices, write_output


@click.command("gate")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--data",
    "data",
    multiple=True,
    metavar="[ROLE=]FILE",
    help="Recorded data, as `slospec eval` reads it: a count or event CSV (or Parquet), or "
    "Prometheus query_range JSON as bad=FILE/good=FILE with total=FILE. Repeatable.",
)
@click.option(
    "--prometheus",
    "prometheus",
    default=None,
    metavar="URL",
    help="Query a live Prometheus-compatible API instead (token from SLOSPEC_PROMETHEUS_TOKEN, "
    "or SLOSPEC_PROMETHEUS_USER/_PASSWORD).",
)
@click.option("--start", default=None, metavar="TIME", help="With --prometheus: start (default: end minus the window).")
@click.option("--end", default=None, metavar="TIME", help="With --prometheus: end (default: now).")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="With --prometheus: seconds per HTTP request.",
)
@click.option("--ca-file", default=None, metavar="FILE", help="With --prometheus: CA bundle for HTTPS.")
@click.option("--insecure", is_flag=True, help="With --prometheus: skip TLS certificate verification.")
@click.option("--sli", "sli_name", default=None, help="The SLI the data measures (needed when a spec has several).")
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="NAME=COLUMN",
    help="Map a field to a CSV column: timestamp, good, bad, total, value, or the SLI condition's field.",
)
@click.option(
    "--interval",
    type=click.IntRange(min=1),
    default=60,
    show_default=True,
    help="Seconds per bucket the data is counted in (the query step with --prometheus).",
)
@click.option(
    "--reader",
    type=click.Choice(["auto", "fast", "pure"]),
    default="auto",
    show_default=True,
    help="CSV/Parquet reader: fast (DuckDB, slospec[fast]), pure (Python), auto (fast when installed).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True)
@click.option("-o", "--output", default=None, metavar="FILE", help="Write the verdicts to FILE (atomically).")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Configuration file holding the [[budget-policy]] (default: found from the specs' folder).",
)
def gate_command(
    paths,
    data,
    prometheus,
    start,
    end,
    timeout,
    ca_file,
    insecure,
    sli_name,
    columns,
    interval,
    reader,
    fmt,
    output,
    config_path,
):
    """Apply the error-budget policy to each SLO's budget left: exit 1 when a freeze step applies."""
    from slospec.api import gate_paths
    from slospec.evaluate.session import EvalOptions, LiveOptions

    config = load_config(config_path, paths)
    if prometheus is None and (start or end or ca_file or insecure):
        raise click.UsageError("--start, --end, --ca-file and --insecure go with --prometheus URL")
    live = None if prometheus is None else LiveOptions(prometheus, start, end, timeout, ca_file, insecure)
    fast = {"auto": None, "fast": True, "pure": False}[reader]
    options = EvalOptions(list(paths), list(data), sli_name, list(columns), interval, fmt, live, fast)
    outcome = gate_paths(options, config)
    echo_notices(outcome.notices)
    write_output(outcome.text, output)
    sys.exit(outcome.exit_status)
