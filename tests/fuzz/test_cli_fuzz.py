"""Whole-CLI fuzzing (issue 18): mutated examples and corpus files, random bytes, hostile values,
templates, configurations, eval data and budget arguments through every command. Whatever the
input: no exception escapes the CLI, the exit status is 0, 1 or 2, "internal error" never
shows, no case takes over 10 s, and fmt keeps its promises (file untouched on error, comments
and data kept, idempotent). About 2,000 cases per run (profile `ci`); run_fuzz.py runs more."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz import attacks, harness
from tests.fuzz.harness import Workspace, check_fmt, invoke

WORK = Workspace()


def _spec_case(name: str, content: bytes, args: list[str]) -> None:
    cwd = WORK.fresh({name: content})
    if args == ["fmt", name]:
        check_fmt(cwd, name)
    else:
        before = (cwd / name).read_bytes()
        invoke(args, cwd)
        if args[0] == "fmt":
            assert (cwd / name).read_bytes() == before, f"{' '.join(args)} changed the file"


@harness.fuzz_settings(0.40)
@given(harness.mutated().flatmap(lambda case: st.tuples(st.just(case), harness.spec_command(case[0]))))
def test_mutated_files_through_every_command(case) -> None:
    (name, content), args = case
    _spec_case(name, content, args)


@harness.fuzz_settings(0.20)
@given(harness.hostile_values().flatmap(lambda case: st.tuples(st.just(case), harness.spec_command(case[0]))))
def test_hostile_values_through_every_command(case) -> None:
    (name, content), args = case
    _spec_case(name, content, args)


@harness.fuzz_settings(0.10)
@given(harness.random_bytes.flatmap(lambda case: st.tuples(st.just(case), harness.spec_command(case[0]))))
def test_random_bytes_through_every_command(case) -> None:
    (name, content), args = case
    _spec_case(name, content, args)


@harness.fuzz_settings(0.10)
@given(harness.mutated(("yaml", "dsl")) | harness.hostile_values())
def test_fmt_keeps_its_promises(case) -> None:
    name, content = case
    check_fmt(WORK.fresh({name: content}), name)


TEMPLATE_PIECES = [
    "{{ service.name }}",
    "{{ service.display_name }}",
    "{% for slo in slos %}{{ slo.name }}: {{ slo.target }}\n{% endfor %}",
    "{{ sla.target if sla else '' }}",
    "{{ 1/0 }}",
    "{{ range(10**9)|list }}",
    "{{ 'a'*10**10 }}",
    "{{ 10**(10**10) }}",
    "{{ 'abc'|wordwrap(0) }}",
    "{{ 'x'|center(10**9) }}",
    "{{ '%999999999d' % 1 }}",
    "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "{{ nope }}",
    "{{ ''.__class__ }}",
    "{% include 'x' %}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% set ns = namespace(s='ab') %}{% for i in range(30) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
    "{{ '{:>99999999}'.format(1) }}",
    "{{ '\\ud800' }}",
    "{% if %}",
    "{{",
    "}}",
    "{%",
    "{# c #}",
    "\n",
    "text",
    "{{ slos|length }}",
    "{{ (slos|first).allowed_downtime }}",
    "{{ service.name|upper|replace('A', 'AA') }}",
    "{{ range(5)|sum }}",
    "{{ 2**64 * 2**64 }}",
    "{{ 'x'.ljust(10**8) }}",
    "{{ cycler(1,2).next() }}",
]


@harness.fuzz_settings(0.08)
@given(
    st.lists(st.sampled_from(TEMPLATE_PIECES), min_size=1, max_size=4).map("".join) | st.text(max_size=200),
    st.sampled_from(["checkout-sla.slo.yaml", "api.slo"]),
)
def test_user_templates(template: str, example: str) -> None:
    spec = (harness.EXAMPLES / example).read_bytes()
    cwd = WORK.fresh({"t.j2": template.encode("utf-8", "surrogatepass"), example: spec})
    invoke(["compile", "--target", "markdown", "--template", "t.j2", example], cwd)


CONFIG_LINES = [
    'include = ["**/*.slo"]',
    'exclude = ["**"]',
    'select = ["SLO1"]',
    'ignore = ["nope"]',
    "strict = true",
    'format = "json"',
    'format = "xml"',
    "max-file-size = 0",
    "max-file-size = -1",
    "max-file-size = 10",
    "max-values = 1",
    "max-values = 0",
    "jobs = 0",
    "jobs = 99999",
    "[severity]",
    'SLO101 = "info"',
    'SLO101 = "fatal"',
    "[rules.SLO301]",
    'max-long-window = "99999999w"',
    "[operations]",
    'scrape-interval = "0s"',
    'scrape-interval = "99999999w"',
    'time-to-detect = "1e30"',
    "x = 1",
    "[tool.slospec]",
    "= broken",
    '"\\ud800" = 1',
    "nan = nan",
    "[rules]",
    "SLO999 = {}",
]


@harness.fuzz_settings(0.05)
@given(
    st.lists(st.sampled_from(CONFIG_LINES), max_size=6).map("\n".join) | st.text(max_size=120),
    st.sampled_from(["api.slo.yaml", "api.slo", "uptime-daily.slo.yaml"]),
    st.sampled_from(["lint", "compile", "eval"]),
)
def test_configurations(config: str, example: str, command: str) -> None:
    cwd = WORK.fresh(
        {
            "cfg.toml": config.encode("utf-8", "surrogatepass"),
            example: (harness.EXAMPLES / example).read_bytes(),
            "data.csv": b"timestamp,good,total\n0,1,1\n60,1,1\n",
        }
    )
    args = {
        "lint": ["lint", "--config", "cfg.toml", example],
        "compile": ["compile", "--target", "prometheus", "--config", "cfg.toml", example],
        "eval": ["eval", "--config", "cfg.toml", "--sli", "requests-ok", "--data", "data.csv", example],
    }[command]
    invoke(args, cwd)


CELLS = st.one_of(
    st.integers(-5, 10**6).map(str),
    st.sampled_from(
        [
            "",
            "0",
            "1",
            "-1",
            "nan",
            "NaN",
            "inf",
            "-inf",
            "1e30",
            "1e12",
            "1e400",
            "sNaN",
            "true",
            "false",
            "2h",
            "3h30m",
            "2024-01-01T00:00:00Z",
            "2024-13-45",
            "9999-12-31T23:59:59Z",
            "\ufeff",
            "x",
            '"',
            "1,5",
            "0.5",
        ]
    ),
)


@st.composite
def csv_data(draw) -> bytes:
    header = draw(
        st.lists(
            st.sampled_from(
                [
                    "timestamp",
                    "good",
                    "bad",
                    "total",
                    "value",
                    "first_response_time",
                    " good",
                    "\ufefftimestamp",
                    "",
                    "x",
                ]
            ),
            min_size=1,
            max_size=5,
        )
    )
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=len(header) + 1), max_size=12))
    text = "\n".join([",".join(header)] + [",".join(r) for r in rows]) + "\n"
    return text.encode("utf-8")


@st.composite
def prometheus_json(draw) -> bytes:
    value = st.one_of(st.integers(-5, 1000).map(str), st.sampled_from(["NaN", "+Inf", "-Inf", "x", "1e30"]))
    sample = st.one_of(
        st.tuples(st.integers(0, 10**6), value).map(list), st.none(), st.just([1]), st.just([1, "1", 2]), st.just("x")
    )
    series = st.one_of(
        st.fixed_dictionaries({"metric": st.just({}), "values": st.lists(sample, max_size=8)}),
        st.just("x"),
        st.just({}),
        st.none(),
    )
    body = {
        "status": draw(st.sampled_from(["success", "error"])),
        "data": {
            "resultType": draw(st.sampled_from(["matrix", "vector", "scalar", "string"])),
            "result": draw(st.lists(series, max_size=3)),
        },
    }
    return json.dumps(body).encode()


@harness.fuzz_settings(0.04)
@given(
    st.one_of(
        csv_data().map(lambda d: ("data.csv", d, ["--data", "data.csv"])),
        st.tuples(prometheus_json(), prometheus_json()).map(
            lambda p: ("bad.json", p[0] + b"\0" + p[1], ["--data", "bad=bad.json", "--data", "total=total.json"])
        ),
    ),
    st.sampled_from(
        [("api.slo.yaml", "requests-ok"), ("support.slo.yaml", "first-response"), ("api.slo.yaml", "requests-fast")]
    ),
)
def test_eval_data(data, example) -> None:
    name, content, data_args = data
    spec, sli = example
    files = {spec: (harness.EXAMPLES / spec).read_bytes()}
    if name == "bad.json":
        bad, total = content.split(b"\0")
        files.update({"bad.json": bad, "total.json": total})
    else:
        files[name] = content
    invoke(["eval", spec, "--sli", sli, *data_args], WORK.fresh(files))


BUDGET_WORDS = st.one_of(
    st.sampled_from(
        harness.HOSTILE_PERCENTS
        + harness.HOSTILE_DURATIONS
        + ["month", "year", "quarter", "day", "week", "30d", "99.95%", "NaN", "sNaN", "Infinity", "-0", "1e999999"]
    ),
    st.text(max_size=12),
)


@harness.fuzz_settings(0.03)
@given(
    BUDGET_WORDS,
    BUDGET_WORDS,
    st.one_of(st.none(), st.integers(-1, 10**30).map(str), st.just("x")),
    st.sampled_from(["text", "json"]),
)
def test_budget(target: str, window: str, events: str | None, fmt: str) -> None:
    args = ["budget", "--format", fmt] + (["--events", events] if events is not None else []) + ["--", target, window]
    invoke(args, WORK.root)


# ------------------------------------------------------------------ issue 28: --fix and servers


def _fix_keeps_data(name: str, before: str, after: str) -> None:
    """--fix changed nothing but ratio targets, each to its percentage, in data it names."""
    from decimal import Decimal

    from slospec.specmodel.quantities import format_decimal

    old, new = harness._data(name, before), harness._data(name, after)
    assert len(old) == len(new), f"--fix changed the documents of {name}:\n{after}"

    def same(a, b, where: str) -> None:
        if isinstance(a, dict) and isinstance(b, dict):
            assert list(a) == list(b), f"--fix changed the keys at {where}:\n{after}"
            for key in a:
                same(a[key], b[key], f"{where}.{key}")
        elif isinstance(a, list) and isinstance(b, list):
            assert len(a) == len(b), f"--fix changed the length at {where}:\n{after}"
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                same(x, y, f"{where}[{i}]")
        elif a != b or type(a) is not type(b):
            ratio = isinstance(a, (int, float, Decimal)) and not isinstance(a, bool) and 0 < a <= 1
            assert where.endswith(".target") and ratio, f"--fix changed {where}: {a!r} -> {b!r}\n{after}"
            assert b == f"{format_decimal(Decimal(str(a)) * 100)}%", f"--fix wrote {b!r} for {a!r} at {where}"

    for a, b in zip(old, new, strict=True):
        same(a, b, "")


def _codes(cwd, name: str) -> list:
    out = invoke(["lint", "--format", "json", "--no-cache", name], cwd)
    return sorted((d["code"], d["line"]) for d in json.loads(out.stdout or "[]"))


@harness.fuzz_settings(0.04)
@given(attacks.merge_spec())
def test_fix_through_merge_keys_aliases_and_directive_like_data(case) -> None:
    text, plain = case
    name = "spec.slo.yaml"
    cwd = WORK.fresh({name: plain.encode()})
    expected = _codes(cwd, name)
    cwd = WORK.fresh({name: text.encode()})
    assert _codes(cwd, name) == expected, "text in data acted as a suppression"
    invoke(["lint", "--fix", "--no-cache", name], cwd)
    _fix_keeps_data(name, text, (cwd / name).read_text())


@harness.fuzz_settings(0.03)
@given(attacks.json_spec())
def test_fix_keeps_json_specs_json(text: str) -> None:
    name = "spec.slo.json"
    cwd = WORK.fresh({name: text.encode()})
    invoke(["lint", "--fix", "--no-cache", name], cwd)
    after = (cwd / name).read_text()
    json.loads(after)  # still JSON
    _fix_keeps_data(name, text, after)


SERVERS: list = []


@pytest.fixture(scope="module", autouse=True)
def _close_servers():
    """The hostile servers live across this module's examples, and stop with it: a server
    thread left running would make later tests run in a multi-threaded process."""
    yield
    while SERVERS:
        SERVERS.pop().close()


def _servers():
    if not SERVERS:
        SERVERS.append(attacks.HostileServers())
    return SERVERS[0]


SERVER_SPEC = (
    "apiVersion: slospec/v1\nservice: {name: api, owner: team-api}\nslis:\n  - name: requests\n"
    '    ratio:\n      bad: http_requests_total{code="500"}\n      total: http_requests_total\n'
    "  - name: fast\n    latency:\n      histogram: http_request_duration_seconds\n      threshold: 300ms\n"
    "slos:\n  - {name: availability, sli: requests, target: 99.9%, window: 1d}\n"
    "  - {name: latency, sli: fast, target: 99%, window: 1d}\n"
)


@harness.fuzz_settings(0.03)
@given(
    attacks.hostile_answer(), st.sampled_from(["eval", "check"]), st.booleans(), st.sampled_from(["requests", "fast"])
)
def test_hostile_prometheus_servers(answer, command: str, userinfo: bool, sli: str) -> None:
    import os

    servers = _servers()
    servers.answer = answer
    servers.thief_hits = 0
    url = servers.url.replace("http://", f"http://user:{attacks.SECRET}@") if userinfo else servers.url
    cwd = WORK.fresh({"api.slo.yaml": SERVER_SPEC.encode()})
    args = [command, "api.slo.yaml", "--prometheus", url, "--timeout", "1"]
    if command == "eval":
        args += ["--sli", sli, "--start", "1699990000", "--end", "1700010000", "--interval", "600"]
    os.environ["SLOSPEC_PROMETHEUS_TOKEN"] = attacks.SECRET
    try:
        out = invoke(args, cwd)
    finally:
        del os.environ["SLOSPEC_PROMETHEUS_TOKEN"]
    assert "--sli" not in out.output, out.output  # the server was asked
    assert servers.thief_hits == 0, "credentials followed a redirect to another origin"
    assert attacks.SECRET not in out.output, "a credential was printed"
    for char in ("\x1b", "\x07", "\x9b", "\u202e", "\r"):
        assert char not in out.output, f"{char!r} reached the terminal:\n{out.output!r}"
