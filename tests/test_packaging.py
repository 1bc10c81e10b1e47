"""schema/ and grammar/ are found from a built wheel and from this (editable/source) checkout."""

from __future__ import annotations

import json
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from slospec import resources
from tests.conftest import EXAMPLES, ROOT


def test_source_checkout_reads_the_top_level_schema() -> None:
    assert resources.data_root() in (ROOT, Path(resources.__file__).parent / "_data")
    assert resources.load_json("schema/slospec.schema.json")["$id"].endswith("slospec.schema.json")


@pytest.mark.slow
def test_wheel_carries_schema_and_grammar(tmp_path: Path) -> None:
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if build.returncode != 0:
        pytest.fail(f"building the wheel failed: {build.stderr[-2000:]}")
    (wheel,) = (tmp_path / "dist").glob("slospec-*.whl")
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "slospec/_data/schema/slospec.schema.json" in names
    assert "slospec/_data/schema/config.schema.json" in names
    # Install it (dependencies come from this interpreter) and run it away from the checkout.
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    # The dependencies (click, jsonschema, ...) come from the interpreter running the tests:
    # its site-packages are appended after the new venv's own, so the wheel wins.
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "parent-deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True, timeout=300)
    run = subprocess.run(
        [python, "-c", "import slospec.resources as r; print(r.data_root())"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert run.stdout.strip().endswith("site-packages/slospec/_data")
    schema = subprocess.run(
        [python, "-m", "slospec", "schema"], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert json.loads(schema.stdout)["properties"]["apiVersion"]["const"] == "slospec/v1"
    lint = subprocess.run(
        [python, "-m", "slospec", "lint", str(EXAMPLES / "api.slo.yaml")], capture_output=True, text=True, cwd=tmp_path
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
