"""What a file is, from its name and text alone: the one table of every format's markers.

slospec's own syntaxes by suffix and apiVersion, OpenSLO by its version, other tools' files
(Sloth, Pyrra, slo-generator) by their own keys; and, for a file named on the command line that
none of the readers took, what it looks like, so the user is told why it was skipped.
"""

from __future__ import annotations

import re

SPEC_SUFFIXES = (".slo.yaml", ".slo.yml")
YAML_SUFFIXES = (".yaml", ".yml", ".json")

# Cheap text markers, tried before a file is parsed (the loader reads only files that match).
# The start of slospec's own reports (`lint --format sarif|json`): SARIF names its schema
# first; the JSON report is a list of findings whose first key is "path".
_REPORT_RE = r"""\A\s*(?:\{\s*"\$schema"\s*:\s*"[^"]*sarif[^"]*"|\[\s*\{\s*"path"\s*:\s*"[^"]*",\s*"line"\s*:)"""


def _own_report(text: str) -> bool:
    return re.match(_REPORT_RE, text[:1000]) is not None


# Patterns as text, compiled by `re` on first use (and cached there): most runs need few.
_KEY = r"""(?m)(?:^|[{,])\s*["']?"""  # a key at the start of a line, or inside a JSON object
_MARKERS = (
    ("sloth", _KEY + r"""version["']?\s*:\s*["']?prometheus/v\d"""),
    ("sloth", _KEY + r"""apiVersion["']?\s*:\s*["']?sloth\.slok\.dev/"""),
    ("pyrra", _KEY + r"""apiVersion["']?\s*:\s*["']?pyrra\.dev/"""),
    ("slogen", _KEY + r"""apiVersion["']?\s*:\s*["']?sre\.google\.com/"""),
    # slo-generator v1 configs (one SLO per file) and its shared configuration / policies.
    ("slogen", _KEY + r"""slo_target["']?\s*:"""),
    ("slogen", _KEY + r"""error_budget_policies["']?\s*:"""),
    ("slogen", r"""(?m)(?:^\s*-\s*|[\[,{]\s*)["']?error_budget_policy_step_name["']?\s*:"""),
    # Nobl9's own dialect (sloctl); a list item's key too.
    ("nobl9", r"""(?m)(?:^\s*(?:-\s*)?|[{,]\s*)["']?apiVersion["']?\s*:\s*["']?n9/"""),
)


def detect_text(text: str) -> str | None:
    """The format a file's text looks like, from its markers (apiVersion / version / keys)."""
    for name, marker in _MARKERS:
        if re.search(marker, text):
            return name
    return None


def file_format(path: str, text: str) -> str | None:
    """dsl, yaml (native spec), openslo, sloth, pyrra, slogen, or None for a YAML file that is not ours."""
    name = path.lower()
    if name.endswith(".slo"):
        return "dsl"
    if name.endswith(SPEC_SUFFIXES):
        return "openslo" if _mentions_openslo(text) and "slospec/v1" not in text else "yaml"
    if name.endswith(YAML_SUFFIXES) or path == "<stdin>":
        if text[:1] in "{[" and _own_report(text):
            return None  # slospec's SARIF or JSON report quotes specs in its rule help
        if _mentions_openslo(text):
            return "openslo"
        if "slospec/v1" in text and re.search(_SLOSPEC_RE, text):
            return "yaml"
        # Sloth, Pyrra and slo-generator files, by their own markers.
        other = detect_text(text)
        if other is not None:
            return other
        if path == "<stdin>":
            return "dsl" if "apiVersion" not in text else "yaml"
        return None
    return None


# Patterns as text, compiled by `re` on first use (and cached there): most runs need few.
_OPENSLO_RE = r"""apiVersion["']?\s*:\s*["']?(?P<version>openslo(?:\.com)?/[\w.-]*)"""
OPENSLO_VERSIONS = ("openslo/v1", "openslo/v1alpha", "openslo.com/v2alpha")
OPENSLO_READ = "openslo/v1, openslo/v1alpha and openslo.com/v2alpha"  # for messages
_SLOSPEC_RE = r"""apiVersion["']?\s*:\s*["']?slospec/"""


def _mentions_openslo(text: str) -> bool:
    """Some document declares an OpenSLO version slospec reads."""
    return "openslo" in text and any(m.group("version") in OPENSLO_VERSIONS for m in re.finditer(_OPENSLO_RE, text))


# SLO files of other tools that reach this point were not read: marker -> why. (Sloth, Pyrra
# and slo-generator SLOs are read by slospec.interop; what is left is their other files.)
NOBL9 = (
    r"""apiVersion["']?\s*:\s*["']?n9/""",
    "a Nobl9 file (apiVersion n9/...) that holds no SLO slospec can read (slospec reads Nobl9 SLO "
    "objects; Projects, Services, alert policies and data sources are not checked)",
)
_FOREIGN = (
    NOBL9,
    (
        r"""apiVersion["']?\s*:\s*["']?openslo(?:\.com)?/""",
        f"an OpenSLO file of a version slospec does not read (it reads {OPENSLO_READ})",
    ),
    (r"""version["']?\s*:\s*["']?prometheus/v1""", "a Sloth file that holds no SLO slospec can read"),
    (r"""apiVersion["']?\s*:\s*["']?sloth\.slok\.dev/""", "a Sloth file that holds no SLO slospec can read"),
    (r"""apiVersion["']?\s*:\s*["']?pyrra\.dev/""", "a Pyrra file that holds no SLO slospec can read"),
    (r"""apiVersion["']?\s*:\s*["']?sre\.google\.com/""", "an slo-generator file that holds no SLO"),
    (r"""(?m)^\s*(slo_name|service_name)\s*:""", "an slo-generator file that holds no SLO"),
)


def unknown_notice(path: str) -> str | None:
    """One line for a file named explicitly that slospec did not read although it looks like
    an SLO file of another tool; None for other YAML (pre-commit passes every YAML file)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(65536).decode("utf-8", "replace")
    except OSError:
        return None
    for marker, name in _FOREIGN:
        if re.search(marker, head):
            return f"{path}: skipped: {name}"
    return None


def nobl9_notice(path: str, text: str | None = None) -> str | None:
    """One line for a Nobl9 file met in a folder (files named explicitly get unknown_notice):
    without it a folder of them reads as holding no SLO at all."""
    if text is None:
        try:
            with open(path, "rb") as handle:
                text = handle.read(4096).decode("utf-8", "replace")
        except OSError:
            return None
    return f"{path}: skipped: {NOBL9[1]}" if "n9/" in text and re.search(NOBL9[0], text) else None
