"""Cook's membrane at finite strain (sim/verify/cook.py): the tip displacement converges under mesh refinement
to the published value (Pelteret & McBride 2016; problem of Miehe 1994). Finer meshes: bench/bench_cook.py."""

from sim.verify.cook import TIP_DISPLACEMENT_MM, tip_displacement_mm


def test_tip_displacement_converges_to_the_published_value():
    errors = [abs(tip_displacement_mm(n) - TIP_DISPLACEMENT_MM) for n in (2, 4, 8)]
    assert errors[1] < errors[0] / 2 and errors[2] < errors[1] / 2, errors  # at least first order in h
    # Q2 hexahedra of the reference are within 0.2 % at 8 elements per edge; tet10 on 8 x 8 x 1 hexes (384 cells)
    # must be within 1 %
    assert errors[2] < 0.01 * TIP_DISPLACEMENT_MM, errors
