"""PromQL, in one place: selectors, label matchers, the latency `le` matcher, rate wrapping, parsing.

Every back end and rule that reads or writes PromQL asks this module, so a selector means the
same thing in the rules, their promtool tests, the OpenSLO export and SLO006. A query in a spec
is either a counter selector (`http_requests_total{job="api"}`, wrapped here in
`sum(rate(...[window]))`) or a full expression with `{{window}}` where the range goes.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import TYPE_CHECKING

from slospec.errors import SlospecError
from slospec.records import record

if TYPE_CHECKING:
    import promql_parser

WINDOW = "{{window}}"
# The window a query is checked with (any valid duration would do).
CHECK_WINDOW = "5m"

_NAME = re.compile(r"^[A-Za-z_:][A-Za-z0-9_:]*$")
# A plain `name{label="value", ...}` selector without escapes, read without the parser's import.
_LABEL = r'[A-Za-z_][A-Za-z0-9_]*\s*(?:=~|!~|!=|=)\s*"[^"\\\n]*"'
_PLAIN = re.compile(
    r"^\s*([A-Za-z_:][A-Za-z0-9_:]*)\s*(?:\{\s*((?:" + _LABEL + r"(?:\s*,\s*" + _LABEL + r")*\s*,?\s*)?)\})?\s*$"
)
_PLAIN_MATCHER = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"([^"]*)"')
KEYWORDS = frozenset(
    {
        "sum",
        "avg",
        "min",
        "max",
        "count",
        "and",
        "or",
        "unless",
        "by",
        "without",
        "on",
        "ignoring",
        "offset",
        "bool",
        "group_left",
        "group_right",
        "topk",
        "bottomk",
        "quantile",
        "stddev",
        "stdvar",
        "count_values",
        "group",
        "atan2",
        "inf",
        "nan",
    }
)
_OPS = {"Equal": "=", "NotEqual": "!=", "Re": "=~", "NotRe": "!~"}


class PromQLError(SlospecError, ValueError):
    """Text that is not the PromQL it should be (the message says what is wrong)."""


@record
class Matcher:
    label: str
    op: str  # = != =~ !~
    value: str  # the decoded value (no PromQL escapes)

    def __init__(
        self,
        label: str,
        op: str,
        value: str,
    ) -> None:
        self.__dict__.update(
            label=label,
            op=op,
            value=value,
        )

    def render(self) -> str:
        return f"{self.label}{self.op}{quote(self.value)}"

    def matches(self, actual: str) -> bool:
        """Whether a series whose label has `actual` ("" when absent) passes this matcher."""
        if self.op == "=":
            return actual == self.value
        if self.op == "!=":
            return actual != self.value
        found = re2_fullmatch(self.value, actual)
        return found if self.op == "=~" else not found


@record
class Selector:
    name: str
    matchers: tuple[Matcher, ...] = ()

    def __init__(
        self,
        name: str,
        matchers: tuple[Matcher, ...] = (),
    ) -> None:
        self.__dict__.update(
            name=name,
            matchers=matchers,
        )

    def render(self, suffix: str = "", extra: tuple[Matcher, ...] = ()) -> str:
        """name<suffix>{matchers, extra} (a matcher on a label in `extra` is replaced)."""
        replaced = {m.label for m in extra}
        parts = [m.render() for m in self.matchers if m.label not in replaced] + [m.render() for m in extra]
        name = self.name + suffix
        return f"{name}{{{', '.join(parts)}}}" if parts else name

    def matches(self, name: str, labels: dict[str, str]) -> bool:
        return name == self.name and all(m.matches(labels.get(m.label, "")) for m in self.matchers)


def quote(value: str) -> str:
    """A PromQL double-quoted string literal."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def is_template(query: str) -> bool:
    """A full expression with {{window}} where the range goes (else: a counter selector)."""
    return WINDOW in query


def with_window(query: str, window: str) -> str:
    return query.replace(WINDOW, window)


def plain_selector(query: str) -> Selector | None:
    """A selector read without the parser (no escapes, no regex where Python and RE2 could
    differ); None when in any doubt, so the caller asks the real parser."""
    match = _PLAIN.match(query)
    if not match or match.group(1) in KEYWORDS:
        return None
    matchers = []
    for label, op, value in _PLAIN_MATCHER.findall(match.group(2) or ""):
        if op in ("=~", "!~") and not _simple_regex(value):
            return None
        matchers.append(Matcher(label, op, value))
    return Selector(match.group(1), tuple(matchers))


_CLASS_OR_COUNT = re.compile(r"\[\^?[A-Za-z0-9_-]+\]|\{[0-9]{1,3}(?:,[0-9]{0,3})?\}")


def _simple_regex(pattern: str) -> bool:
    # Literals, dots, alternation, groups, simple classes and counted repetition read the same
    # in RE2 and Python; anything else goes to the real parser.
    rest = _CLASS_OR_COUNT.sub("", pattern)
    if not re.fullmatch(r"[A-Za-z0-9_.*+?|():/ -]*", rest) or "(?" in pattern:
        return False
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def parse(text: str) -> promql_parser.Expr:
    """The real parser's AST (promql-parser); PromQLError with its message when it fails."""
    import promql_parser  # heavy: imported only when a query is more than a plain selector

    try:
        return promql_parser.parse(text)
    except ValueError as exc:
        raise PromQLError(str(exc)) from None


def parse_error(text: str) -> str | None:
    """Why `text` is not PromQL, or None when the real parser accepts it."""
    if plain_selector(text) is not None:
        return None
    try:
        parse(text)
    except PromQLError as exc:
        return str(exc)
    return None


@functools.lru_cache(maxsize=1024)
def selector(query: str) -> Selector:
    """The selector a counter query names; PromQLError when it is anything else."""
    fast = plain_selector(query)
    if fast is not None:
        return fast
    import promql_parser

    node = parse(query)
    if not isinstance(node, promql_parser.VectorSelector):
        raise PromQLError(f"{query.strip()!r} is not a metric selector (name{{labels}})")
    if node.offset is not None or node.at is not None:
        raise PromQLError(f"{query.strip()!r} has an offset or @ modifier; put it in a {WINDOW} expression")
    matchers = tuple(Matcher(m.name, _OPS[str(m.op).rpartition(".")[2]], m.value) for m in node.matchers.matchers)
    if node.matchers.or_matchers:
        raise PromQLError(f"{query.strip()!r} uses `or` between matchers; write one selector per query")
    name = node.name
    if name is None:
        name = next((m.value for m in matchers if m.label == "__name__" and m.op == "="), None)
        matchers = tuple(m for m in matchers if not (m.label == "__name__" and m.op == "="))
    if not name or not _NAME.match(name):
        raise PromQLError(f"{query.strip()!r} does not name one metric")
    return Selector(name, matchers)


def le_matcher(seconds: Decimal) -> Matcher:
    """The histogram bucket `le` as client libraries write it: Go prints 0.3 and 5, the Python
    client 0.3 and 5.0, so whole numbers match both forms."""
    from slospec.specmodel.quantities import format_decimal

    text = format_decimal(seconds)
    if "." in text or "e" in text.lower():
        return Matcher("le", "=", text)
    return Matcher("le", "=~", text + r"(\.0)?")


def bucket(histogram: str, seconds: Decimal) -> str:
    """`<histogram>_bucket{labels, le...}`: the events at or below `seconds`."""
    return selector(histogram).render("_bucket", (le_matcher(seconds),))


def count(histogram: str) -> str:
    return selector(histogram).render("_count")


def native_good_total(histogram: str, seconds: Decimal, window: str) -> tuple[str, str]:
    """(events at or below `seconds`, all events) per second over `window`, from a native
    histogram: `histogram_fraction` of the summed rate times its `histogram_count`. The
    fraction interpolates inside the bucket the threshold falls in (exact on a bucket bound)."""
    from slospec.specmodel.quantities import format_decimal

    rate = f"sum(rate({selector(histogram).render('')}[{window}]))"
    count = f"histogram_count({rate})"
    return f"histogram_fraction(0, {format_decimal(seconds)}, {rate}) * {count}", count


def latency_good_total(histogram: str, seconds: Decimal, window: str, native: bool) -> tuple[str, str]:
    """A latency SLI's (good, total) events per second over `window`: classic `le` buckets
    and `_count`, or a native histogram."""
    if native:
        return native_good_total(histogram, seconds, window)
    return rate_sum(bucket(histogram, seconds), window), rate_sum(count(histogram), window)


def rate_sum(query: str, window: str, function: str = "rate", aggregate: str = "sum") -> str:
    """A counter selector as `sum(rate(selector[window]))`; a template with its window filled in."""
    if is_template(query):
        return f"({with_window(query, window)})"
    return f"{aggregate}({function}({query}[{window}]))"


THRESHOLD_OPS = {"lt": "<", "lte": "<=", "gt": ">", "gte": ">="}


def threshold_bool(query: str, op: str, value: Decimal) -> str:
    """`(query) < bool 0.2`: 1 where a point meets an OpenSLO threshold objective, else 0."""
    from slospec.specmodel.quantities import format_decimal

    return f"(({query.strip()}) {THRESHOLD_OPS[op]} bool {format_decimal(value)})"


def counter_sum(query: str) -> str:
    """OpenSLO's counter form of a selector: `sum(selector)`."""
    return f"sum({query})"


def strip_counter_sum(query: str) -> str:
    """OpenSLO's counter form `sum(selector)` -> the selector (anything else unchanged)."""
    match = re.match(r"^\s*sum\s*\((.*)\)\s*$", query, re.S)
    inner = match.group(1).strip() if match else query
    try:
        selector(inner)
    except PromQLError:
        return query
    return inner


def ranges(expr: str) -> list[int]:
    """The length in seconds of every range (`[5m]`, subqueries too) in an expression."""
    import promql_parser

    found: list[int] = []

    def walk(node: object) -> None:
        if isinstance(node, promql_parser.MatrixSelector):
            found.append(int(node.range.total_seconds()))
        if isinstance(node, promql_parser.SubqueryExpr) and node.range is not None:
            found.append(int(node.range.total_seconds()))
        for attr in ("expr", "lhs", "rhs", "vector_selector", "param"):
            child = getattr(node, attr, None)
            if child is not None and not isinstance(child, (str, int, float)):
                walk(child)
        for child in getattr(node, "args", None) or ():
            walk(child)

    walk(parse(expr))
    return found


def metric_names(expr: str) -> set[str]:
    """Every metric name an expression reads."""
    import promql_parser

    names: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, promql_parser.VectorSelector):
            if node.name:
                names.add(node.name)
            return
        for attr in ("expr", "lhs", "rhs", "vector_selector", "param"):
            child = getattr(node, attr, None)
            if child is not None and not isinstance(child, (str, int, float)):
                walk(child)
        for child in getattr(node, "args", None) or ():
            walk(child)

    walk(parse(expr))
    return names


# RE2 syntax Python's `re` reads differently or not at all: refuse to guess.
_RE2_ONLY = re.compile(r"\\[pPzCQE]|\[\[:|\(\?P=|\(\?[<=!]|\\[0-9]|\(\?#")


def re2_fullmatch(pattern: str, value: str) -> bool:
    """Whether a PromQL regex matcher (RE2, anchored at both ends) matches `value`."""
    if _RE2_ONLY.search(pattern):
        raise PromQLError(f"regex {pattern!r} uses RE2 syntax slospec does not evaluate")
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise PromQLError(f"regex {pattern!r}: {exc}") from None
    return compiled.fullmatch(value) is not None
