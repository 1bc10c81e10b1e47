"""Issue 28, case 9: the one printer shows control characters, never lets them act."""

from __future__ import annotations

import pytest

from slospec.printer import printable, visible


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),  # sets the terminal's title
        ("\x1b[2J\x1b[1A", "\\x1b[2J\\x1b[1A"),  # clears the screen, moves the cursor
        ("\x9b31m", "\\x9b31m"),  # the 8-bit CSI
        ("over\rwrite", "over\\x0dwrite"),  # a carriage return alone rewrites the line
        ("abc\u202edef", "abc\\u202edef"),  # a bidirectional override reorders what is shown
        ("\x00\x08\x7f", "\\x00\\x08\\x7f"),
    ],
)
def test_control_characters_are_shown_as_escapes(text: str, shown: str) -> None:
    assert printable(text) == shown and visible(text) == shown


def test_what_slospec_itself_prints_stays() -> None:
    coloured = "\x1b[1m\x1b[31mSLO101\x1b[0m [error]\tline\r\nnext\n"
    assert printable(coloured) == coloured  # its own colour codes, tabs, line breaks, CRLF
    assert visible("\x1b[31m") == "\\x1b[31m"  # but data never colours the terminal
    assert printable("plain ünïcödé ✓") == "plain ünïcödé ✓"
