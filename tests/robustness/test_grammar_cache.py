"""The DSL grammar cache (issue 18 item 7): a planted file never runs code, a link is never
written through, a FIFO never blocks, and a folder others can write to is not used."""

from __future__ import annotations

import os
import pickle
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from slospec import grammar_cache, resources
from tests.conftest import EXAMPLES, ROOT

GRAMMAR = resources.read_text("grammar/slospec.lark")
OPTIONS = dict(parser="lalr", propagate_positions=True, maybe_placeholders=False)
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes, links and FIFOs")


class Payload:
    """Unpickling this runs code: it creates the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


def parses(parser) -> bool:
    return parser.parse('service checkout-api {\n  owner "team"\n}\n') is not None


def test_second_load_comes_from_the_verified_cache(cache_home: Path) -> None:
    path = Path(grammar_cache.cache_path(GRAMMAR, OPTIONS))
    assert parses(grammar_cache.load_parser(GRAMMAR, OPTIONS))
    assert path.is_file() and stat.S_IMODE(path.stat().st_mode) & 0o077 == 0
    secret = path.parent / grammar_cache.SECRET_NAME
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    written = path.stat().st_mtime_ns
    assert parses(grammar_cache.load_parser(GRAMMAR, OPTIONS))
    assert path.stat().st_mtime_ns == written  # loaded, not rebuilt and rewritten


@posix_only
@pytest.mark.parametrize("shape", ["bare-pickle", "lark-cache-format", "our-magic-wrong-mac"])
def test_a_planted_cache_file_never_runs_code(cache_home: Path, tmp_path: Path, shape: str) -> None:
    marker = tmp_path / "pwned"
    grammar_cache.load_parser(GRAMMAR, OPTIONS)  # the secret exists; the attacker cannot read it
    path = Path(grammar_cache.cache_path(GRAMMAR, OPTIONS))
    evil = pickle.dumps(Payload(marker))
    if shape == "lark-cache-format":
        evil = b"0" * 32 + b"\n" + evil
    elif shape == "our-magic-wrong-mac":
        evil = grammar_cache.MAGIC + b"\0" * 32 + evil
    path.write_bytes(evil)
    assert parses(grammar_cache.load_parser(GRAMMAR, OPTIONS))
    assert not marker.exists()
    # ... and the planted file was replaced by a good one.
    assert path.read_bytes().startswith(grammar_cache.MAGIC) and not marker.exists()


@posix_only
def test_a_planted_secret_is_refused(cache_home: Path, tmp_path: Path) -> None:
    # An attacker who plants the secret knows it; a secret readable by others is not used.
    folder = Path(grammar_cache.cache_folder())
    folder.mkdir(mode=0o700)
    secret = folder / grammar_cache.SECRET_NAME
    secret.write_bytes(b"k" * 32)
    secret.chmod(0o644)
    marker = tmp_path / "pwned"
    import hashlib
    import hmac

    key = grammar_cache.cache_key(GRAMMAR, OPTIONS)
    blob = pickle.dumps(Payload(marker))
    mac = hmac.new(b"k" * 32, grammar_cache.MAGIC + key.encode() + b"\n" + blob, hashlib.sha256).digest()
    Path(grammar_cache.cache_path(GRAMMAR, OPTIONS)).write_bytes(grammar_cache.MAGIC + mac + blob)
    assert parses(grammar_cache.load_parser(GRAMMAR, OPTIONS))
    assert not marker.exists()


@posix_only
def test_a_symlinked_cache_file_never_has_its_target_overwritten(cache_home: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    folder = Path(grammar_cache.cache_folder())
    folder.mkdir(mode=0o700)
    path = Path(grammar_cache.cache_path(GRAMMAR, OPTIONS))
    path.symlink_to(victim)
    (folder / grammar_cache.SECRET_NAME).symlink_to(tmp_path / "secret-target")
    assert parses(grammar_cache.load_parser(GRAMMAR, OPTIONS))
    assert victim.read_text() == "precious\n"
    assert not (tmp_path / "secret-target").exists()


@posix_only
def test_a_fifo_in_the_cache_never_blocks(tmp_path: Path) -> None:
    # In a subprocess: a regression would hang; the timeout turns it into a failure.
    home = tmp_path / "cache"
    (home / "slospec").mkdir(parents=True, mode=0o700)
    env = {**os.environ, "XDG_CACHE_HOME": str(home), "PYTHONPATH": str(ROOT)}
    name = subprocess.run(
        [
            sys.executable,
            "-c",
            "from slospec import grammar_cache, resources, dsl;"
            "print(grammar_cache.cache_path(resources.read_text('grammar/slospec.lark'),"
            " dict(parser='lalr', propagate_positions=True, maybe_placeholders=False)))",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.strip()
    os.mkfifo(name)
    os.mkfifo(home / "slospec" / grammar_cache.SECRET_NAME)
    result = subprocess.run(
        [sys.executable, "-m", "slospec", "lint", str(EXAMPLES / "api.slo")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert stat.S_ISFIFO(os.stat(name).st_mode)  # left alone


@posix_only
def test_a_folder_others_can_write_to_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    (shared / "slospec").mkdir(parents=True)
    (shared / "slospec").chmod(0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared))
    assert parses(grammar_cache.load_parser(GRAMMAR, OPTIONS))
    assert list((shared / "slospec").iterdir()) == []


def test_an_unwritable_cache_location_still_parses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert parses(grammar_cache.load_parser(GRAMMAR, OPTIONS))
