"""What a forefoot case reports: plantar pressure per metatarsal-head region, force through each ray and the
soft tissue into the midfoot, and for a spaced ray the load through cement vs scar (N, mm^2, kPa).

Forces through a group of cells (a ray's bones, the envelope, ...) across a set of nodes are the group's
own internal forces there (K_group u under small strain, the group's nodal forces from its first
Piola-Kirchhoff stress under finite kinematics), summed over the nodes: the force the rest of the model exerts on the
group across that set. Over the nodes the midfoot shares with the forefoot the groups add up to the load
on the midfoot exactly (it is in equilibrium); the ground reaction is the independent check.

With an insole, the pressure at the foot-insole interface (what an in-shoe sensor reads) is reported too:
the insole's own nodal forces at the interface (the force the foot exerts on it), turned into a nodal
pressure by the L2 projection onto the interface's shape functions (M p = f, M_ab = int N_a N_b dA: exact
for any pressure field the facets can represent), per current area under finite kinematics.

Head regions: sole nodes within HEAD_RADIUS_MM (in plan) of a head centre, each node to its nearest head
(a pedobarograph-style mask, placed where the head is in the intact foot, also after resection).
"""

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ..fem.post import weighted_percentile
from ..fem.surface import facet_basis
from ..mesh.split import facet_cells, region_interface
from .mesh import ForefootMesh
from .solve import MIDFOOT, ForefootSolution, area_stretch

HEAD_RADIUS_MM = 15.0  # plan radius of a head mask, about a head's width plus its pad [est]
KPA_PER_MPA = 1000.0


def head_regions(fm: ForefootMesh, xy_mm: np.ndarray) -> dict[int, np.ndarray]:
    """Ray -> boolean mask (j,) of the sole points xy_mm (j, 2) under that ray's head."""
    heads = np.array([f.head_centre_mm[:2] for f in fm.rays])
    d = np.linalg.norm(xy_mm[:, None, :] - heads[None], axis=2)
    nearest = np.argmin(d, axis=1)
    return {f.ray: (nearest == k) & (d[:, k] <= HEAD_RADIUS_MM) for k, f in enumerate(fm.rays)}


def pressure_columns(fm: ForefootMesh, sol: ForefootSolution) -> dict:
    """Per head region: peak and 99th-percentile (by area) pressure in kPa, contact area (mm^2), force (N);
    and the whole sole's."""
    xy = fm.mesh.nodes_mm[sol.ground_nodes, :2]
    p = sol.pressure_MPa * KPA_PER_MPA
    w = sol.weight_mm2
    out = {"sole_force_N": float((sol.pressure_MPa * w).sum()),
           "sole_contact_area_mm2": float(w[sol.closed].sum()),
           "sole_peak_pressure_kPa": float(max(p.max(), 0.0)),
           "sole_pressure_p99_kPa": _p99(p, w, sol.closed)}
    for ray, mask in head_regions(fm, xy).items():
        on = mask & sol.closed
        out.update({f"mth{ray}_peak_pressure_kPa": float(max(p[mask].max(initial=0.0), 0.0)),
                    f"mth{ray}_pressure_p99_kPa": _p99(p[mask], w[mask], sol.closed[mask]),
                    f"mth{ray}_contact_area_mm2": float(w[on].sum()),
                    f"mth{ray}_force_N": float((sol.pressure_MPa[mask] * w[mask]).sum())})
    return out


def projected_pressure_MPa(mesh, facets: np.ndarray, body: np.ndarray, force_N: np.ndarray, u_mm=None):
    """Nodal pressure (j,) MPa on the facets' nodes (j,) from the nodal forces force_N (3 n,) N that press on
    the cells `body` (bool (c,)) across the facets (along the inward normal), by the L2 projection M p = f on the
    reference facets, per current area when u_mm is given; and each node's tributary area (j,) mm^2 (facet
    area / nodes)."""
    fb = facet_basis(mesh, facets)
    pair = facet_cells(mesh, facets)
    inside = np.where(body[np.maximum(pair[:, 0], 0)] & (pair[:, 0] >= 0), pair[:, 0], pair[:, 1])
    centre = mesh.nodes_mm[mesh.cells[inside, :4]].mean(axis=1)
    n_fi = fb.n_fqi.mean(axis=1)
    outward = np.sign(np.einsum("fi,fi->f", n_fi, mesh.nodes_mm[facets[:, :3]].mean(axis=1) - centre))
    nodes, local = np.unique(facets, return_inverse=True)
    local = local.reshape(facets.shape)
    M_fab = np.einsum("qa,qb,fq->fab", fb.N_qa, fb.N_qa, fb.dA_fq)
    k = facets.shape[1]
    M = sp.csr_matrix((M_fab.ravel(), (np.repeat(local, k, axis=1).ravel(), np.tile(local, (1, k)).ravel())),
                      shape=(len(nodes), len(nodes)))
    normal_j = np.zeros((len(nodes), 3))
    np.add.at(normal_j, local, (outward[:, None] * np.einsum("fqi,fq->fi", fb.n_fqi, fb.dA_fq))[:, None, :])
    normal_j /= np.linalg.norm(normal_j, axis=1, keepdims=True)
    f_j = -np.einsum("ji,ji->j", force_N.reshape(-1, 3)[nodes], normal_j)
    p = spla.spsolve(M.tocsc(), f_j)
    weight = np.bincount(local.ravel(), np.repeat(fb.dA_fq.sum(axis=1) / k, k), len(nodes))
    if u_mm is not None:
        stretch = area_stretch(mesh, facets, u_mm)[nodes]
        p, weight = p / stretch, weight * stretch
    return nodes, p, weight


def interface_columns(fm: ForefootMesh, sol: ForefootSolution, finite: bool) -> dict:
    """With an insole: per head region and over the sole, peak and 99th-percentile pressure (kPa) at the
    foot-insole interface (the pressure the foot feels, not the ground's); {} barefoot."""
    mesh = fm.mesh
    if "insole" not in mesh.region_ids:
        return {}
    facets = region_interface(mesh, ["insole"], ["plantar_soft_tissue"])
    insole = mesh.region == mesh.region_ids["insole"]
    nodes, p, w = projected_pressure_MPa(mesh, facets, insole, sol.internal_force_N(insole), sol.u_mm if finite else None)
    p = p * KPA_PER_MPA
    on = p > 0
    out = {"sole_interface_peak_pressure_kPa": float(max(p.max(), 0.0)),
           "sole_interface_pressure_p99_kPa": _p99(p, w, on)}
    for ray, mask in head_regions(fm, mesh.nodes_mm[nodes, :2]).items():
        out.update({f"mth{ray}_interface_peak_pressure_kPa": float(max(p[mask].max(initial=0.0), 0.0)),
                    f"mth{ray}_interface_pressure_p99_kPa": _p99(p[mask], w[mask], on[mask])})
    return out


def _p99(p: np.ndarray, w: np.ndarray, closed: np.ndarray) -> float:
    return float(max(weighted_percentile(p[closed], w[closed], 99.0), 0.0)) if closed.any() else 0.0


def group_force_N(sol: ForefootSolution, cells: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """Force (3,) N that the rest of the model exerts on the cells `cells` (bool (c,)) across `nodes`."""
    return sol.internal_force_N(cells).reshape(-1, 3)[nodes].sum(axis=0)


def midfoot_nodes(fm: ForefootMesh) -> np.ndarray:
    """Nodes the midfoot shares with the rest of the foot."""
    mesh = fm.mesh
    mid = mesh.region == mesh.region_ids[MIDFOOT]
    return np.intersect1d(np.unique(mesh.cells[mid]), np.unique(mesh.cells[~mid]))


def force_columns(fm: ForefootMesh, sol: ForefootSolution) -> dict:
    """Per ray: the vertical force (N, downward positive) and the axial force (N, compression positive)
    it carries into the midfoot; the same for the envelope and the insole; their sum."""
    mesh = fm.mesh
    nodes = midfoot_nodes(fm)
    mid = mesh.region == mesh.region_ids[MIDFOOT]
    out, total = {}, np.zeros(3)
    for f in fm.rays:
        F = group_force_N(sol, fm.cell_ray == f.ray, nodes)
        total += F
        out[f"ray{f.ray}_vertical_force_N"] = float(-F[2])
        out[f"ray{f.ray}_axial_force_N"] = float(F @ np.array(f.axis))
    for region in ("plantar_soft_tissue", "insole"):
        if region in mesh.region_ids:
            F = group_force_N(sol, (fm.cell_ray == 0) & ~mid & (mesh.region == mesh.region_ids[region]), nodes)
            total += F
            out[f"{region}_vertical_force_N"] = float(-F[2])
    out["sum_vertical_force_N"] = float(-total[2])
    return out


def spacer_columns(fm: ForefootMesh, sol: ForefootSolution) -> dict:
    """For each resected ray: axial force (N, compression positive) that cement and scar pass to the stump
    across its cut face, and the cement's share of their sum."""
    mesh = fm.mesh
    out = {}
    # cement_stump_b: the cement's side of a cut face split for sliding contact (spacer_contact.py)
    cut = [mesh.facet_sets[k] for k in ("cement_stump", "cement_stump_b", "soft_tissue_stump") if k in mesh.facet_sets]
    face_nodes = np.unique(np.concatenate(cut)) if cut else np.zeros(0, np.int64)
    for r in sorted(fm.cement_mm3):
        frame = fm.frame(r)
        if frame.cut_point_mm is None or not len(face_nodes):
            continue
        x = mesh.nodes_mm[face_nodes]
        on_cut = np.abs((x - frame.cut_point_mm) @ np.array(frame.cut_normal)) < 1e-3
        nodes = face_nodes[on_cut & (np.linalg.norm(x - frame.cut_point_mm, axis=1) < 30.0)]
        forces = {}
        for region in ("cement", "soft_tissue"):
            cells = (fm.cell_ray == r) & (mesh.region == mesh.region_ids.get(region, -1))
            forces[region] = float(group_force_N(sol, cells, nodes) @ np.array(frame.cut_normal)) \
                if cells.any() else 0.0
        both = forces["cement"] + forces["soft_tissue"]
        out.update({f"ray{r}_cement_axial_force_N": forces["cement"], f"ray{r}_scar_axial_force_N": forces["soft_tissue"],
                    f"ray{r}_load_share_cement": forces["cement"] / both if both else float("nan")})
    return out
