"""Advice in each format's own words: a finding on a Sloth, Pyrra, OpenSLO or slo-generator file
says what to write in that file, never a slospec key the file has no place for.

The rules speak slospec (`alerting: {policy: none}`, `service.owner`); the lint engine passes
the message of every finding on an imported spec through `translate` with the spec's origin.
"""

from __future__ import annotations

import re

# slospec advice -> (format -> the same advice in that format's words); None: say nothing.
_NO_ALERTS = {
    "sloth": "disable both alerts (page_alert: {disable: true} and ticket_alert: {disable: true})",
    "pyrra": "set alerting.disabled: true",
    "openslo": "leave out its alertPolicies",
    "slogen": "set alert: false on the error budget policy steps",
    "nobl9": "leave out its alertPolicies",
}
_TIERS = {
    "sloth": "give Sloth an alert-window catalog (AlertWindows) with windows that fit",
    "pyrra": "change the window (Pyrra derives its alert windows from it)",
    "openslo": "declare alertPolicies with burnrate conditions",
    "slogen": "declare error budget policy steps",
    "nobl9": "declare alert policies with burn-rate conditions",
}
_RUNBOOK = {
    "sloth": "add alerting.annotations.runbook",
    "pyrra": "add a pyrra.dev/runbook_url annotation (metadata.annotations; Pyrra copies it onto its alerts)",
    "openslo": "add a runbook link (metadata.annotations runbook) to the SLO",
    "slogen": "add a runbook link to the service's alerting (slo-generator has no runbook field)",
    "nobl9": "add a runbook link to the alert method (Nobl9 sends it with the alert)",
}
_OWNER = {
    "sloth": "add an owner label (labels: {owner: ...})",
    "pyrra": "add a pyrra.dev/owner label (metadata.labels)",
    "openslo": "add an owner (or team) label to the SLO or its Service (metadata.labels)",
    "slogen": "add a team (or owner) label (metadata.labels)",
    "nobl9": "add a team (or owner) label (metadata.labels)",
}
_MITIGATION = {
    name: "or set a time-to-mitigate your automation meets in slospec.toml [operations]"
    for name in ("sloth", "pyrra", "openslo", "slogen", "nobl9")
}

_TIER_EXAMPLE = re.compile(r"declare a tier the target can reach, such as alerting: \{tiers: \[\{.*?\}\]\}")
_REPLACEMENTS: tuple[tuple[re.Pattern[str], dict[str, str]], ...] = (
    (_TIER_EXAMPLE, {k: f"declare an alert the target can reach ({v})" for k, v in _TIERS.items()}),
    (re.compile(r"write alerting: \{policy: none\}"), _NO_ALERTS),
    (re.compile(r"declare alerting\.tiers"), _TIERS),
    (re.compile(r"add alerting\.runbook \(or service\.runbook\)"), _RUNBOOK),
    (re.compile(r"add service\.owner \(a team or a person\)"), _OWNER),
    (re.compile(r"or declare automatedMitigation"), _MITIGATION),
)


def translate(message: str, origin: str) -> str:
    """`message` with slospec's advice written in the words of the format `origin`."""
    if origin not in _NO_ALERTS:
        return message
    for pattern, words in _REPLACEMENTS:
        if origin in words:
            message = pattern.sub(words[origin].replace("\\", "\\\\"), message)  # a literal replacement
    return message
