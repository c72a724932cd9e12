"""Quadrature rules integrate monomials exactly up to their degree (exact: a! b! c! / (a+b+c+d)!)."""

from math import factorial

import numpy as np
import pytest

from sim.fem.quadrature import tet_rule, tri_rule


def _exact(powers):
    return np.prod([factorial(p) for p in powers]) / factorial(sum(powers) + len(powers))


@pytest.mark.parametrize("degree", [1, 2, 3, 4, 5, 6])
def test_tet_rule_exact(degree):
    points, weights = tet_rule(degree)
    for a in range(degree + 1):
        for b in range(degree + 1 - a):
            for c in range(degree + 1 - a - b):
                approx = (weights * points[:, 0] ** a * points[:, 1] ** b * points[:, 2] ** c).sum()
                assert approx == pytest.approx(_exact((a, b, c)), rel=1e-12)


@pytest.mark.parametrize("degree", [1, 2, 3, 4, 5])
def test_tri_rule_exact(degree):
    points, weights = tri_rule(degree)
    for a in range(degree + 1):
        for b in range(degree + 1 - a):
            approx = (weights * points[:, 0] ** a * points[:, 1] ** b).sum()
            assert approx == pytest.approx(_exact((a, b)), rel=1e-12)


def test_degree_two_rule_is_not_exact_for_cubics():
    """The test above can fail: a degree-2 rule misses x^3."""
    points, weights = tet_rule(2)
    assert abs((weights * points[:, 0] ** 3).sum() - _exact((3, 0, 0))) > 1e-6
