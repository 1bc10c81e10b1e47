"""`slospec check`: specs against a live Prometheus."""

from __future__ import annotations

import sys

import click

from slospec.cli.options import config_option, format_option, load_config
from slospec.cli.output import Failure, require_existing
from slospec.errors import EXIT_FINDINGS, EXIT_OK


@click.command("check")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--prometheus",
    "url",
    required=True,
    metavar="URL",
    help="Prometheus HTTP API base URL (Prometheus, Thanos, Mimir, Cortex, VictoriaMetrics).",
)
@click.option(
    "--lookback", default="1h", show_default=True, metavar="DURATION", help="How far back series count as existing."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds to wait for each request.",
)
@format_option("text", "json", "sarif", "github")
@config_option
def check_command(paths, url, lookback, timeout, fmt, config_path):
    """Check specs against a live Prometheus: SLI series exist, counters are counters, latency
    thresholds are buckets, good/bad events are among the total's (SLO207, SLO211-SLO213)."""
    from slospec.api import check_live
    from slospec.lint.reporters import REPORTERS
    from slospec.lint.reporters import text as text_report
    from slospec.rules import all_rules
    from slospec.specmodel.quantities import Duration, QuantityError

    if not url.startswith(("http://", "https://")):
        from slospec.evaluate.promhttp import strip_userinfo

        raise click.BadParameter(
            f"{strip_userinfo(url)!r}: give the server's http:// or https:// URL", param_hint="--prometheus"
        )
    try:
        window = Duration.parse(lookback)
    except QuantityError as exc:
        raise click.BadParameter(str(exc), param_hint="--lookback") from None
    config = load_config(config_path, paths)
    require_existing(paths, stdin=False)
    loaded = check_live(paths, config, url, timeout=timeout, lookback_seconds=float(window.seconds))
    if loaded.crashes:
        raise Failure(f"{loaded.crashes[0]} (please report this bug)")
    if not loaded.documents and not loaded.problems:
        raise Failure(f"no specs found in {', '.join(paths)}")
    rules = all_rules()
    if loaded.blocked:
        click.echo(text_report(loaded.problems, rules), err=True, nl=False)
        raise Failure("fix the problems above before checking against the server")
    enabled = {code: r for code, r in rules.items() if config.enabled(r)}
    click.echo(REPORTERS[fmt](loaded.problems, enabled, len({d.path for d in loaded.documents})), nl=False)
    sys.exit(EXIT_FINDINGS if loaded.failing else EXIT_OK)
