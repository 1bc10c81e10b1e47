"""Writes are atomic (kill the writer at random points: the old file or the new one, never a
part) and names derived from specs never leave the output folder."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from slospec.atomic import safe_child, write_text
from tests.conftest import ROOT

WRITER = """
import sys
from slospec.atomic import write_text
target, size = sys.argv[1], int(sys.argv[2])
print("ready", flush=True)
for round_ in range(1000):
    write_text(target, ("NEW%d-" % round_) * size + "END\\n")
"""


def test_killing_the_writer_never_leaves_a_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    old = "OLD-" * 200_000 + "END\n"
    target.write_text(old)
    rng = random.Random(20261124)
    outcomes = {"old": 0, "new": 0}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(25):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target), "200000"], stdout=subprocess.PIPE, env=env)
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0, 0.05))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        content = target.read_text()
        assert content.endswith("END\n"), "a partial file was left behind"
        if content == old:
            outcomes["old"] += 1
        else:
            marker = content.split("-", 1)[0]
            assert content == (marker + "-") * 200_000 + "END\n"
            outcomes["new"] += 1
    assert outcomes["new"] > 0  # the kills did land while writing


def test_write_keeps_permissions_and_replaces_content(tmp_path: Path) -> None:
    target = tmp_path / "rules.yaml"
    target.write_text("old\n")
    target.chmod(0o640)
    write_text(target, "new\n")
    assert target.read_text() == "new\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rules.yaml"]


def test_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "a.md"
    target.write_text("keep me\n")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_text(target, "new")
    assert target.read_text() == "keep me\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "/etc/passwd",
        "..",
        ".",
        "a/b\\c",
        "con",
        "COM1.md",
        "x\x00y",
        "\n\t",
        "a" * 500,
        "slo:availability?",
        "~/.ssh/id_rsa",
        "..\\..\\windows",
    ],
)
def test_names_from_specs_stay_inside_the_output_folder(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    path = safe_child(out, name)
    assert path.parent == out.resolve()
    assert path.name not in ("", ".", "..")
    assert all(ch.isalnum() or ch in "._-" for ch in path.name)
    write_text(path, "x")
    assert [p.parent for p in out.iterdir()] == [out.resolve()] or [p.parent for p in out.iterdir()] == [out]


# ------------------------------------------------------------- slospec fmt writes

MESSY = "service shop {\n      owner team-shop\n}\n"
TIDY = "service shop {\n  owner team-shop\n}\n"


def fmt(*args: str, cwd: Path, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cwd / ".cache")}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "slospec", "fmt", *args], cwd=cwd, capture_output=True, text=True, env=env
    )


def test_fmt_formats_the_target_of_a_symlink_and_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "shop.slo"
    target.write_text(MESSY)
    (tmp_path / "link.slo").symlink_to(target)
    result = fmt("link.slo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "link.slo").is_symlink()
    assert target.read_text() == TIDY
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["shop.slo"]  # no temp left


def test_fmt_refuses_a_read_only_file_and_formats_the_others(tmp_path: Path) -> None:
    (tmp_path / "locked.slo").write_text(MESSY)
    (tmp_path / "locked.slo").chmod(0o444)
    (tmp_path / "open.slo").write_text(MESSY)
    result = fmt("locked.slo", "open.slo", cwd=tmp_path)
    assert result.returncode == 2
    assert "locked.slo: the file is read-only (mode 0444)" in result.stderr
    assert (tmp_path / "locked.slo").read_text() == MESSY
    assert (tmp_path / "locked.slo").stat().st_mode & 0o777 == 0o444
    assert (tmp_path / "open.slo").read_text() == TIDY
    assert "1 file reformatted, 0 unchanged, 1 not formatted" in result.stderr


def test_fmt_refuses_a_hard_linked_file_and_leaves_both_names(tmp_path: Path) -> None:
    """Issue 28 case 6: renaming would split the links and rewriting in place is not atomic
    (a kill at the truncate left a corrupted spec): refused, said why, nothing changed."""
    spec = tmp_path / "shop.slo"
    spec.write_text(MESSY)
    spec.chmod(0o640)
    os.link(spec, tmp_path / "other-name.slo.txt")
    inode = spec.stat().st_ino
    result = fmt("shop.slo", cwd=tmp_path)
    assert result.returncode == 2 and "has 2 hard links" in result.stderr
    assert spec.read_text() == MESSY and (tmp_path / "other-name.slo.txt").read_text() == MESSY
    assert spec.stat().st_ino == inode and spec.stat().st_nlink == 2
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".cache")) == [
        "other-name.slo.txt",
        "shop.slo",
    ]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_fmt_as_root_keeps_the_owner_and_drops_set_id_bits(tmp_path: Path) -> None:
    spec = tmp_path / "shop.slo"
    spec.write_text(MESSY)
    os.chown(spec, 4321, 4321)
    spec.chmod(0o6755)
    assert fmt("shop.slo", cwd=tmp_path).returncode == 0
    info = spec.stat()
    assert spec.read_text() == TIDY
    assert (info.st_uid, info.st_gid) == (4321, 4321)  # replaced atomically, given back its owner
    assert info.st_mode & 0o7777 == 0o755


def _can_run_slospec(prefix: tuple[str, ...]) -> bool:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import click, slospec.cli"], capture_output=True, env=env, cwd="/"
    )
    return probe.returncode == 0


def _locking(folder: Path) -> tuple[tuple[str, ...], str, int]:
    """How to run fmt so that writing into `folder` fails, what fmt should say, and who
    should own the files: root ignores permission bits, so as root run fmt as `nobody` (when
    `nobody` can read the installed packages) or inside a mount namespace that binds the
    folder read-only (when a private venv is closed to other users, as in CI)."""
    import shutil

    if os.geteuid() != 0:
        return (), "cannot write: Permission denied; the file is left as it was", os.getuid()
    nobody = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
    if shutil.which("setpriv") and _can_run_slospec(nobody):
        return nobody, "cannot write: Permission denied; the file is left as it was", 65534
    read_only = ("unshare", "--mount", "sh", "-c", 'mount --bind -o ro "$0" "$0" && exec "$@"', str(folder))
    if shutil.which("unshare") and _can_run_slospec(read_only):
        return read_only, "the file system is mounted read-only; not formatted", 0
    pytest.skip("running as root, and neither another user nor a read-only mount is available")


def test_fmt_reports_a_read_only_folder_and_goes_on() -> None:
    import shutil
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="slospec-ro-"))
    try:
        (base / "locked").mkdir()
        (base / "open").mkdir()
        (base / ".cache").mkdir()
        prefix, reason, owner = _locking(base / "locked")
        for folder in ("locked", "open"):
            (base / folder / "shop.slo").write_text(MESSY)
            os.chown(base / folder / "shop.slo", owner, owner)
        os.chown(base / "open", owner, owner)
        os.chown(base / ".cache", owner, owner)
        (base / "locked").chmod(0o555)
        base.chmod(0o755)
        result = fmt("locked", "open", cwd=base, prefix=prefix)
        assert result.returncode == 2, result.stderr
        assert f"locked/shop.slo: {reason}" in result.stderr
        assert "internal error" not in result.stderr
        assert (base / "locked" / "shop.slo").read_text() == MESSY
        assert (base / "open" / "shop.slo").read_text() == TIDY
    finally:
        (base / "locked").chmod(0o755)
        shutil.rmtree(base)


def test_fmt_on_a_full_disk_reports_the_file_and_goes_on(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small file system here to fill up")
    try:
        (disk / "shop.slo").write_text(MESSY)
        filler = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
        for size in (4096, 1):  # fill the disk to the last byte
            try:
                while True:
                    os.write(filler, b"x" * size)
            except OSError:
                pass
        os.close(filler)
        (tmp_path / "other.slo").write_text(MESSY)
        result = fmt(str(disk / "shop.slo"), "other.slo", cwd=tmp_path)
        assert result.returncode == 2
        assert "shop.slo: cannot write: No space left on device; the file is left as it was" in result.stderr
        assert (disk / "shop.slo").read_text() == MESSY
        assert (tmp_path / "other.slo").read_text() == TIDY
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "shop.slo"]
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


# Issue 28 cases 4-5: the one output writer writes in place what is not a regular file and
# refuses links inside an output folder.


def test_dash_o_dev_stdout_appends_to_the_redirected_log(tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    script = f'echo start; "{sys.executable}" -m slospec compile "{ROOT}/examples/api.slo.yaml" -t markdown -o /dev/stdout; echo end'
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log.open("w") as out:
        subprocess.run(["sh", "-c", script], stdout=out, env=env, check=True, timeout=60)
    text = log.read_text()
    assert text.startswith("start\n# Service levels") and text.endswith("end\n")


def test_dash_o_fifo_stays_a_fifo(tmp_path: Path) -> None:
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_text(fifo, "through the pipe\n")
    reader.join(10)
    assert got == [b"through the pipe\n"] and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_dash_o_dev_null_is_never_replaced() -> None:
    import stat

    before = os.stat("/dev/null")
    write_text("/dev/null", "nothing\n")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def _compile_into(folder: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "slospec", "compile", str(ROOT / "examples" / "api.slo.yaml"), "-t", "prometheus"]
        + ["-o", f"{folder}/"],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_compile_into_a_folder_refuses_a_symbolic_link_there(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n")
    (out / "payments-api.rules.yaml").symlink_to(victim)
    result = _compile_into(out, tmp_path)
    assert result.returncode == 2 and "is a symbolic link" in result.stderr and "internal error" not in result.stderr
    assert victim.read_text() == "keep\n"
    (out / "payments-api.rules.yaml").unlink()
    (out / "payments-api.rules.yaml").symlink_to("/nonexistent/elsewhere")
    result = _compile_into(out, tmp_path)
    assert result.returncode == 2 and "is a symbolic link" in result.stderr and "internal error" not in result.stderr


def test_compile_into_a_folder_refuses_a_hard_link_to_a_file_outside(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("keep\n")
    os.link(outside, out / "payments-api.rules.yaml")
    result = _compile_into(out, tmp_path)
    assert result.returncode == 2 and "hard links" in result.stderr
    assert outside.read_text() == "keep\n"
