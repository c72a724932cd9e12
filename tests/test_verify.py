"""`spacer-sim verify`: one table, exit code 1 when a check fails, 2 for an unknown case."""

import pytest

from sim import verify
from sim.cli import main
from sim.verify import Check


def test_verify_prints_the_table_and_passes(capsys):
    assert main(["verify", "--case", "patch_tet4", "--case", "series_springs"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["case", "quantity", "reference", "computed", "error", "tolerance", "pass"]
    assert "patch_tet4" in out and "series_springs" in out and "3 of 3 checks pass" in out


def test_verify_exits_1_when_a_check_fails(capsys, monkeypatch):
    monkeypatch.setitem(verify.CASES, "always_wrong", lambda work_dir: [Check("always_wrong", "x", 1.0, 1.1, 0.05)])
    assert main(["verify", "--case", "always_wrong"]) == 1
    assert "NO" in capsys.readouterr().out


def test_verify_unknown_case_is_a_user_error(capsys):
    assert main(["verify", "--case", "lame"]) == 2
    err = capsys.readouterr().err
    assert "no verification case 'lame'" in err and "lame_cylinder" in err


def test_check_error_and_pass():
    assert Check("c", "q", -5.38, -5.43, 0.01).error == pytest.approx(0.05 / 5.38)
    assert not Check("c", "q", -5.38, -5.43, 0.009).passed
    assert Check("c", "q", 0.0, 1e-14, 1e-13, relative=False).passed
    assert not Check("c", "q", 1.0, float("nan"), 1.0).passed
