"""CalculiX / Abaqus input (.inp): nodes, C3D4/C3D10 elements with an element set per region, node sets,
materials (isotropic; transversely isotropic as engineering constants with an orientation), prescribed
displacements, interfaces of a split mesh (bonded: node-pair equations; contact: a surface-to-surface
contact pair with a penalty and Coulomb friction), consistent nodal forces (*CLOAD) and a static step that
prints displacements: linear, or with finite kinematics geometrically nonlinear (NLGEOM: linear laws as
St Venant-Kirchhoff, dead loads).

Units as in spacer-sim: mm, N, MPa. Numbers carry 14 significant digits (CalculiX reads at most 20 characters
a field). Node and element numbers are 1-based (spacer-sim's index + 1). C3D10 numbers its mid-side nodes on
edges 1-2, 2-3, 3-1, 1-4, 2-4, 3-4: the same order as spacer-sim's (VTK) tet10.
"""

import numpy as np

from ..mesh.split import facet_cells
from .model import ExportModel, engineering_constants
from .names import safe_names

# C3D4/C3D10 faces S1 = (1, 2, 3), S2 = (1, 4, 2), S3 = (2, 4, 3), S4 = (3, 4, 1): named by the corner each leaves out
FACE_WITHOUT = {3: "S1", 2: "S2", 0: "S3", 1: "S4"}
PENALTY_FACTOR = 1e4  # contact stiffness E_max / h times this: overclosure ~1e-4 of the elastic deformation


def inp_text(model: ExportModel) -> str:
    """The complete input file."""
    model.check("inp")
    mesh = model.mesh
    out = ["** " + model.title, "** units: mm, N, MPa", "*HEADING", model.title, "*NODE, NSET=NALL"]
    out += [f"{i + 1}, {x:.14g}, {y:.14g}, {z:.14g}" for i, (x, y, z) in enumerate(mesh.nodes_mm)]
    regions = safe_names(mesh.region_names.values(), "inp")
    element = "C3D4" if mesh.order == 1 else "C3D10"
    for rid, name in sorted(mesh.region_names.items()):
        cells = np.flatnonzero(mesh.region == rid)
        if len(cells):
            out.append(f"*ELEMENT, TYPE={element}, ELSET={regions[name]}")
            out += [", ".join(map(str, [c + 1, *(mesh.cells[c] + 1)])) for c in cells]
    node_sets = model.node_sets()
    sets = safe_names(node_sets, "inp")
    for name, nodes in node_sets.items():
        out += _nset(sets[name], nodes)
    for name, params in model.materials_for("inp").items():
        out += _material(regions[name], params)
    for spec in model.interfaces:
        out += _interface(model, spec, sets)
    if model.kinematics == "finite":  # CalculiX's linear elastic material is St Venant-Kirchhoff under NLGEOM
        out += ["*STEP, NLGEOM, INC=1000", "*STATIC", "0.1, 1.0", "*BOUNDARY"]
    else:
        out += ["*STEP", "*STATIC", "*BOUNDARY"]
    for name, comp, nodes, values in model.constraint_groups():
        if np.all(values == values[0]):
            out.append(f"{sets[name]}, {comp + 1}, {comp + 1}, {values[0]:.14g}")
        else:
            out += [f"{n + 1}, {comp + 1}, {comp + 1}, {v:.14g}" for n, v in zip(nodes, values)]
    f = model.forces_N.reshape(-1, 3)
    loaded = np.argwhere(f != 0.0)
    if len(loaded):
        out.append("*CLOAD")
        out += [f"{n + 1}, {c + 1}, {f[n, c]:.14g}" for n, c in loaded]
    out += ["*NODE PRINT, NSET=NALL", "U", "*NODE FILE", "U", "*EL FILE", "S, E", "*END STEP"]
    return "\n".join(out) + "\n"


def _interface(model: ExportModel, spec, sets: dict) -> list[str]:
    """A split interface: bonded as node-pair equations (u_b = u_a, skipping prescribed DOFs of side b); contact
    and frictional as a surface-to-surface contact pair (side b slave, side a master) with a linear penalty
    of PENALTY_FACTOR E_max / h (h: mean edge of the interface facets) and Coulomb friction mu."""
    mesh = model.mesh
    facets_a, facets_b = mesh.facet_sets[f"{spec.name}_a"], mesh.facet_sets[f"{spec.name}_b"]
    if spec.kind == "bonded":
        pairs = np.unique(np.column_stack([facets_b.ravel(), facets_a.ravel()]), axis=0)
        held = set(model.problem.bc.dofs.tolist())
        out = ["*EQUATION"]
        for b, a in pairs:
            for comp in range(3):
                if 3 * b + comp not in held:
                    out += ["2", f"{b + 1}, {comp + 1}, 1.0, {a + 1}, {comp + 1}, -1.0"]
        return out if len(out) > 1 else []
    names = safe_names([f"{spec.name}_a", f"{spec.name}_b", f"{spec.name}_interaction"], "inp")
    corners = mesh.nodes_mm[facets_a[:, :3]]
    h = np.linalg.norm(corners - np.roll(corners, 1, axis=1), axis=2).mean()
    E_max = max(v for params in model.materials_for("inp").values() for k, v in params.items() if k.startswith("E"))
    penalty = PENALTY_FACTOR * E_max / h
    out = _surface(mesh, names[f"{spec.name}_a"], facets_a) + _surface(mesh, names[f"{spec.name}_b"], facets_b)
    out += [f"*SURFACE INTERACTION, NAME={names[f'{spec.name}_interaction']}",
            "*SURFACE BEHAVIOR, PRESSURE-OVERCLOSURE=LINEAR", f"{penalty:.14g}, {1e-3 * penalty * h:.14g}"]
    if spec.mu > 0:
        out += ["*FRICTION", f"{spec.mu:.14g}, {penalty:.14g}"]
    return out + [f"*CONTACT PAIR, INTERACTION={names[f'{spec.name}_interaction']}, TYPE=SURFACE TO SURFACE",
                  f"{names[f'{spec.name}_b']}, {names[f'{spec.name}_a']}"]


def _surface(mesh, name: str, facets: np.ndarray) -> list[str]:
    """An element-face surface: the cell holding each facet and the face's label (S1-S4)."""
    cells = facet_cells(mesh, facets)[:, 0]
    local = (mesh.cells[cells, :4][:, :, None] == facets[:, None, :3]).any(axis=2)  # (f, 4) corners on the face
    missing = np.argmin(local, axis=1)  # the one corner a face leaves out
    return [f"*SURFACE, NAME={name}, TYPE=ELEMENT"] + [f"{c + 1}, {FACE_WITHOUT[m]}" for c, m in zip(cells, missing)]


def _nset(name: str, nodes: np.ndarray) -> list[str]:
    ids = nodes + 1
    return [f"*NSET, NSET={name}"] + [", ".join(map(str, ids[k:k + 16])) for k in range(0, len(ids), 16)]


def _material(name: str, params: dict) -> list[str]:
    section = f"*SOLID SECTION, ELSET={name}, MATERIAL={name}"
    if params.get("model", "isotropic") == "isotropic":
        return [f"*MATERIAL, NAME={name}", "*ELASTIC", f"{params['E_MPa']:.14g}, {params['nu']:.14g}", section]
    c, axis, normal = engineering_constants(params)
    constants = [c[k] for k in ("E1", "E2", "E3", "nu12", "nu13", "nu23", "G12", "G13", "G23")]
    return [f"*MATERIAL, NAME={name}", "*ELASTIC, TYPE=ENGINEERING CONSTANTS",
            ", ".join(f"{v:.14g}" for v in constants[:8]) + ",", f"{constants[8]:.14g}",
            f"*ORIENTATION, NAME=OR_{name}, SYSTEM=RECTANGULAR",
            ", ".join(f"{v:.14g}" for v in (*axis, *normal)), f"{section}, ORIENTATION=OR_{name}"]
