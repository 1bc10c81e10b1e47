"""`slospec compile`: specs to OpenSLO, a Markdown contract, Prometheus rules and their tests."""

from __future__ import annotations

import sys

import click

from slospec.cli import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    Failure,
    _echo_notices,
    _load_config,
    _require_existing,
    _write_output,
)


@click.command("compile")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--target",
    "-t",
    "target",
    required=True,
    metavar="TARGET",
    help="What to generate: openslo, markdown, prometheus, prometheus-tests, prometheus-rule, alertmanager, sloth.",
)
@click.option(
    "-o",
    "--output",
    default=None,
    metavar="FILE_OR_DIR",
    help="Write to FILE, or one file per artifact into an existing DIR (or a path ending in /).",
)
@click.option("--internal", is_flag=True, help="markdown: add the internal appendix (SLOs, alerting policy).")
@click.option(
    "--template",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="markdown: render with this Jinja2 template (sandboxed).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Configuration file (operational defaults).",
)
@click.option(
    "--exact-windows",
    is_flag=True,
    help="prometheus: every window a rate() over its own raw range (exact, costly); "
    "by default windows of 1h and longer are built from recorded 5m series.",
)
@click.option(
    "--stats",
    is_flag=True,
    help="prometheus: print the rules' evaluation cost (rules, groups, raw range-seconds, samples) to stderr.",
)
@click.option(
    "--series",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="--stats: series each SLI selector matches (default 1).",
)
@click.option(
    "--max-rules-per-group",
    type=click.IntRange(min=2),
    default=None,
    metavar="N",
    help="prometheus: pack rule groups to at most N rules (Mimir's ruler: 20).",
)
@click.option(
    "--max-groups",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="prometheus: refuse to write more than N rule groups per namespace (Mimir: 70 per tenant).",
)
def compile_command(
    paths,
    target,
    output,
    internal,
    template,
    config_path,
    exact_windows,
    stats,
    series,
    max_rules_per_group,
    max_groups,
):
    """Compile specs to another format (OpenSLO, Markdown contract, Prometheus rules, ...)."""
    from slospec import backends
    from slospec.api import InternalError, UserError, compile_paths
    from slospec.loader import InputError
    from slospec.reporters import text as text_report
    from slospec.rules import all_rules

    if target not in backends.BACKENDS:
        raise click.BadParameter(
            f"{target!r}; choose from {', '.join(sorted(backends.BACKENDS))}", param_hint="--target"
        )
    config = _load_config(config_path, paths)
    stdin_text = sys.stdin.read() if "-" in paths else None
    _require_existing(paths)
    extra: dict = {}
    if exact_windows:
        extra["long_windows"] = "raw"
    if stats:
        extra["stats"] = True
    if series is not None:
        extra["series"] = series
    if max_rules_per_group is not None:
        extra["max_rules_per_group"] = max_rules_per_group
    if max_groups is not None:
        extra["max_groups"] = max_groups
    try:
        compiled = compile_paths(
            paths, target, config, internal=internal, template_path=template, stdin_text=stdin_text, extra=extra
        )
    except (InputError, UserError) as exc:
        _echo_notices(getattr(exc, "notices", ()))
        raise Failure(str(exc)) from None
    except InternalError as exc:
        raise Failure(f"{exc} (please report this bug)") from None
    _echo_notices(compiled.notices)
    if compiled.report:
        click.echo(compiled.report, err=True, nl=False)
    if compiled.problems:
        click.echo(text_report(compiled.problems, all_rules()), err=True, nl=False)
        click.echo("slospec: error: fix the problems above before compiling", err=True)
        sys.exit(EXIT_FINDINGS)
    _write_artifacts(compiled.artifacts, output, compiled.joined)
    if any(getattr(n, "error", False) for n in compiled.notices):
        sys.exit(EXIT_ERROR)  # an unreadable folder: after the others were compiled, as lint does


def _write_artifacts(artifacts, output, joined: str) -> None:
    from pathlib import Path

    from slospec.atomic import safe_child, write_text

    if output is None or output == "-":
        click.echo(joined, nl=False)
        return
    target = Path(output)
    if target.is_dir() or output.endswith(("/", "\\")):
        from slospec.backends import CompileError, plan

        try:
            files = plan(artifacts)  # distinct file names, or a clash to report
        except CompileError as exc:
            raise Failure(f"{output}: {exc}") from None
        try:
            target.mkdir(parents=True, exist_ok=True)
            for name, artifact in files:
                path = safe_child(target, name)
                write_text(path, artifact.text)
                click.echo(f"wrote {path}", err=True)
        except OSError as exc:
            raise Failure(f"{output}: cannot write: {exc.strerror or exc}") from None
        return
    _write_output(joined, output)
