"""`slospec eval`: SLOs and SLAs against recorded or live data."""

from __future__ import annotations

import sys

import click

from slospec.cli.options import config_option, format_option, load_config, output_option
from slospec.cli.output import echo_notices, write_output
from slospec.cli.suggest import Choice


@click.command("eval")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--data",
    "data",
    multiple=True,
    metavar="[ROLE=]FILE",
    help="Recorded data: a count or event CSV (or Parquet with slospec[fast]), or Prometheus "
    "query_range JSON as bad=FILE/good=FILE with total=FILE. Repeatable.",
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
    type=Choice(["auto", "fast", "pure"]),
    default="auto",
    show_default=True,
    help="CSV/Parquet reader: fast (DuckDB, slospec[fast]), pure (Python), auto (fast when installed).",
)
@format_option(
    "text",
    "json",
    "markdown",
    "html",
    help="Output format; html: a self-contained page with charts (write it with -o report.html).",
)
@output_option()
@config_option
def eval_command(
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
    """Evaluate SLOs and SLAs against recorded data: attainment, budget, credits, alert backtest."""
    from slospec.api import eval_paths
    from slospec.evaluate.session import EvalOptions, LiveOptions

    config = load_config(config_path, paths)
    progress = None
    if sys.stderr.isatty():
        # Long inputs: a running row count on the terminal (never in pipes, CI or tests).
        def progress(path, n):
            click.echo(f"\rreading {path.name}: {n:,} rows", err=True, nl=False)

    if prometheus is None and (start or end or ca_file or insecure):
        raise click.UsageError("--start, --end, --ca-file and --insecure go with --prometheus URL")
    live = None if prometheus is None else LiveOptions(prometheus, start, end, timeout, ca_file, insecure)
    fast = {"auto": None, "fast": True, "pure": False}[reader]
    options = EvalOptions(list(paths), list(data), sli_name, list(columns), interval, fmt, live, fast, progress)
    try:
        outcome = eval_paths(options, config)
    finally:
        if progress is not None:
            click.echo("\r\033[K", err=True, nl=False)
    echo_notices(outcome.notices)
    write_output(outcome.text, output)
    sys.exit(outcome.exit_status)
