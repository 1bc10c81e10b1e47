"""`slospec init`: the first spec, slospec.toml and .pre-commit-config.yaml of a project.

Pure: returns the files to write (name -> text) and the commands to run next; the command
checks that none exists, writes them, and prints. The spec it writes lints clean (tested)."""

from __future__ import annotations

import re
from decimal import Decimal

from slospec.errors import SlospecError
from slospec.records import record

NAME_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
HOOKS_REPO = "https://github.com/slospec/slospec"


class ScaffoldError(SlospecError, ValueError):
    """A flag value init cannot use (exit 2, the message says what to write)."""


@record
class Scaffold:
    files: dict[str, str]
    next_steps: tuple[str, ...]

    def __init__(self, files: dict[str, str], next_steps: tuple[str, ...]) -> None:
        self.__dict__.update(files=files, next_steps=next_steps)


def _name(value: str, what: str) -> str:
    if not NAME_RE.match(value):
        raise ScaffoldError(
            f"{what} {value!r}: use lowercase letters, digits and dashes, starting and ending with a "
            f"letter or digit (at most 63 characters), e.g. {re.sub(r'[^a-z0-9-]+', '-', value.lower()).strip('-') or 'checkout'!r}"
        )
    return value


def target_of(text: str) -> Decimal:
    """The target as a percentage (99.9% or 99.9); a ratio (0.999) is refused with the fix."""
    from slospec.specmodel.quantities import QuantityError, parse_percent

    try:
        value = parse_percent(text)
    except QuantityError:
        raise ScaffoldError(f"--target {text!r}: write a percentage like 99.9%") from None
    if 0 < value < 1:
        from slospec.specmodel.quantities import format_decimal

        raise ScaffoldError(
            f"--target {text!r} looks like a ratio; write it as a percentage ({format_decimal(value * 100)}%)"
        )
    if not 0 < value < 100:
        raise ScaffoldError(
            f"--target {text!r}: a target must be above 0% and below 100% (a 100% target leaves no error "
            "budget; see `slospec rule perfect-target`)"
        )
    return value


def build(
    service: str = "my-service", owner: str = "my-team", target: str = "99.9%", openslo: bool = False
) -> Scaffold:
    from slospec.specmodel.quantities import format_decimal

    service = _name(service, "--service")
    owner = owner.strip()
    if not owner or any(c in owner for c in "\n\r\"'#:{}[]"):
        raise ScaffoldError(f"--owner {owner!r}: name the owning team in plain words, e.g. team-checkout")
    percent = format_decimal(target_of(target))
    if openslo:
        spec_name = f"{service}.openslo.yaml"
        spec = _OPENSLO.format(
            service=service, owner=owner, percent=percent, ratio=format_decimal(Decimal(percent) / 100)
        )
        hooks = (
            "      - id: slospec-lint-openslo    # OpenSLO, Sloth, Pyrra, slo-generator YAML (other YAML is skipped)\n"
        )
    else:
        spec_name = f"{service}.slo.yaml"
        spec = _SLOSPEC.format(service=service, owner=owner, percent=percent)
        hooks = (
            "      - id: slospec-lint            # .slo and .slo.yaml specs\n"
            "      - id: slospec-fmt             # canonical layout, comments kept\n"
        )
    files = {
        spec_name: spec,
        "slospec.toml": _CONFIG,
        ".pre-commit-config.yaml": _PRE_COMMIT.format(repo=HOOKS_REPO, hooks=hooks),
    }
    steps = (
        "slospec lint",
        f"slospec compile {spec_name} --target markdown",
        "pre-commit autoupdate && pre-commit install",
    )
    return Scaffold(files, steps)


_SLOSPEC = """\
# Written by `slospec init`. The format: https://slospec.dev/spec/
apiVersion: slospec/v1
service:
  name: {service}
  owner: {owner}
  description: What {service} does, for whom.
slis:
  - name: requests
    description: Requests to {service} not answered with a server error.
    ratio:
      bad: http_requests_total{{job="{service}",code=~"5.."}}
      total: http_requests_total{{job="{service}"}}
slos:
  - name: availability
    description: {percent} % of requests to {service} succeed over four weeks.
    sli: requests
    target: {percent}%
    window: 28d
"""

_OPENSLO = """\
# Written by `slospec init --openslo`. OpenSLO v1: https://github.com/OpenSLO/OpenSLO
apiVersion: openslo/v1
kind: Service
metadata:
  name: {service}
  labels:
    owner: {owner}
spec:
  description: What {service} does, for whom.
---
apiVersion: openslo/v1
kind: SLI
metadata:
  name: {service}-requests
spec:
  description: Requests to {service} not answered with a server error.
  ratioMetric:
    counter: true
    bad:
      metricSource:
        type: Prometheus
        spec:
          query: http_requests_total{{job="{service}",code=~"5.."}}
    total:
      metricSource:
        type: Prometheus
        spec:
          query: http_requests_total{{job="{service}"}}
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: {service}-availability
spec:
  description: {percent} % of requests to {service} succeed over four weeks.
  service: {service}
  indicatorRef: {service}-requests
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  objectives:
    - target: {ratio}
"""

_CONFIG = """\
# slospec's configuration: https://slospec.dev/configuration/
# Folders or files to skip (relative to this file). The pre-commit hooks pass
# --force-exclude, so an excluded file is skipped even when pre-commit names it.
exclude = []

# Facts the realism rules use when a spec does not declare them.
[operations]
scrape-interval = "30s"
evaluation-interval = "30s"
"""

_PRE_COMMIT = """\
# pre-commit (https://pre-commit.com): `pre-commit install`, then every commit is linted.
# `rev:` pins the hooks' version. `pre-commit autoupdate` replaces `main` with the newest
# release tag or, while none is tagged, the newest commit's SHA; run it again to move on.
repos:
  - repo: {repo}
    rev: main
    hooks:
{hooks}"""
