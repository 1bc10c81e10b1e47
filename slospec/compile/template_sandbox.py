"""Rendering users' Jinja2 templates with bounded time and memory (Jinja2's sandbox bounds access).

Jinja2's sandbox stops templates from reaching Python internals, but not from asking for
`10**(10**10)`, `'a' * 10**10` or two nested `range(100000)` loops. This environment
refuses what it can see coming (huge powers, products, widths, more than a million loop
steps or calls) with a clear "template error" at the template's line, and renders in a
forked child with a memory limit and a wall-clock timeout for whatever it cannot see
(doubling a string in a loop), where the platform allows (POSIX).
"""

from __future__ import annotations

import math
import os
import re
from typing import Any

from slospec.errors import SlospecError

MAX_LENGTH = 1_000_000  # characters or items in any one value a template builds
MAX_OUTPUT = 5_000_000  # characters of rendered text
MAX_STEPS = 1_000_000  # loop iterations plus calls in one rendering
MAX_DIGITS = 10_000  # digits of a number computed by ** or *
TIMEOUT = 5.0  # seconds of wall clock for one rendering (child process only)
MEMORY = 256 * 1024 * 1024  # bytes a rendering may add to the process (child process only)
_WIDTH_RE = re.compile(r"(\d{7,})")  # widths/precisions of a million and more in format strings
_WIDTH_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs"}


class TemplateProblem(SlospecError):
    """A template that cannot be rendered; the message says why and where."""


def render(source: str, data: dict) -> str:
    """Render `source` over `data`; TemplateProblem (message starts with "template ...") on failure."""
    import jinja2
    from jinja2.sandbox import SecurityError

    env = _environment()
    try:
        template = env.from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"template error (template line {exc.lineno}): {exc.message}") from None
    except SecurityError as exc:
        raise TemplateProblem(f"template refused: {exc} (templates may only read the documented model)") from None
    if hasattr(os, "fork") and _single_threaded():
        return _in_child(template, data)
    return _render(template, data)


def _single_threaded() -> bool:
    import threading

    return threading.active_count() == 1


def _environment() -> Any:
    import jinja2
    from jinja2 import nodes
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Bounded(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "+", "%"})

        def __init__(self, **options: Any) -> None:
            super().__init__(**options)
            self.steps = 0
            self.globals["range"] = self._range
            for name, function in list(self.filters.items()):
                self.filters[name] = _bounded_filter(name, function)
            self.filters["_slospec_steps"] = self._count

        def _parse(self, source: Any, name: Any, filename: Any) -> Any:
            tree = super()._parse(source, name, filename)
            for loop in tree.find_all(nodes.For):
                # Every loop iterates through the step counter (its body may output nothing).
                loop.iter = nodes.Filter(loop.iter, "_slospec_steps", [], [], None, None, lineno=loop.lineno)
            return tree

        def step(self, n: int = 1) -> None:
            self.steps += n
            if self.steps > MAX_STEPS:
                raise TemplateProblem(
                    f"more than {MAX_STEPS:,} loop steps and calls; a template should only lay out the model's data"
                )

        def _count(self, iterable: Any) -> Any:
            for item in iterable:
                self.step()
                yield item

        def _range(self, *args: Any) -> Any:
            values = range(*args)
            if len(values) > MAX_LENGTH:
                raise TemplateProblem(f"range of {len(values):,} numbers; at most {MAX_LENGTH:,}")
            return values

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            _check_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
            __self.step()
            method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
            name = getattr(method, "__name__", "")
            if isinstance(getattr(method, "__self__", None), str):
                if name in _WIDTH_METHODS:
                    _check_size(args[:1], f"{name}() width")
                elif name in ("format", "format_map") and _WIDTH_RE.search(method.__self__):
                    raise TemplateProblem("format width of a million characters or more")
            result = super().call(__context, __obj, *args, **kwargs)
            _check_result(result)
            return result

    return Bounded(loader=None, undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)


def _check_size(values: Any, what: str) -> None:
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and value > MAX_LENGTH:
            raise TemplateProblem(f"{what} of {value:,}; at most {MAX_LENGTH:,}")


def _check_result(value: Any) -> None:
    if isinstance(value, (str, list, tuple)) and len(value) > MAX_LENGTH:
        raise TemplateProblem(f"a value of {len(value):,} characters or items; at most {MAX_LENGTH:,}")


def _digits(value: int) -> int:
    return max(1, int(math.log10(abs(value))) + 1) if value else 1


def _check_binop(operator: str, left: Any, right: Any) -> None:
    ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (left, right))
    if operator == "**" and ints and right > 0 and abs(left) > 1 and right * math.log10(abs(left)) > MAX_DIGITS:
        raise TemplateProblem(f"{left} ** {right} has more than {MAX_DIGITS:,} digits")
    if operator == "*":
        if ints and _digits(left) + _digits(right) > MAX_DIGITS:
            raise TemplateProblem(f"a product of more than {MAX_DIGITS:,} digits")
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_LENGTH:
                raise TemplateProblem(
                    f"repeating a value {n:,} times gives more than {MAX_LENGTH:,} characters or items"
                )
    if (
        operator == "+"
        and isinstance(left, (str, list, tuple))
        and isinstance(right, (str, list, tuple))
        and len(left) + len(right) > MAX_LENGTH
    ):
        raise TemplateProblem(f"a value of more than {MAX_LENGTH:,} characters or items")
    if operator == "%" and isinstance(left, str) and _WIDTH_RE.search(left):
        raise TemplateProblem("format width of a million characters or more")


def _bounded_filter(name: str, function: Any) -> Any:
    import functools

    @functools.wraps(function)  # keeps jinja's pass_context/pass_environment marks
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if name in ("center", "indent", "wordwrap", "truncate"):
            _check_size(list(args[1:]) + list(kwargs.values()), f"{name} width")
        if name == "format" and isinstance(args[0] if args else None, str) and _WIDTH_RE.search(args[0]):
            raise TemplateProblem("format width of a million characters or more")
        result = function(*args, **kwargs)
        _check_result(result)
        return result

    return bounded


def _template_line(exc: BaseException) -> int | None:
    """The template line an exception came from (jinja rewrites tracebacks to template lines)."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _render(template: Any, data: dict) -> str:
    import jinja2
    from jinja2.sandbox import SecurityError

    try:
        chunks, size = [], 0
        for chunk in template.generate(**data):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TemplateProblem(f"the output is longer than {MAX_OUTPUT:,} characters")
            chunks.append(chunk)
        text = "".join(chunks)
        text.encode("utf-8")
        return text
    except SecurityError as exc:
        raise TemplateProblem(f"template refused: {exc} (templates may only read the documented model)") from None
    except TypeError as exc:
        if "no loader" in str(exc):
            raise TemplateProblem(
                "template refused: include, import and extends cannot read other files; put everything in one template"
            ) from None
        raise TemplateProblem(_where(exc, str(exc))) from None
    except UnicodeEncodeError:
        raise TemplateProblem(
            "template error: the output contains characters that are not valid Unicode "
            "(a lone surrogate escape such as \\ud800)"
        ) from None
    except RecursionError as exc:
        raise TemplateProblem(_where(exc, "recursion too deep (a macro that calls itself without end?)")) from None
    except MemoryError as exc:
        raise TemplateProblem(_where(exc, f"uses more than {MEMORY // 2**20} MiB of memory")) from None
    except TemplateProblem as exc:
        raise TemplateProblem(_where(exc, str(exc))) from None
    except jinja2.TemplateError as exc:
        raise TemplateProblem(_where(exc, str(exc), getattr(exc, "lineno", None))) from None
    except Exception as exc:  # noqa: BLE001 - 1/0, int('x'), wordwrap(0): the template's own error
        raise TemplateProblem(_where(exc, f"{type(exc).__name__}: {exc}")) from None


def _where(exc: BaseException, what: str, line: int | None = None) -> str:
    line = line or _template_line(exc)
    return f"template error (template line {line}): {what}" if line else f"template error: {what}"


def _in_child(template: Any, data: dict) -> str:
    """Render in a forked child under a memory limit; kill it after TIMEOUT seconds."""
    import json
    import select
    import signal
    import time

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: render, send JSON, exit without running any cleanup
        status = 0
        try:
            os.close(read_end)
            _limit_memory()
            try:
                reply = {"text": _render(template, data)}
            except TemplateProblem as exc:
                reply = {"error": str(exc)}
            payload = json.dumps(reply).encode()
            while payload:
                payload = payload[os.write(write_end, payload) :]
        except BaseException:  # noqa: BLE001 - the parent reports a child that says nothing
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    chunks, deadline, timed_out = [], time.monotonic() + TIMEOUT, False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read_end], [], [], left)[0]:
                timed_out = True
                os.kill(pid, signal.SIGKILL)
                break
            chunk = os.read(read_end, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
    if timed_out:
        raise TemplateProblem(f"template error: rendering took longer than {TIMEOUT:g} seconds")
    try:
        reply = json.loads(b"".join(chunks))
    except ValueError:
        raise TemplateProblem(
            f"template error: rendering failed (more than {MEMORY // 2**20} MiB of memory?)"
        ) from None
    if "error" in reply:
        raise TemplateProblem(reply["error"])
    return reply["text"]


def _limit_memory() -> None:
    try:
        import resource

        with open("/proc/self/statm") as statm:
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = used + MEMORY
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError, ImportError):
        pass  # no /proc (macOS): the timeout still bounds the child
