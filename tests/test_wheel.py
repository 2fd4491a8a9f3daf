"""The built wheel is a working zhili: ``pip install .`` then ``zhili demo`` runs, outside any checkout.

This is ``make test``'s one run of the whole demo command (README's first command runs the same ``zhili
demo`` from the checkout's editable install), on anvil (``--chain anvil``, the binary named by
``ZHILI_ANVIL`` as outside a checkout): the township term on the embedded chain runs under test-dates
(toolchain/test-dates.sh), at three times the cost. ``--json -`` puts only the JSON document on stdout,
and the HTML report is written (``--report`` is the scenario runner's, tested with ``zhili run`` in
tests/scenario/test_scenario.py).

The wheel is built from a copy of the sources (``pyproject.toml``, ``README.md``, ``client/``), so
setuptools' ``build/`` and ``*.egg-info`` never touch the checkout, and installed into a fresh virtual
environment. To keep the test fast, that environment gets the dependencies of the running one by a
``.pth`` line naming its site-packages: a ``.pth`` line only adds the directory, it does not process the
``.pth`` files in it, so the running environment's editable zhili (``__editable__.zhili-*.pth``, which
points at a checkout) is not seen; the test asserts that ``zhili`` is imported from the fresh environment.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from zhili.core.chain import find_anvil

REPO = Path(__file__).resolve().parents[1]


def _clean_env() -> dict[str, str]:
    """The environment without anything that could import zhili from the checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def _build_wheel(tmp: Path) -> Path:
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    shutil.copytree(REPO / "client", src / "client", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build"))
    dist = tmp / "dist"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-w", str(dist), str(src)],
        capture_output=True, text=True, timeout=600, env=_clean_env(), cwd=tmp,
    )  # fmt: skip
    if proc.returncode != 0:
        out = proc.stdout + proc.stderr
        if "No module named pip" in out or "satisfies the requirement setuptools" in out or "No matching distribution found for setuptools" in out:
            pytest.skip(f"cannot build a wheel here (pip or the build backend setuptools is not available):\n{out[-2000:]}")
        pytest.fail(f"pip wheel failed:\n{out[-4000:]}")
    (wheel,) = dist.glob("zhili-*.whl")
    return wheel


def test_installed_wheel_runs_the_demo(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)

    names = zipfile.ZipFile(wheel).namelist()
    for data in ("scenarios/township.yaml", "scenarios/county.yaml", "profiles/township.yaml", "profiles/county.yaml",
                 "artifacts/Jurisdiction.json", "artifacts/_build.json", "artifacts/anchors/EAS.json", "py.typed"):  # fmt: skip
        assert f"zhili/{data}" in names, f"{data} is not in the wheel"
    shipped = {Path(n).stem for n in names if n.startswith("zhili/artifacts/") and n.count("/") == 2}
    assert "MockCouncilDecisions" not in shipped, "the test-only mock is in the wheel"
    assert not [n for n in names if "Mock" in n or n.startswith("tests/")], "test-only files are in the wheel"

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, env=_clean_env())
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True, env=_clean_env()).stdout.strip())  # fmt: skip
    deps = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (site / "zz_test_deps.pth").write_text("".join(f"{d}\n" for d in deps), encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "--disable-pip-version-check", "-q", str(wheel)],
        check=True, env=_clean_env(), cwd=tmp_path,
    )  # fmt: skip

    run_dir = tmp_path / "elsewhere"  # not the checkout: nothing can be imported from the working directory
    run_dir.mkdir()
    where = subprocess.run([str(python), "-c", "import zhili; print(zhili.__file__)"], capture_output=True, text=True,
                           check=True, env=_clean_env(), cwd=run_dir).stdout.strip()  # fmt: skip
    assert Path(where).is_relative_to(venv), f"zhili was imported from {where}, not from the installed wheel"

    anvil = {**_clean_env(), "ZHILI_ANVIL": find_anvil()}
    proc = subprocess.run([str(bin_dir / "zhili"), "demo", "--chain", "anvil", "--json", "-"], capture_output=True, text=True, timeout=300,
                          env=anvil, cwd=run_dir)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-4000:]
    result = json.loads(proc.stdout)  # with --json -, stdout is the JSON document only
    assert {"scenario", "chain", "jurisdiction", "election", "council", "documents", "merit", "offices", "gas"} <= set(result)
    assert result["chain"]["kind"] == "anvil"
    assert result["jurisdiction"]["code"] == "330110-001"
    assert result["election"]["phase"] == "completed"
    assert set(result["offices"]) == {"secretary", "discipline", "congress", "consultative", "administrator", "discipline_deputy"}
    assert result["gas"]["registry.deploy"]["total"] > 0
    assert (run_dir / result["report"]).is_file(), "the HTML report was not written"
