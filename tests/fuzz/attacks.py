"""Fuzz generators for issue 28's attacks: YAML merge keys and aliases, suppression-like text
in data, JSON specs (all through `lint --fix`), and hostile Prometheus servers (through
`eval --prometheus` and `check --prometheus`). Used by tests/fuzz/test_cli_fuzz.py."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from hypothesis import strategies as st

HEAD = """apiVersion: slospec/v1
service:
  name: payments-api
  owner: team-payments
  description: {service_description}
slis:
  - name: requests-ok
    description: {sli_description}
    ratio:
      bad: http_requests_total{{code=~"5.."}}
      total: http_requests_total
"""

DIRECTIVES = [
    "# slospec: disable-file=SLO101",
    "# slospec: disable=SLO103",
    "# slospec: disable=SLO402,SLO101",
    "#slospec:disable-file=SLO1",
    "# slospec: disable=implausible-target -- why",
]
TARGETS = ["0.999", "0.99", "99.9%", "100%", "0.5", "99.99%", "1"]


@st.composite
def description(draw, indent: int) -> str:
    """A YAML value (of a key at `indent`) that holds directive-like text as data."""
    directive = draw(st.sampled_from(DIRECTIVES))
    form = draw(st.sampled_from(["block", "folded", "double", "single", "plain"]))
    pad = " " * (indent + 2)
    if form == "block":
        return f"|\n{pad}first line\n{pad}{directive}\n{pad}last line"
    if form == "folded":
        return f">\n{pad}{directive}\n{pad}more"
    if form == "double":
        return json.dumps(f"text {directive} text")
    if form == "single":
        return "'" + f"a\n{pad}{directive}".replace("'", "''") + "'"
    return "plain text"


def neutral(text: str) -> str:
    """Directive-like data made plain data (the same lines and columns)."""
    return text.replace("slospec:", "slospex:")


@st.composite
def merge_spec(draw) -> tuple[str, str]:
    """(spec, the same spec with its directive-like data neutralised): SLOs share values
    through an anchor, `<<` merge keys and aliases, with ratio targets (SLO103's fix) and
    suppression-like data; sometimes a real comment too (the same in both)."""
    service, sli = draw(description(2)), draw(description(4))
    head = HEAD.format(service_description=service, sli_description=sli)
    plain = HEAD.format(service_description=neutral(service), sli_description=neutral(sli))
    base_target = draw(st.sampled_from(TARGETS))
    anchored_scalar = draw(st.booleans())
    lines = ["slos:", "  - &base", "    name: first", "    description: x", "    sli: requests-ok"]
    lines.append(f"    target: &t {base_target}" if anchored_scalar else f"    target: {base_target}")
    lines.append("    window: 28d")
    for n in range(draw(st.integers(0, 3))):
        how = draw(st.sampled_from(["merge", "merge-own-target", "alias-target", "plain"]))
        if how == "plain":
            lines += [f"  - name: s{n}", "    description: x", "    sli: requests-ok"]
            lines += [f"    target: {draw(st.sampled_from(TARGETS))}", "    window: 28d"]
        else:
            lines += ["  - <<: *base", f"    name: s{n}"]
            if how == "merge-own-target":
                lines.append(f"    target: {draw(st.sampled_from(TARGETS))}")
            elif how == "alias-target" and anchored_scalar:
                lines.append("    target: *t")
    if draw(st.booleans()):
        at = draw(st.integers(1, len(lines)))
        lines.insert(at, "  " * draw(st.integers(0, 2)) + draw(st.sampled_from(DIRECTIVES)))
    body = "\n".join(lines) + "\n"
    return head + body, plain + body


@st.composite
def json_spec(draw) -> str:
    """A spec written as JSON, with ratio targets and directive-like strings in its data."""
    slos = [
        {
            "name": f"s{n}",
            "description": draw(st.sampled_from(["x", *DIRECTIVES])),
            "sli": "requests-ok",
            "target": draw(st.sampled_from([0.999, 0.99, "99.9%", 99.5, "0.5", 1])),
            "window": "28d",
        }
        for n in range(draw(st.integers(1, 3)))
    ]
    spec = {
        "apiVersion": "slospec/v1",
        "service": {"name": "payments-api", "owner": "team-payments", "description": draw(st.sampled_from(DIRECTIVES))},
        "slis": [{"name": "requests-ok", "ratio": {"bad": 'x{code=~"5.."}', "total": "x"}}],
        "slos": slos,
    }
    return json.dumps(spec, indent=draw(st.sampled_from([None, 2])))


# ------------------------------------------------------------------ hostile servers

SECRET = "fuzz-s3cret"


class HostileServers:
    """Two servers on 127.0.0.1: the one given to slospec, whose answer a case sets, and a
    "thief" on another origin that must never be asked (redirects point there)."""

    def __init__(self) -> None:
        self.answer: tuple[int, dict[str, str], bytes, float] = (200, {}, b"{}", 0.0)
        self.thief_hits = 0
        outer = self

        class Origin(BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                status, headers, body, trickle = outer.answer
                try:
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value.replace("{thief}", outer.thief_url))
                    self.send_header("Content-Length", str(len(body) + (50 if trickle else 0)))
                    self.end_headers()
                    self.wfile.write(body)
                    if trickle:
                        import time

                        for _ in range(50):
                            self.wfile.write(b" ")
                            self.wfile.flush()
                            time.sleep(trickle)
                except OSError:
                    pass

            do_GET = do_POST = _any  # noqa: N815

            def log_message(self, *args) -> None:
                pass

        class Thief(Origin):
            def _any(self) -> None:
                outer.thief_hits += 1
                super()._any()

            do_GET = do_POST = _any  # noqa: N815

        self.origin = ThreadingHTTPServer(("127.0.0.1", 0), Origin)
        self.thief = ThreadingHTTPServer(("127.0.0.1", 0), Thief)
        for server in (self.origin, self.thief):
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.origin.server_address[1]}"
        self.thief_url = f"http://127.0.0.1:{self.thief.server_address[1]}"

    def close(self) -> None:
        for server in (self.origin, self.thief):
            server.shutdown()
            server.server_close()


ESCAPES = ["\x1b]0;pwned\x07", "\x1b[2J", "\x9b31m", "\u202e", "\r\x1b[1A"]


def _matrix(values: list, metric: dict | None = None) -> dict:
    return {
        "status": "success",
        "data": {"resultType": "matrix", "result": [{"metric": metric or {}, "values": values}]},
    }


@st.composite
def hostile_answer(draw) -> tuple[int, dict[str, str], bytes, float]:
    """(status, headers, body, trickle seconds per byte) of one hostile answer."""
    escape = draw(st.sampled_from(ESCAPES))
    now = 1_700_000_000
    kind = draw(
        st.sampled_from(
            [
                "redirect",
                "error",
                "big-int",
                "big-time",
                "inf",
                "nan",
                "huge-counter",
                "shapes",
                "labels",
                "trickle",
                "html",
            ]
        )
    )
    if kind == "redirect":
        status = draw(st.sampled_from([301, 302, 303, 307, 308]))
        return status, {"Location": "{thief}/api/v1/query_range"}, b"", 0.0
    if kind == "error":
        body = {"status": "error", "errorType": escape, "error": f"boom {escape} {SECRET[:0]}"}
        return draw(st.sampled_from([400, 401, 422, 500, 503])), {}, json.dumps(body).encode(), 0.0
    if kind == "big-int":
        return (
            200,
            {},
            b'{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1700000000,"1'
            + b"0" * draw(st.integers(300, 5000))
            + b'"]]}]}}',
            0.0,
        )
    if kind == "big-time":
        return (
            200,
            {},
            b'{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1'
            + b"0" * draw(st.integers(300, 5000))
            + b',"1"]]}]}}',
            0.0,
        )
    if kind in ("inf", "nan"):
        word = draw(st.sampled_from(["Infinity", "-Infinity", "NaN", "1e999", '"+Inf"', '"NaN"']))
        return (
            200,
            {},
            f'{{"status":"success","data":{{"resultType":"matrix","result":[{{"metric":{{}},"values":[[{now},{word}]]}}]}}}}'.encode(),
            0.0,
        )
    if kind == "huge-counter":
        values = [[now + 60 * i, repr(draw(st.sampled_from([1.5e308, 1e308, 1.7e308, 9e307])))] for i in range(10)]
        return 200, {}, json.dumps(_matrix(values)).encode(), 0.0
    if kind == "shapes":
        data = draw(
            st.sampled_from(
                [[1, 2], ["x"], [{"le": "1e999999999"}], {"a": 1}, None, [{"__name__": {"x": 1}}], [[]], "text"]
            )
        )
        return 200, {}, json.dumps({"status": "success", "data": data}).encode(), 0.0
    if kind == "labels":
        metric = {f"l{escape}": f"v{escape}", "le": draw(st.sampled_from(["0.3", "+Inf", "1e999", "x"]))}
        return 200, {}, json.dumps(_matrix([[now, "1"], [now + 60, "2"]], metric)).encode(), 0.0
    if kind == "trickle":
        return 200, {}, b'{"status":"success"', 0.05
    return 200, {}, f"<html>{escape}</html>".encode(), 0.0
