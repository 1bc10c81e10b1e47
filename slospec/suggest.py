"""Did-you-mean for every name a user types (commands, option choices, rule codes and names,
configuration keys), in one wording: `...; did you mean 'prometheus'?`. difflib is imported
only when a name is wrong. The CLI's choices and completions build on it (cli/suggest.py)."""

from __future__ import annotations

from collections.abc import Iterable


def close(word: str, choices: Iterable[str], limit: int = 1) -> list[str]:
    """The choices nearest to `word` (case-insensitive), best first; [] when none is near."""
    import difflib

    options = list(choices)
    lowered = {c.lower(): c for c in options}
    found = difflib.get_close_matches(word.lower(), list(lowered), n=limit, cutoff=0.6)
    if not found:  # a prefix or a fragment: `prom` -> prometheus
        found = [c for c in lowered if word and word.lower() in c][:limit]
    return [lowered[f] for f in found]


def hint(word: str, choices: Iterable[str]) -> str:
    """`; did you mean 'x'?`, or "" when nothing is near."""
    found = close(word, choices)
    return f"; did you mean {found[0]!r}?" if found else ""
