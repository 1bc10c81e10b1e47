"""The one printer: whatever slospec echoes (file names, spec values, server errors, label
values) reaches the terminal without its control characters acting.

A file name or a server's error can hold terminal escapes (`ESC ] 0 ; title BEL` sets the
window title, others move the cursor, clear the screen or rewrite what was printed) and
bidirectional overrides that reorder what is shown. Each such character is printed as its
escape (`\\x1b`, `\\u202e`), visible and harmless. Line breaks and tabs stay; so do the colour
codes slospec's own reporters add (Select Graphic Rendition, `ESC [ n ; n m`), which change
nothing but colour - text from data is made visible before it is coloured (`visible`).
"""

from __future__ import annotations

import re

# C0 controls but tab and line feed, DEL, C1 controls, and the bidirectional controls.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# The same, but an escape that starts a colour code (what click.style writes) is kept, and so
# is a carriage return that ends a line (a CRLF file's `fmt --diff`); one alone is not.
_CONTROL_BUT_COLOUR = re.compile(
    "\x1b(?!\\[[0-9;]{0,32}m)|\r(?!\n)"
    "|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control character as its escape (for data: names, values, errors)."""
    return _CONTROL.sub(_escape, text) if _CONTROL.search(text) else text


def printable(text: str) -> str:
    """`text` with every control character but a colour code as its escape (for output)."""
    return _CONTROL_BUT_COLOUR.sub(_escape, text) if _CONTROL_BUT_COLOUR.search(text) else text


__all__ = ["printable", "visible"]
