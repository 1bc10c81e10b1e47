"""`slospec eval --format html`: the text report's numbers, nothing fetched at view time, and
charts that a real browser (headless Chromium) draws: the chart areas of a screenshot are
not blank."""

from __future__ import annotations

import csv
import html
import re
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, need_tool

JAN = 1767225600  # 2026-01-01T00:00:00Z
STEP = 600


def counts(path: Path) -> Path:
    """78 days of 10-minute counts: an outage on 10 February, a slow burn from 12 March."""
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["timestamp", "good", "total"])
        for i in range(78 * 144):
            day, total, bad = i // 144, 7000, 2
            if day == 40 and 40 <= i % 144 < 100:
                bad = 1400
            if day >= 70:
                bad = 6
            out.writerow([JAN + i * STEP, total - bad, total])
    return path


def eval_(tmp_path: Path, fmt: str) -> str:
    data = tmp_path / "counts.csv"
    if not data.exists():
        counts(data)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "slospec",
            "eval",
            str(EXAMPLES / "checkout-sla.slo.yaml"),
            "--data",
            str(data),
            "--interval",
            str(STEP),
            "--format",
            fmt,
            "-o",
            str(tmp_path / f"report.{fmt}"),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode in (0, 1), run.stderr  # 1: a target missed
    return (tmp_path / f"report.{fmt}").read_text()


def test_the_page_says_what_the_text_report_says(tmp_path: Path) -> None:
    text = eval_(tmp_path, "text")
    page = eval_(tmp_path, "html")
    shown = html.unescape(re.sub(r"<[^>]+>", " ", page))
    numbers = re.findall(r"\d[\d.:-]*\d%?x?|\d%?", text)
    assert len(numbers) >= 30
    missing = [n for n in numbers if n not in shown]
    assert not missing, missing
    for line in ("budget gone in about 1d16h at this rate", "used 12672, remaining 10%", "credit"):
        assert line in text and line in shown


def test_the_page_needs_no_network(tmp_path: Path) -> None:
    page = eval_(tmp_path, "html")
    assert page.count("<svg") == 4  # SLI, burn-down, alerts, SLA
    outside = re.findall(r"""(?:src|href)\s*=|url\(|@import|<script|<link""", page, re.I)
    assert not outside
    assert set(re.findall(r"https?://[^\s\"'<]+", page)) == {"http://www.w3.org/2000/svg"}  # a namespace


def test_spec_text_is_escaped() -> None:
    from slospec.evaluate import compute, html_report
    from slospec.specmodel import model

    spec = model.build(
        {
            "apiVersion": "slospec/v1",
            "service": {"name": "x", "owner": "o"},
            "slis": [{"name": "r", "ratio": {"bad": 'a{code="5"}', "total": "a"}}],
            "slos": [{"name": "s", "sli": "r", "target": "99%", "window": "1d", "description": "<script>x()</script>"}],
        }
    )
    series = compute.Series([(JAN + i * 60, 99, 100) for i in range(200)], 60)
    result = compute.evaluate(spec.slos[0], series)
    page = html_report.render([result], [], [series])
    assert "<script>" not in page and "&lt;script&gt;x()&lt;/script&gt;" in page


# --- in a real browser ---------------------------------------------------------------------------


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB(A) bytes) of an 8-bit, non-interlaced PNG (Chromium's)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, header = 8, [], b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and interlace == 0 and color in (2, 6), (depth, color, interlace)
    bpp = 4 if color == 6 else 3
    raw = zlib.decompress(b"".join(chunks))
    stride = width * bpp
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line if bpp == 3 else b"".join(bytes(line[i : i + 3]) for i in range(0, stride, 4))))
        previous = line
    return width, height, rows


def screenshot(page: Path, out: Path) -> tuple[int, int, list[bytes]]:
    chromium = need_tool("chromium")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                "--window-size=900,1800",
                f"--screenshot={out}",
                page.as_uri(),
            ],
            capture_output=True,
            timeout=120,
            check=True,
        )
    return png_pixels(out.read_bytes())


def boxes(rows: list[bytes], rgb: tuple[int, int, int]) -> list[tuple[int, int, int, int]]:
    """The (x0, y0, x1, y1) of each solid block of one color (the placeholders of the charts)."""
    hit = [[i // 3 for i in range(0, len(r), 3) if tuple(r[i : i + 3]) == rgb] for r in rows]
    out: list[tuple[int, int, int, int]] = []
    y = 0
    while y < len(hit):
        if len(hit[y]) > 100:
            top = y
            while y < len(hit) and len(hit[y]) > 100:
                y += 1
            out.append((min(hit[top]), top, max(hit[top]) + 1, y))
        y += 1
    return out


def test_chromium_draws_every_chart(tmp_path: Path) -> None:
    need_tool("chromium")
    page = eval_(tmp_path, "html")
    (tmp_path / "report.html").write_text(page)
    # The same page with every chart replaced by a magenta block of its size: where the charts are.
    marked = re.sub(
        r'<svg xmlns="http://www.w3.org/2000/svg" width="(\d+)" height="(\d+)".*?</svg>',
        r'<div style="width:\1px;height:\2px;background:#ff00ff;margin:.4rem 0 1rem"></div>',
        page,
        flags=re.S,
    )
    (tmp_path / "marked.html").write_text(marked)
    _, _, marked_rows = screenshot(tmp_path / "marked.html", tmp_path / "marked.png")
    charts = boxes(marked_rows, (255, 0, 255))
    assert len(charts) == 4, charts
    width, height, rows = screenshot(tmp_path / "report.html", tmp_path / "report.png")
    for x0, y0, x1, y1 in charts:
        area = (x1 - x0) * (y1 - y0)
        inked = colored = 0
        for y in range(y0, y1):
            row = rows[y]
            for x in range(x0, x1):
                r, g, b = row[3 * x : 3 * x + 3]
                if min(r, g, b) < 235:
                    inked += 1
                    # Colored, and not the red of the target and "exhausted" rules: data.
                    if max(r, g, b) - min(r, g, b) > 60 and not (r > g + 60 and r > b + 60):
                        colored += 1
        assert inked > area * 0.02, f"chart at {(x0, y0)} is blank: {inked} of {area} pixels drawn"
        assert colored > 150, f"chart at {(x0, y0)} has axes but no data drawn ({colored} colored pixels)"


@pytest.mark.parametrize("window", ["7d", {"calendar": "month", "timeZone": "Europe/Berlin"}, {"calendar": "day"}])
@pytest.mark.parametrize(
    "buckets",
    [
        [(JAN, 99, 100)],  # one bucket
        [(JAN + i * 60, 0, 100) for i in range(50)],  # every event bad
        [(JAN + i * 60, 0, 0) for i in range(5)] + [(JAN + 600, 5, 5)],  # empty buckets
        [(JAN + i * 3600, 1000 - i % 7, 1000) for i in range(24 * 400)],  # 400 days
    ],
    ids=["one-bucket", "all-bad", "empty-buckets", "400-days"],
)
def test_odd_data_still_gives_a_page(window, buckets) -> None:
    from slospec.evaluate import compute, html_report, report
    from slospec.specmodel import model

    spec = model.build(
        {
            "apiVersion": "slospec/v1",
            "service": {"name": "x", "owner": "o"},
            "slis": [{"name": "r", "ratio": {"bad": 'a{code="5"}', "total": "a"}}],
            "slos": [{"name": "s", "sli": "r", "target": "99%", "window": window}],
            "slas": [{"name": "c", "slo": "s", "target": "95%", "window": {"calendar": "week"}}],
        }
    )
    series = compute.Series(buckets, 60 if len(buckets) < 1000 else 3600)
    result = compute.evaluate(spec.slos[0], series)
    slas = [(spec.slas[0], compute.evaluate_sla(spec.slas[0], series))]
    page = html_report.render([result], slas, [series])
    assert page.count("<svg") == 4 and "nan" not in page.lower()
    shown = html.unescape(re.sub(r"<[^>]+>", " ", page))
    for number in re.findall(r"-?\d+\.\d+%", report.text([result], slas)):
        assert re.search(rf"(?<![\d.-]){re.escape(number)}", shown), number
