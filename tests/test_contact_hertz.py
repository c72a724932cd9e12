"""Hertz contact of two spheres against Johnson's closed form: the verification case sim.verify.hertz."""

import numpy as np
import pytest

from sim.verify.hertz import A_HERTZ, P0_HERTZ, hertz_checks, solve_hertz


@pytest.mark.slow
def test_sphere_on_flat_matches_hertz_within_5_percent(tmp_path):
    """Contact radius and peak pressure within 5 %, the contact pressure adds up to F (the verification
    case), and the pressure profile follows p0 sqrt(1 - r^2 / a^2) inside the contact."""
    out = solve_hertz(tmp_path / "cap.msh")
    failed = [c for c in hertz_checks(out) if not c.passed]
    assert not failed, failed
    inside = out["r"] < 0.8 * A_HERTZ
    hertz = P0_HERTZ * np.sqrt(1 - (out["r"][inside] / A_HERTZ) ** 2)
    assert np.abs(out["p"][inside] - hertz).max() < 0.05 * P0_HERTZ
