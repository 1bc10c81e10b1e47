"""The words and value shapes of the .slo language, shared by its parser (dsl) and printer (dslout)."""

from __future__ import annotations

import re

TOP_LEVEL = ("service", "operations", "sli", "slo", "sla")
COLLECTIONS = {"sli": "slis", "slo": "slos", "sla": "slas"}
# Lists of objects are written one item per statement, with the singular word and, where
# the object has one, its identifying field as the argument.
ITEMS = {
    "dependency": ("dependencies", "name"),
    "exclusion": ("exclusions", "name"),
    "credit": ("credits", None),
    "support": ("support", "priority"),
    "tier": ("tiers", "severity"),
}
ITEM_FOR_LIST = {plural: (word, key) for word, (plural, key) in ITEMS.items()}
WORDS = {"true": True, "false": False, "null": None}
_WORD_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_./:+-]*$")
_DURATION_RE = re.compile(r"^(?:\d+(?:\.\d+)?(?:ms|[wdhms]))+$")
_PERCENT_RE = re.compile(r"^-?\d+(?:\.\d+)?[\t ]*%$")
# `slo NAME 99.9% of SLI over month`: the calendar periods of the schema's window.
CALENDAR = ("day", "week", "month", "quarter", "year")
_NUMBER_RE = re.compile(r"^-?\d+(?:\.\d+)?$")
