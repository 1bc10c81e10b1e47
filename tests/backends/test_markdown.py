"""Markdown contracts: golden documents for every example, rendered by a real Markdown parser
with the expected table rows and numbers; safe file names; a sandbox that holds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from slospec import compile as backends
from slospec.api import load_specs
from slospec.compile import CompileError, CompileOptions
from slospec.config import Config
from tests.conftest import EXAMPLES, ROOT

GOLDEN = Path(__file__).parent / "golden" / "markdown"
EXAMPLE_NAMES = sorted(p.name.removesuffix(".slo.yaml") for p in EXAMPLES.glob("*.slo.yaml"))


def compile_md(name: str, **options) -> list[backends.Artifact]:
    specs, problems = load_specs([str(EXAMPLES / f"{name}.slo.yaml")], Config())
    assert not problems
    return backends.load("markdown").compile(specs, CompileOptions(**options))


def tables(markdown_text: str) -> list[list[list[str]]]:
    """Every table as rows of cell texts, as a real Markdown renderer sees it."""
    from html.parser import HTMLParser

    import markdown

    html = markdown.markdown(markdown_text, extensions=["tables"])

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tables, self.cell = [], None

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.tables.append([])
            elif tag == "tr":
                self.tables[-1].append([])
            elif tag in ("td", "th"):
                self.cell = ""

        def handle_endtag(self, tag):
            if tag in ("td", "th"):
                self.tables[-1][-1].append(self.cell.strip())
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

    parser = Cells()
    parser.feed(html)
    return parser.tables


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_golden_documents(name: str, update_golden: bool) -> None:
    for artifact in compile_md(name, internal=True):
        path = GOLDEN / artifact.name
        if update_golden:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(artifact.text)
        assert artifact.text == path.read_text()


def test_contract_tables_have_the_numbers() -> None:
    (contract,) = compile_md("checkout-sla", internal=True)
    found = tables(contract.text)
    commitment = found[1]
    assert commitment[0] == ["Measure", "Target", "Period", "Allowed downtime", "Allowed failed events"]
    assert commitment[1][1:4] == [
        "99.9%",
        "calendar month (UTC)",
        "40 minutes 19.2 seconds to 44 minutes 38.4 seconds per month",
    ]
    credits = found[2]
    assert credits[1:] == [
        ["below 99.9%", "10% of the period's fee"],
        ["below 99%", "25% of the period's fee"],
        ["below 95%", "100% of the period's fee"],
    ]
    support = found[3]
    assert support[1][:2] == ["P1", "1 hour"]
    alerting = found[-1]
    assert alerting[1] == ["page", "56m", "5m", "14.4x", "2%", "1 day 22 hours 40 minutes"]
    assert "## Appendix B. Alerting policy" in contract.text


def test_internal_appendix_only_when_asked() -> None:
    (contract,) = compile_md("checkout-sla")
    assert "Appendix" not in contract.text


def test_service_document_when_there_is_no_sla() -> None:
    (doc,) = compile_md("api")
    assert doc.name == "payments-api-service-levels.md"
    objectives = tables(doc.text)[1]
    assert objectives[1][2:5] == ["99.95%", "rolling 28 days", "20 minutes 9.6 seconds per 28 days"]


def test_committed_example_contract_is_current() -> None:
    (contract,) = compile_md("checkout-sla", internal=True)
    assert (EXAMPLES / "contracts" / contract.name).read_text() == contract.text


def test_output_directory_one_file_per_sla_inside_it(tmp_path: Path) -> None:
    spec = (EXAMPLES / "checkout-sla.slo.yaml").read_text()
    spec = spec.replace("displayName: Enterprise checkout availability", "displayName: ../../etc/passwd")
    (tmp_path / "in.slo.yaml").write_text(spec)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "slospec", "compile", "in.slo.yaml", "-t", "markdown", "-o", "out/"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert [p.name for p in out.iterdir()] == ["enterprise-checkout.md"]
    assert "# Service Level Agreement: ../../etc/passwd" in (out / "enterprise-checkout.md").read_text()


def test_custom_template_renders_the_documented_model() -> None:
    template = (
        "{% for slo in slos %}{{ service.display_name }} / {{ slo.name }}: {{ slo.target }}, "
        "{{ slo.allowed_downtime }}{% if sla %} - SLA {{ sla.target }}{% endif %}\n{% endfor %}"
    )
    (doc,) = compile_md("checkout-sla", template=template)
    assert doc.text == ("Checkout / checkout-availability: 99.95%, 20 minutes 9.6 seconds per 28 days - SLA 99.9%\n")


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ ''.__class__.__mro__ }}", "template refused"),
        ("{{ cycler.__init__.__globals__ }}", "template"),
        ("{% include '/etc/passwd' %}", "template"),
        ("{% import 'os' as os %}", "template"),
        ("{{ service.name.__class__ }}", "template refused"),
        ("{{ nope }}", "'nope' is undefined"),
        ("{% for x in %}", "template line 1"),
    ],
)
def test_template_escapes_fail_clearly(template: str, message: str) -> None:
    with pytest.raises(CompileError, match=message):
        compile_md("checkout-sla", template=template)


PROBE_SLA = """\
apiVersion: slospec/v1
service:
  name: status-page
  description: "<script>alert(1)</script> status & news"
  owner: team-web
operations:
  expectedEvents: {count: 7000000, per: 7d}
slis:
  - name: home-up
    description: "Home page probe <img src=x onerror=alert(1)>"
    uptime:
      probe: probe_success{job="home"}
      interval: 1m
slos:
  - name: weekly-uptime
    sli: home-up
    target: 99.9%
    window: 7d
slas:
  - name: weekly-probe
    description: "Weekly commitment. <script>steal()</script>"
    sli: home-up
    target: 99.5%
    window: {calendar: week, timeZone: UTC}
    parties: {provider: "<b>ACME</b>", customer: Everyone}
    exclusions:
      - name: maintenance
        description: "<iframe src=evil></iframe>"
"""


def _compile_text(tmp_path: Path, text: str, **options) -> list[backends.Artifact]:
    path = tmp_path / "probe.slo.yaml"
    path.write_text(text)
    specs, problems = load_specs([str(path)], Config())
    assert not [p for p in problems if p.severity == "error"], problems
    return backends.load("markdown").compile(specs, CompileOptions(**options))


def test_probe_sla_counts_checks_not_request_traffic(tmp_path: Path) -> None:
    (contract,) = _compile_text(tmp_path, PROBE_SLA, internal=True)
    commitment = tables(contract.text)[1]
    assert commitment[0][4] == "Allowed failed events"
    # A week of one check a minute: 10,080 checks, 0.5 % of them = 50.4 may fail.
    assert "50.4 of 10,080 checks" in commitment[1][4]
    assert "7,000,000" not in contract.text and "35,000" not in contract.text


def test_html_from_the_spec_is_shown_not_rendered(tmp_path: Path) -> None:
    import markdown

    for internal in (False, True):
        (contract,) = _compile_text(tmp_path, PROBE_SLA, internal=internal)
        html = markdown.markdown(contract.text, extensions=["tables"])
        for tag in ("<script", "<img", "<iframe", "<b>"):
            assert tag not in html, (tag, internal)
        assert "&lt;script&gt;steal()&lt;/script&gt;" in html
    service_doc = _compile_text(tmp_path, PROBE_SLA.split("slas:")[0])[0]
    html = markdown.markdown(service_doc.text, extensions=["tables"])
    assert "<script" not in html and "<img" not in html and "status &amp; news" in html


def test_templates_get_escaped_spec_text(tmp_path: Path) -> None:
    (out,) = _compile_text(tmp_path, PROBE_SLA, template="{{ sla.description }} / {{ service.description }}\n")
    assert "<script>" not in out.text and "&lt;script&gt;" in out.text


PLAIN = """\
apiVersion: slospec/v1
service:
  name: shop
  owner: team-shop
slis:
  - name: requests
    description: Requests not answered with a server error.
    ratio:
      bad: http_requests_total{code=~"5.."}
      total: http_requests_total
slos:
  - name: availability
    description: Requests succeed.
    sli: requests
    target: 99.9%
    window: 28d
"""


def _cli(*args: str) -> str:
    from click.testing import CliRunner

    from slospec.cli import main

    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_alerting_appendix_uses_the_configured_intervals_as_the_rules_do(tmp_path: Path, monkeypatch) -> None:
    # A 2m scrape interval from slospec.toml lengthens the fastest short window to 4 scrapes (8m)
    # in the generated rules; the contract must describe those rules, not the defaults.
    (tmp_path / "slospec.toml").write_text('[operations]\nscrape-interval = "2m"\n')
    monkeypatch.chdir(tmp_path)  # compile reads the configuration found from the current folder
    spec = tmp_path / "shop.slo.yaml"
    spec.write_text(PLAIN)
    rules = _cli("compile", str(spec), "--target", "prometheus")
    assert "page 56m/8m at 14.4x" in rules
    doc = _cli("compile", str(spec), "--target", "markdown")
    assert tables(doc)[-1][1][:4] == ["page", "56m", "8m", "14.4x"]
    template = tmp_path / "t.md.j2"
    template.write_text("{% for t in slos[0].tiers %}{{ t.short_window }} {% endfor %}\n")
    assert _cli("compile", str(spec), "--target", "markdown", "--template", str(template)).split()[0] == "8m"


def test_service_without_display_name_is_named_once(tmp_path: Path) -> None:
    (doc,) = _compile_text(tmp_path, PLAIN)
    assert tables(doc.text)[0][1] == ["Service", "shop"]
    (doc,) = _compile_text(tmp_path, PLAIN.replace("  name: shop\n", "  name: shop\n  displayName: Web shop\n"))
    assert tables(doc.text)[0][1] == ["Service", "Web shop (shop)"]


def test_slos_without_alerts_are_named_beside_those_with_alerts(tmp_path: Path) -> None:
    text = (
        PLAIN
        + """\
  - name: nightly
    description: Requests succeed, judged daily.
    sli: requests
    target: 99%
    window: 28d
    alerting: {policy: none}
"""
    )
    (doc,) = _compile_text(tmp_path, text)
    policy = doc.text.split("## Alerting policy")[1]
    assert "**availability**" in policy and "No burn-rate alerts for **nightly**." in policy


def test_exclusion_limits_are_a_sentence_of_their_own_per_calendar_period() -> None:
    (contract,) = compile_md("checkout-sla")
    line = next(x for x in contract.text.splitlines() if x.startswith("- **scheduled-maintenance**"))
    assert line.endswith("per month. At most 4 hours per month, announced at least 3 days ahead.")
    assert "(" not in line and "per period" not in line
