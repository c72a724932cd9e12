"""Per-interface, per-frame contact results: nodal fields and the summary row an experiment writes to CSV.

Nodal quantities (frames k, interface nodes j): pressure_MPa (normal traction, compression positive:
the normal multiplier divided by the node's weight), shear_MPa (magnitude of the tangential traction),
gap_mm (normal opening of side b from side a or the plane; nodal, in the original basis), slip_mm
(magnitude of the tangential relative displacement since the start), status (OPEN, CLOSED = in contact /
sticking / bonded, SLIP). The summary's robust peak pressure is the 99th percentile by contact area: the
nodal maximum is singular where a part bears on an edge. Where the top 1 % itself sits on a sharp edge of
either body or on the rim of the interface (p99_at), the percentile is singular too: it grows as the mesh is
refined.
"""

from dataclasses import dataclass

import numpy as np

from ..fem.post import weighted_percentile
from .interface import Interface

OPEN, CLOSED, SLIP = 0, 1, 2


@dataclass(frozen=True)
class InterfaceFrames:
    """Nodal results of one interface over k frames; arrays (k, j) except nodes (j,) (side b's mesh nodes)
    and weight_mm2 (j,)."""

    name: str
    kind: str
    nodes: np.ndarray
    weight_mm2: np.ndarray
    pressure_MPa: np.ndarray
    shear_MPa: np.ndarray
    gap_mm: np.ndarray
    slip_mm: np.ndarray
    status: np.ndarray

    def summary(self, frame: int) -> dict:
        """CSV-ready scalars of one frame (column names carry units)."""
        closed = self.status[frame] != OPEN
        sliding = self.status[frame] == SLIP
        w = self.weight_mm2
        pressure = self.pressure_MPa[frame]
        p99 = weighted_percentile(pressure[closed], w[closed], 99.0) if closed.any() else 0.0
        return {
            "interface": self.name,
            "kind": self.kind,
            "contact_area_mm2": float(w[closed].sum()),
            "contact_fraction": float(w[closed].sum() / w.sum()),
            "peak_contact_pressure_MPa": float(max(pressure.max(initial=0.0), 0.0)),
            "contact_pressure_p99_MPa": float(max(p99, 0.0)),
            "normal_force_N": float((pressure * w).sum()),
            "peak_shear_traction_MPa": float(self.shear_MPa[frame].max(initial=0.0)),
            "gap_max_mm": float(max(self.gap_mm[frame].max(initial=0.0), 0.0)),
            "slip_max_mm": float(self.slip_mm[frame].max(initial=0.0)),
            "sliding_area_mm2": float(w[sliding].sum()),
        }


@dataclass(frozen=True)
class ContactResult:
    """Displacements u_mm (3 n, k), results per interface name, Newton iterations per frame (k,)."""

    u_mm: np.ndarray
    interfaces: dict[str, InterfaceFrames]
    iterations: np.ndarray

    @property
    def n_frames(self) -> int:
        return self.u_mm.shape[1]

    def pressure_field(self, frame: int, n_nodes: int) -> np.ndarray:
        return pressure_field(self.interfaces, frame, n_nodes)

    def rows(self) -> list[dict]:
        """One dict per frame and interface: frame, contact_iterations and InterfaceFrames.summary."""
        return [{"frame": k, **frames.summary(k), "contact_iterations": int(self.iterations[k])}
                for k in range(self.n_frames) for frames in self.interfaces.values()]


def p99_at(pressure_MPa: np.ndarray, p99_MPa: float, where_j: np.ndarray) -> bool:
    """Whether the top 1 % of an interface's contact area (its nodes (j,) whose pressure is at or above the
    area-weighted 99th percentile p99_MPa > 0) has a node where where_j (j,) is true: on a sharp edge
    (sim.geometry.features.interface_edge_nodes) or on the interface's rim (interface_rim_nodes). False
    without contact (p99 0 or NaN)."""
    if not p99_MPa > 0:
        return False
    top = np.asarray(pressure_MPa) >= p99_MPa * (1.0 - 1e-12)
    return bool(np.asarray(where_j)[top].any())


def pressure_field(interfaces: dict, frame: int, n_nodes: int) -> np.ndarray:
    """Interface pressure (n,) in MPa at every mesh node at one frame, on side b (or the slave side) of
    each interface (compression positive; a bonded interface's tension negative), zero elsewhere."""
    out = np.zeros(n_nodes)
    for frames in interfaces.values():
        out[frames.nodes] += frames.pressure_MPa[frame]
    return out


def interface_frames(iface: Interface, U: np.ndarray, Lam: np.ndarray, states, rows, index: int) -> InterfaceFrames:
    """Nodal results of interface number `index` from displacements U (3 n, k) and multipliers Lam (m, k)."""
    mine = np.flatnonzero(rows.interface == index)
    node, direction = rows.node[mine], rows.direction[mine]
    k, j = U.shape[1], iface.n_nodes
    force = np.zeros((k, j, 3))
    force[:, node, direction] = Lam[mine].T
    pressure = force[..., 0] / iface.weight_mm2
    shear = np.linalg.norm(force[..., 1:], axis=-1) / iface.weight_mm2

    r = iface.relative_mm(U.T)  # (k, j, 3)
    local = np.einsum("jab,kjb->kja", iface.frame_jki, r)
    gap = local[..., 0] + iface.gap0_mm
    slip = np.linalg.norm(local[..., 1:], axis=-1)

    status = np.full((k, j), CLOSED, dtype=np.int8)
    if iface.spec.kind != "bonded":
        normal_rows = mine[direction == 0]
        closed = np.array([s.closed[normal_rows] for s in states]).reshape(k, j)
        status[~closed] = OPEN
    if len(rows.friction) and np.isin(mine, rows.friction).any():
        first = np.searchsorted(rows.friction[:, 0], mine[direction == 0])
        sliding = np.array([s.slipping[first] for s in states]).reshape(k, j)
        status[sliding & (status == CLOSED)] = SLIP
    return InterfaceFrames(iface.name, iface.spec.kind, iface.nodes_b, iface.weight_mm2,
                           pressure, shear, gap, slip, status)
