"""The .slo DSL: same data as YAML for every example, positions on values, friendly errors,
printer round trips (property-based), fuzzing that only ever gives SLO001."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slospec.api import lint_paths, lint_text
from slospec.config import Config
from slospec.source import yamlfile
from slospec.source.document import ParseError
from slospec.source.dsl import front as dsl
from tests.conftest import EXAMPLES, ROOT, assert_well_formed, examples

PAIRS = sorted(p for p in EXAMPLES.glob("*.slo"))


@pytest.mark.parametrize("path", PAIRS, ids=lambda p: p.name)
def test_every_example_exists_in_both_syntaxes_with_identical_data(path: Path) -> None:
    yaml_path = path.with_name(path.name + ".yaml")
    assert yaml_path.exists()
    assert [d.data for d in dsl.load_all(path.read_text())] == [
        d.data for d in yamlfile.load_all(yaml_path.read_text())
    ]


def test_examples_are_in_both_syntaxes() -> None:
    assert {p.name.removesuffix(".yaml") for p in EXAMPLES.glob("*.slo.yaml")} == {p.name for p in PAIRS}


@pytest.mark.parametrize("name", ["targets", "consistency", "alerting", "hygiene", "references", "traffic-and-latency"])
def test_same_diagnostics_in_both_syntaxes(name: str) -> None:
    yaml_text = (EXAMPLES / "broken" / f"{name}.slo.yaml").read_text()
    data = [d.data for d in yamlfile.load_all(yaml_text)]
    from_yaml = lint_text(yaml_text, "x.slo.yaml", Config())
    from_dsl = lint_text(dsl.dump(data), "x.slo", Config())
    assert sorted((d.code, d.message) for d in from_dsl) == sorted((d.code, d.message) for d in from_yaml)


def test_values_carry_their_positions() -> None:
    text = "service shop {\n  owner team-shop\n}\nslo availability 99.9% of requests over 28d\n"
    (doc,) = dsl.load_all(text)
    assert doc.source_map.values[("slos", 0, "target")][:2] == (4, 18)
    assert doc.source_map.values[("slos", 0, "window")][:2] == (4, 41)
    assert doc.source_map.keys[("service", "owner")][:2] == (2, 3)


def test_findings_point_into_the_dsl_file() -> None:
    text = "service shop {\n  owner team-shop\n}\nsli requests {\n  ratio {\n    bad 'x{code=\"500\"}'\n    total x\n  }\n}\nslo availability 100% of requests over 28d\n"
    (finding,) = [d for d in lint_text(text, "shop.slo", Config()) if d.code == "SLO101"]
    assert (finding.span.line, finding.span.column) == (10, 18)


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('service x {\n  owner "a\n}\n', "a string must end on the same line", 2),
        ("service x {\n}\nslo y 99% of z over\n", "expected a duration like 30d after 'over'", 3),
        ("service x {\n}\nslo y 99% of z over 28\n", "expected a duration like 30d after 'over'", 3),
        ("service x {\n  owner a\n", "unexpected end of the file", 2),
        ("slo y 99% of z over 28d\n", "before any service", 1),
        ("service x {\n  owner a b\n}\n", "'owner' needs exactly one value", 2),
        ("service x {\n  owner a\n  owner b\n}\n", "duplicate key 'owner' (first at line 2)", 3),
        ("servce x {\n}\n", "unknown statement 'servce'", 1),
        ("service x {\n  tier ?\n}\n", "unexpected character '?'", 2),
    ],
)
def test_syntax_errors_are_friendly(text: str, message: str, line: int) -> None:
    with pytest.raises(ParseError) as caught:
        dsl.load_all(text)
    assert message in caught.value.message
    assert caught.value.span.line == line


NAMES = st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True)
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
SCALARS = st.one_of(
    TEXT,
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.none(),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(
        lambda d: d.normalize() if d == d.to_integral() else d
    ),
    st.sampled_from(["99.9%", "30d", "1h30m", "300ms", "true", "null", "42", "a b", "x\"y'z"]),
)


@st.composite
def spec_data(draw) -> dict:
    def mapping(depth: int) -> dict:
        keys = draw(st.lists(st.from_regex(r"[a-z][A-Za-z]{0,8}", fullmatch=True), max_size=4, unique=True))
        out = {}
        for key in keys:
            if key in dsl.ITEMS or key in dsl.ITEM_FOR_LIST:
                continue
            kind = draw(st.integers(0, 2 if depth < 2 else 1))
            out[key] = (
                draw(SCALARS) if kind == 0 else draw(st.lists(SCALARS, max_size=3)) if kind == 1 else mapping(depth + 1)
            )
        return out

    data = {"apiVersion": "slospec/v1", "service": {"name": draw(NAMES), **mapping(1)}}
    deps = draw(st.lists(NAMES, max_size=2, unique=True))
    if deps:
        data["service"]["dependencies"] = [{"name": n, "availability": "99.9%"} for n in deps]
    slos = []
    for name in draw(st.lists(NAMES, max_size=3, unique=True)):
        slo = {
            "name": name,
            "sli": draw(NAMES),
            "target": draw(st.sampled_from(["99.9%", "95%", 99.5, Decimal("99.95")])),
            "window": draw(st.sampled_from(["28d", "7d", {"calendar": "month", "timeZone": "UTC"}])),
        }
        slo.update(mapping(2))
        slos.append(slo)
    if slos:
        data["slos"] = slos
    return data


def normal(value):
    """Decimal 99.5 and float 99.5 print the same; compare as the printer promises."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {k: normal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normal(v) for v in value]
    return value


@settings(max_examples=examples(4), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec_data())
def test_print_then_parse_gives_the_same_data(data: dict) -> None:
    text = dsl.dump([data])
    (doc,) = dsl.load_all(text)
    assert normal(doc.data) == normal(data)
    assert dsl.dump([doc.data]) == text  # the printer is canonical


SEEDS = [p.read_text() for p in PAIRS]
BITS = [
    "{",
    "}",
    "[",
    "]",
    ",",
    "\n",
    ";",
    "#",
    '"',
    "'",
    "%",
    "99.9%",
    "30d",
    "over",
    "of",
    "slo",
    "service",
    "sli",
    " ",
    "\t",
    "\\",
    "\x00",
    "é",
    "1.5.6",
    "-",
    ":",
]


@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutations_only_ever_give_syntax_errors_or_diagnostics(data) -> None:
    text = list(data.draw(st.sampled_from(SEEDS)))
    for _ in range(data.draw(st.integers(1, 5))):
        at = data.draw(st.integers(0, len(text)))
        if data.draw(st.booleans()):
            text[at:at] = list(data.draw(st.sampled_from(BITS)))
        else:
            del text[at : at + data.draw(st.integers(1, 20))]
    diagnostics = lint_text("".join(text), "fuzz.slo", Config())
    assert_well_formed(diagnostics, "".join(text))


def test_a_thousand_line_file_parses_fast_enough() -> None:
    import time

    body = "".join(f'slo s{i} 99.9% of requests over 28d {{\n  description "objective {i}"\n}}\n' for i in range(340))
    text = "service big {\n  owner team\n}\n" + body
    assert len(text.splitlines()) > 1000
    dsl.parser()  # built once per process; not part of the parse time
    start = time.perf_counter()
    (doc,) = dsl.load_all(text)
    assert len(doc.data["slos"]) == 340
    assert time.perf_counter() - start < 2.0  # generous: about 50 ms here, never seconds


def test_lint_reads_dsl_files_in_directories(tmp_path: Path) -> None:
    (tmp_path / "a.slo").write_text("service a {\n  owner t\n}\n")
    report = lint_paths([str(tmp_path)], Config(root=tmp_path))
    assert report.files == 1 and report.diagnostics == []


def test_the_examples_in_the_docs_and_readme_parse() -> None:
    import re

    for path in (ROOT / "docs" / "dsl.md", ROOT / "README.md"):
        blocks = [b for b in re.findall(r"```text\n(.*?)```", path.read_text(), re.S) if "service " in b]
        assert blocks, path
        for block in blocks:
            (doc,) = dsl.load_all(block)
            assert not [d for d in lint_text(block, "doc.slo", Config()) if d.severity == "error"], path


# ------------------------------------------------ the one-line objective, as people write it


def test_a_calendar_window_in_the_one_line_form() -> None:
    text = (
        "service shop {\n  owner t\n}\nsli requests {\n  ratio {\n    bad b\n    total t\n  }\n}\n"
        "slo availability 99.95% of requests over month\n"
    )
    (doc,) = dsl.load_all(text)
    assert doc.data["slos"][0]["window"] == {"calendar": "month"}
    assert doc.source_map.values[("slos", 0, "window", "calendar")][:2] == (10, 42)
    yaml_text = (
        "apiVersion: slospec/v1\nservice: {name: shop, owner: t}\nslis:\n- name: requests\n"
        "  ratio: {bad: b, total: t}\nslos:\n- {name: availability, target: 99.95%, sli: requests, "
        "window: {calendar: month}}\n"
    )
    assert doc.data == yamlfile.load_all(yaml_text)[0].data
    assert dsl.dump([doc.data]).endswith("slo availability 99.95% of requests over month\n")
    assert findings(text, "x.slo") == findings(yaml_text, "x.slo.yaml")


def findings(text: str, path: str) -> list[tuple[str, str]]:
    return sorted((d.code, d.message) for d in lint_text(text, path, Config()))


def test_a_calendar_window_with_a_time_zone_keeps_its_block() -> None:
    data = {
        "apiVersion": "slospec/v1",
        "service": {"name": "s"},
        "slos": [{"name": "a", "target": "99%", "sli": "r", "window": {"calendar": "week", "timeZone": "UTC"}}],
    }
    text = dsl.dump([data])
    assert "window {\n    calendar week\n    timeZone UTC\n  }" in text
    assert [d.data for d in dsl.load_all(text)] == [data]


def test_a_word_that_is_no_period_after_over_is_refused() -> None:
    with pytest.raises(ParseError) as caught:
        dsl.load_all("service x {\n}\nslo y 99% of z over fortnight\n")
    assert "or a calendar period (day, week, month, quarter, year)" in caught.value.message
    assert caught.value.span[:2] == (3, 21)


@pytest.mark.parametrize("target", ["99.95 %", "99.95\t%", "99.95%"])
def test_a_percentage_may_have_a_space_before_the_sign(target: str) -> None:
    text = f"service x {{\n}}\nslo y {target} of z over 28d\nsli z {{\n  ratio {{ bad b; total t }}\n}}\n"
    (doc,) = dsl.load_all(text)
    assert doc.data["slos"][0]["target"] == target
    yaml_text = (
        "apiVersion: slospec/v1\nservice: {name: x}\nslis: [{name: z, ratio: {bad: b, total: t}}]\n"
        f'slos: [{{name: y, target: "{target}", sli: z, window: 28d}}]\n'
    )
    assert findings(text, "x.slo") == findings(yaml_text, "x.slo.yaml")
    assert not [f for f in findings(text, "x.slo") if f[0] in ("SLO001", "SLO002", "SLO101", "SLO103")]
    assert [d.data for d in dsl.load_all(dsl.dump([doc.data]))] == [doc.data]


def test_budget_takes_a_percentage_with_a_space() -> None:
    from click.testing import CliRunner

    from slospec.cli import main

    spaced = CliRunner().invoke(main, ["budget", "99.95 %", "30d"])
    assert spaced.exit_code == 0 and "21m36s per 30d" in spaced.output
    assert spaced.output == CliRunner().invoke(main, ["budget", "99.95%", "30d"]).output


@pytest.mark.parametrize(
    ("line", "suggestion"),
    [
        ('bad http_requests_total{code="500"}', "bad 'http_requests_total{code=\"500\"}'"),
        ("bad sum(rate(x[5m]))  # errors", "bad 'sum(rate(x[5m]))'"),
        ('total x{job!="a"}', "total 'x{job!=\"a\"}'"),
    ],
)
def test_unquoted_promql_gets_a_hint_to_quote_it(line: str, suggestion: str) -> None:
    text = f"service x {{\n}}\nsli s {{\n  ratio {{\n    {line}\n  }}\n}}\n"
    with pytest.raises(ParseError) as caught:
        dsl.load_all(text)
    assert caught.value.span.line == 5
    assert caught.value.message.endswith(f"must be quoted, like: {suggestion}")


def test_deeply_nested_blocks_are_a_syntax_error_not_a_crash() -> None:
    text = "service x {\n" + "a {\n" * 3000 + "}\n" * 3000 + "}\n"
    with pytest.raises(ParseError) as caught:
        dsl.load_all(text)
    assert "nest deeper than 200 levels" in caught.value.message and caught.value.span.line == 201
    fine = "service x {\n" + "a {\n" * 150 + "b 1\n" + "}\n" * 150 + "}\n"
    assert [d.data for d in dsl.load_all(dsl.dump([d.data for d in dsl.load_all(fine)]))] == [
        d.data for d in dsl.load_all(fine)
    ]
