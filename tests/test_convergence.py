"""Manufactured solution on the unit cube: L2 error rates ~2 (tet4), ~3 (tet10) (sim.verify.manufactured)."""

import pytest

from sim.verify import run


@pytest.mark.parametrize("name", [pytest.param("manufactured_tet4", marks=pytest.mark.slow), "manufactured_tet10"])
def test_l2_convergence_rate(name):
    failed = [c for c in run(name) if not c.passed]
    assert not failed, failed
