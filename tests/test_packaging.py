"""A plain `pip install .` must give a working jixiao: patterns/ ships inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("hatchling", reason="hatchling (test extra) builds the wheel")
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    (whl,) = out.glob("jixiao-*.whl")
    return whl


def test_wheel_ships_every_pattern_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {n.split("/")[-1] for n in names if n.startswith("extractor/patterns/")}
    in_repo = {p.name for p in (ROOT / "patterns").glob("*.yaml")}
    assert in_repo, "patterns/ holds no YAML files"
    assert in_repo <= shipped


def test_wheel_declares_the_console_command(wheel):
    with zipfile.ZipFile(wheel) as zf:
        (ep,) = [n for n in zf.namelist() if n.endswith("entry_points.txt")]
        assert "jixiao = extractor.cli:main" in zf.read(ep).decode()


def test_installed_layout_prefers_the_packaged_patterns(wheel, tmp_path):
    """Unpack the wheel and import from it: the loader must find extractor/patterns inside the package."""
    zipfile.ZipFile(wheel).extractall(tmp_path)
    code = "import extractor.patterns as p; print(p.patterns_dir())"
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env={"PYTHONPATH": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    assert Path(proc.stdout.strip()) == tmp_path / "extractor" / "patterns"
