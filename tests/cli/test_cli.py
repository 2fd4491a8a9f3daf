"""The zhili command: output, field-level errors and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from zhili.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zhili.cli", *args], capture_output=True, text=True, timeout=300)


def test_deploy_table_output() -> None:
    proc = run("deploy", "--code", "330110-003", "--name", "测试镇")
    assert proc.returncode == 0, proc.stderr
    assert "R-WD-1" in proc.stdout and "党委书记兼乡镇长" in proc.stdout


def test_profile_validate_reports_notes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", "validate", "township", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["valid"] and any("340" in n for n in data["notes"])


def test_profile_validate_rule_violation_exits_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import yaml

    from zhili.profiles import PROFILE_DIR

    data = yaml.safe_load((PROFILE_DIR / "township.yaml").read_text())
    data["weights"]["strategic"][0] = 200
    f = tmp_path / "p.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True))
    assert main(["profile", "validate", str(f)]) == 1
    assert "R-WD-2" in capsys.readouterr().err


def test_malformed_profile_names_field_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "p.yaml"
    f.write_text("kind: township\nthreshold: high\n")
    assert main(["deploy", "--profile", str(f), "--code", "X", "--name", "x"]) == 2
    errtext = capsys.readouterr().err
    assert "threshold: expected an integer, got 'high'" in errtext


def test_unknown_chain_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deploy", "--code", "X", "--name", "x", "--chain", "nowhere"]) == 3
    assert "unknown chain" in capsys.readouterr().err


def test_deploy_on_anvil_json() -> None:
    proc = run("deploy", "--code", "330110-002", "--name", "测试镇", "--chain", "anvil", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["chain_id"] == 31337 and data["jurisdiction"]["code"] == "330110-002"
