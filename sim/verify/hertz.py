"""Verification case: Hertz contact of two spheres (R1 = R2 = 2 mm, E = 1.40625e7 MPa, nu = 0.25, F = 1e4 N
-> E* = 7.5e6 MPa, contact radius a = 0.1 mm, peak pressure p0 = 4.775e5 MPa; Johnson, Contact Mechanics,
1985, ch. 4).

Two equal spheres press each other symmetrically, so their common plane stays flat and frictionless: one
sphere on a rigid frictionless plane is the same problem (with E* = E / (1 - nu^2) = 1.5e7 and R = 2 the
formulas give the same a and p0). Modelled: a quarter of a spherical cap 1 mm = 10 a deep, symmetry planes
x = 0 and y = 0, the force applied to its flat top (force control: the cap's vertical motion is found from
the contact forces), tet10 refined near the pole with a gmsh size field.
"""

import math

import gmsh
import numpy as np

from ..contact import ContactProblem, InterfaceSpec
from ..mesh import read_mesh
from ..model import BoundarySpec, LoadSpec
from .registry import Check, case
from .shapes import faces_at, gmsh_model, write_graded

R, E, NU, F = 2.0, 1.40625e7, 0.25, 1e4
A_HERTZ, P0_HERTZ = 0.1, 4.775e5


def cap_mesh(path, h_contact=0.0125, fine_radius=0.15, h_far=0.25, depth=1.0):
    """Quarter spherical cap (sphere radius R, pole at the origin, x, y >= 0, 0 <= z <= depth), tet10.
    Groups: 'ball'; 'sym_x', 'sym_y', 'top' (planes); 'surface' (the sphere)."""
    with gmsh_model() as occ:
        vol, _ = occ.intersect([(3, occ.addSphere(0, 0, R, R))], [(3, occ.addBox(0, 0, 0, R, R, depth))])
        pole = occ.addPoint(0, 0, 0)
        occ.synchronize()
        planar = faces_at(0, 0.0) + faces_at(1, 0.0) + faces_at(2, depth)
        gmsh.model.addPhysicalGroup(3, [vol[0][1]], name="ball")
        gmsh.model.addPhysicalGroup(2, faces_at(0, 0.0), name="sym_x")
        gmsh.model.addPhysicalGroup(2, faces_at(1, 0.0), name="sym_y")
        gmsh.model.addPhysicalGroup(2, faces_at(2, depth), name="top")
        gmsh.model.addPhysicalGroup(2, [t for _, t in gmsh.model.getEntities(2) if t not in planar], name="surface")
        write_graded(path, [pole], h_contact, h_far, fine_radius, depth)


def solve_hertz(path, **mesh_options):
    """Contact radius (from the contact area), peak pressure, total force and the nodal (r, p) of the cap."""
    cap_mesh(path, **mesh_options)
    mesh = read_mesh(path)
    surface = mesh.facet_sets["surface"]
    centre = mesh.nodes_mm[surface[:, :3]].mean(axis=1)
    mesh.facet_sets["contact"] = surface[np.hypot(centre[:, 0], centre[:, 1]) < 1.5 * A_HERTZ]  # candidates
    problem = ContactProblem(mesh, {"ball": {"E_MPa": E, "nu": NU}},
                             [BoundarySpec("sym_x", {0: 0.0}), BoundarySpec("sym_y", {1: 0.0})],
                             [InterfaceSpec("contact", "contact", plane_point_mm=(0, 0, 0), plane_normal=(0, 0, 1))])
    result = problem.solve_sequence(problem.load_vector(LoadSpec("top", force_N=(0.0, 0.0, -F / 4))))
    row = result.rows()[0]
    x = mesh.nodes_mm[problem.interfaces[0].nodes_b]
    return {"a": math.sqrt(4 * row["contact_area_mm2"] / math.pi), "p0": row["peak_contact_pressure_MPa"],
            "force": 4 * row["normal_force_N"], "r": np.hypot(x[:, 0], x[:, 1]),
            "p": result.interfaces["contact"].pressure_MPa[0], "cells": mesh.n_cells}


def hertz_checks(out: dict) -> list[Check]:
    """Contact radius and peak pressure within 5 %, total contact force to round-off."""
    return [Check("hertz_sphere", "contact radius a (mm)", A_HERTZ, out["a"], 0.05),
            Check("hertz_sphere", "peak pressure p0 (MPa)", P0_HERTZ, out["p0"], 0.05),
            Check("hertz_sphere", "total contact force (N)", F, out["force"], 1e-9)]


@case("hertz_sphere")
def hertz_sphere(work_dir) -> list[Check]:
    """tet10, h = a / 8 at the contact."""
    return hertz_checks(solve_hertz(work_dir / "cap.msh"))
