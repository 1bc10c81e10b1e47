"""`slospec compile`: specs to OpenSLO, a Markdown contract, Prometheus rules and their tests."""

from __future__ import annotations

import sys

import click

from slospec.cli.options import config_option, load_config, output_option
from slospec.cli.output import Failure, echo_notices, require_existing, write_output
from slospec.cli.suggest import complete_targets, target_error
from slospec.errors import EXIT_ERROR, EXIT_FINDINGS


@click.command("compile")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--target",
    "-t",
    "target",
    required=True,
    metavar="TARGET",
    shell_complete=complete_targets,
    help="What to generate: openslo, markdown, prometheus, prometheus-tests, prometheus-rule, alertmanager, "
    "sloth, grafana.",
)
@output_option("FILE_OR_DIR", "Write to FILE, or one file per artifact into an existing DIR (or a path ending in /).")
@click.option("--internal", is_flag=True, help="markdown: add the internal appendix (SLOs, alerting policy).")
@click.option(
    "--template",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="markdown: render with this Jinja2 template (sandboxed).",
)
@config_option
@click.option(
    "--exact-windows",
    is_flag=True,
    help="prometheus: every window a rate() over its own raw range (exact, costly); "
    "by default windows longer than 1h are built from recorded 5m series.",
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
    from slospec import compile as backends
    from slospec.api import compile_paths
    from slospec.lint.reporters import text as text_report
    from slospec.rules import all_rules
    from slospec.source.reading import read_stdin

    if target not in backends.BACKENDS:
        raise click.BadParameter(target_error(target, backends.BACKENDS), param_hint="--target")
    config = load_config(config_path, paths)
    stdin_text = read_stdin(config.max_file_size) if "-" in paths else None
    require_existing(paths)
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
    compiled = compile_paths(
        paths, target, config, internal=internal, template_path=template, stdin_text=stdin_text, extra=extra
    )
    echo_notices(compiled.notices)
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
        from slospec.compile import CompileError, plan

        try:
            files = plan(artifacts)  # distinct file names, or a clash to report
        except CompileError as exc:
            raise Failure(f"{output}: {exc}") from None
        try:
            target.mkdir(parents=True, exist_ok=True)
            path = target
            for name, artifact in files:
                path = safe_child(target, name)
                write_text(path, artifact.text, in_folder=True)
                click.echo(f"wrote {target / path.name}", err=True)  # as the user named the folder
        except OSError as exc:
            raise Failure(f"{path}: cannot write: {exc.strerror or exc}") from None
        return
    write_output(joined, output)
