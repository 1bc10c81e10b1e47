"""`slospec check`: specs against a live Prometheus."""

from __future__ import annotations

import sys

import click

from slospec.cli import EXIT_FINDINGS, EXIT_OK, Failure, _load_config, _require_existing


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
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Configuration file (select, ignore and severity apply).",
)
def check_command(paths, url, lookback, timeout, fmt, config_path):
    """Check specs against a live Prometheus: SLI series exist, counters are counters, latency
    thresholds are buckets, good/bad events are among the total's (SLO207, SLO211-SLO213)."""
    from slospec.api import check_live
    from slospec.live import LiveError
    from slospec.loader import InputError
    from slospec.quantities import Duration, QuantityError
    from slospec.reporters import REPORTERS
    from slospec.reporters import text as text_report
    from slospec.rules import all_rules

    if not url.startswith(("http://", "https://")):
        from slospec.promhttp import strip_userinfo

        raise click.BadParameter(
            f"{strip_userinfo(url)!r}: give the server's http:// or https:// URL", param_hint="--prometheus"
        )
    try:
        window = Duration.parse(lookback)
    except QuantityError as exc:
        raise click.BadParameter(str(exc), param_hint="--lookback") from None
    config = _load_config(config_path, paths)
    _require_existing(paths, stdin=False)
    try:
        loaded = check_live(paths, config, url, timeout=timeout, lookback_seconds=float(window.seconds))
    except InputError as exc:
        raise Failure(str(exc)) from None
    except LiveError as exc:
        raise Failure(str(exc)) from None
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
