"""The lint engine end to end on strings: schema messages, model, rules, config, suppressions."""

from __future__ import annotations

import pytest

from slospec.config import ConfigError, from_data
from tests.conftest import codes

SPEC = """\
apiVersion: slospec/v1
service:
  name: checkout
  owner: team-checkout
slis:
  - name: requests
    description: Checkout requests without a server error.
    ratio:
      bad: http_requests_total{{job="checkout",code=~"5.."}}
      total: http_requests_total{{job="checkout"}}
slos:
  - name: availability
    description: Checkout requests succeed.
    sli: requests
    target: {target}
    window: {window}
"""


def spec(target: str = "99.9%", window: str = "28d") -> str:
    return SPEC.format(target=target, window=window)


def line_of(prefix: str) -> int:
    return next(i for i, line in enumerate(spec().splitlines(), 1) if line.strip().startswith(prefix))


TARGET, WINDOW, RATIO = line_of("target:"), line_of("window:"), line_of("ratio:")


def test_clean_spec_has_no_findings(lint) -> None:
    assert lint(spec()) == []


def test_findings_are_placed_on_the_value(lint) -> None:
    (finding,) = lint(spec("100%"), select=["SLO101"])
    assert (finding.span.line, finding.span.column, finding.code, finding.severity) == (TARGET, 13, "SLO101", "error")
    assert finding.path == "spec.slo.yaml"


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        (spec().replace("target:", "tagret:"), "slos[0].tagret: unknown key; did you mean 'target'?", TARGET),
        (spec(window="1M"), "durations have no month unit", WINDOW),
        (spec(window="4 weeks"), "write a rolling duration such as 28d", WINDOW),
        (spec(target="'99.9 percent'"), "write a percentage such as 99.9%", TARGET),
        (spec(target="150%"), "is above 100%; a percentage goes from 0 to 100 (99.9%", TARGET),
        (spec().replace("slospec/v1", "slospec/v2"), "apiVersion: must be 'slospec/v1'", 1),
        (spec().replace("  name: checkout\n", "  name: Checkout_API\n"), "lowercase letters, digits and dashes", 3),
        (spec().replace("    ratio:\n", "    ratios:\n"), "unknown key; did you mean 'ratio'?", RATIO),
        ("apiVersion: slospec/v1\n", "missing required key 'service'", 1),
        ("- 1\n- 2\n", "document is a list", 1),
        ("just text\n", "document is a str", 1),
    ],
)
def test_schema_violations_say_what_to_write(lint, text, message, line) -> None:
    found = lint(text)
    assert any(d.code == "SLO002" and message in d.message and d.span.line == line for d in found), found


def test_empty_file_is_one_schema_finding(lint) -> None:
    (finding,) = lint("")
    assert finding.code == "SLO002" and "empty" in finding.message


def test_syntax_error_stops_the_file(lint) -> None:
    found = lint("apiVersion: slospec/v1\nservice: [\n")
    assert [d.code for d in found] == ["SLO001"]


def test_select_ignore_by_code_prefix_and_name(lint) -> None:
    text = spec("99.999%", "30d")
    assert {d.code for d in lint(text)} == {"SLO102", "SLO104", "SLO105", "SLO307", "SLO404"}
    assert {d.code for d in lint(text, select=["SLO10"], ignore=["extreme-target", "SLO105"])} == {"SLO104"}
    assert {d.code for d in lint(text, select=["budget-below-resolution"])} == {"SLO104"}
    assert {d.code for d in lint(text, ignore=["SLO1"])} == {"SLO307", "SLO404"}
    assert {d.code for d in lint(text, select=["SLO1"], ignore=["budget-below-response-time"])} == {"SLO102", "SLO104"}


def test_severity_and_options_from_config(lint) -> None:
    text = spec("99.995%")
    (finding,) = lint(text, select=["SLO102"], severity={"extreme-target": "error"})
    assert finding.severity == "error"
    assert lint(text, select=["SLO102"], rules={"extreme-target": {"max-target": 99.999}}) == []


def test_operations_defaults_come_from_config_and_the_spec_wins(lint) -> None:
    text = spec("99.99%")  # 4m1.92s of budget over 28d
    assert [d.severity for d in lint(text, select=["SLO104"])] == ["warning"]  # 10 x 1m eval
    relaxed = {"scrape-interval": "10s", "evaluation-interval": "10s"}
    assert lint(text, select=["SLO104"], operations=relaxed) == []
    declared = text.replace("slis:", "operations:\n  evaluationInterval: 5m\nslis:")
    assert [d.severity for d in lint(declared, select=["SLO104"], operations=relaxed)] == ["error"]


def test_suppressions_same_line_next_line_and_file(lint) -> None:
    same = spec("99.999%  # slospec: disable=SLO102,budget-below-resolution,SLO105", "28d")
    assert lint(same, select=["SLO1"]) == []
    before = spec("99.999%", "28d").replace("    target:", "    # slospec: disable=SLO1 -- contractual\n    target:")
    assert lint(before, select=["SLO1"]) == []
    whole = "# slospec: disable-file=extreme-target\n" + spec("99.999%", "28d")
    assert codes(lint(whole, select=["SLO1"])) == [(TARGET + 1, "SLO104"), (TARGET + 1, "SLO105")]


def test_unused_suppression_is_reported_but_not_for_unselected_rules(lint) -> None:
    text = spec("99.9%  # slospec: disable=SLO102")
    assert codes(lint(text)) == [(TARGET, "SLO003")]
    assert lint(text, select=["SLO003", "SLO101"]) == []


def test_syntax_errors_cannot_be_suppressed(lint) -> None:
    found = lint("# slospec: disable-file=SLO001\na: 1\na: 2\n")
    assert codes(found) == [(1, "SLO003"), (3, "SLO001")]


def test_bad_configuration_is_rejected_with_a_path() -> None:
    with pytest.raises(ConfigError, match="unknown key"):
        from_data({"selcet": ["SLO1"]})
    with pytest.raises(ConfigError, match="'SLO999' is not a rule code"):
        from_data({"select": ["SLO999"]})
    with pytest.raises(ConfigError, match="rules.extreme-target.max: unknown option"):
        from_data({"rules": {"extreme-target": {"max": 1}}})
    with pytest.raises(ConfigError, match="expected a number"):
        from_data({"rules": {"SLO102": {"max-target": "high"}}})
    with pytest.raises(ConfigError, match="operations.scrape-interval"):
        from_data({"operations": {"scrape-interval": "fast"}})
    with pytest.raises(ConfigError, match="severity.SLO102"):
        from_data({"severity": {"SLO102": "fatal"}})


def test_duplicate_service_across_files(tmp_path) -> None:
    from slospec.api import lint_paths
    from slospec.config import Config

    (tmp_path / "a.slo.yaml").write_text(spec())
    (tmp_path / "b.slo.yaml").write_text(spec("99.5%"))  # a different definition of the same service
    report = lint_paths([str(tmp_path)], Config(root=tmp_path))
    assert [(d.path.endswith("b.slo.yaml"), d.code) for d in report.diagnostics] == [(True, "SLO005")]
    assert "already defined in" in report.diagnostics[0].message
    (tmp_path / "c.slo.yaml").write_text(spec())  # the same spec twice is no conflict
    report = lint_paths([str(tmp_path / "a.slo.yaml"), str(tmp_path / "c.slo.yaml")], Config(root=tmp_path))
    assert report.diagnostics == []
