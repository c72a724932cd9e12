"""Interfaces of the void contents in experiments: which are bonded, in contact or frictional, how the
mesh is split for them, what is reported per frame, and the pseudo-joint moment-rotation probe.

    [interfaces]
    cement_bone = "contact"      # every cement-bone interface (stump, distal, proximal) at once ...
    cement_stump = "bonded"      # ... or one by one: "bonded", "contact" (frictionless, no tension)
                                 #     or "frictional" (Coulomb)
    mu = 0.4                     # friction coefficient of frictional interfaces

    [pseudo_joint]               # optional: moment-rotation across the void
    moment_Nmm = 200.0           # small strain: the moment stepped to; finite: where the joint locks
    steps = 5                    # small strain: moment steps; finite: rotation steps to rotation_deg
    preload_N = 0.0              # optional: the axial compression (N); default the peak axial gait force
    rotation_deg = 30.0          # optional, finite strain: each direction's end rotation (deg)

Interface names follow the mesher's groups `<content>_<other>` (sim/geometry/__init__.py). Under small
strain listed interfaces are split (matching duplicated nodes, the content side gets the copies) and
reported, bonded ones included (tied node pairs), so all kinds can be compared; under finite strain only
contact and frictional ones are split, as sliding-contact items (sim/contact/sliding.py). Unlisted ones
stay shared and bonded.
"""

from dataclasses import dataclass, field

import numpy as np

from ..contact import InterfaceSpec, KINDS
from ..contact.results import p99_at
from ..contact.rotation import relative_rotation_deg, rotation_weights
from ..errors import InputError, nearest
from ..geometry.features import interface_edge_nodes, interface_rim_nodes
from ..mesh import Mesh
from ..mesh.split import split_interface
from ..schema import check_keys, value

CONTENTS = ("cement", "soft_tissue")
OTHERS = ("stump", "soft_tissue", "distal", "proximal")
NAMES = tuple(f"{c}_{o}" for c in CONTENTS for o in OTHERS if c != o)
CEMENT_BONE = ("cement_stump", "cement_distal", "cement_proximal")
DEFAULT_MU = 0.4  # assumption: mid value of the 0.3-0.5 bone-cement friction used in arthroplasty FE studies
DEFAULT_PROBE_MOMENT_NMM = 200.0  # a probe, not a physiological value: keeps rotations small
DEFAULT_PROBE_ROTATION_DEG = 30.0  # each direction's end under finite strain (issue 11: +/-30 degrees)
FALL = 0.02  # a rotation-controlled curve whose moment ends this fraction below its peak passed a limit point
MECHANISM = 1e-3  # ... unless its peak stays below this fraction of moment_Nmm: a mechanism (round-off moments)
COLUMNS = ("contact_area_mm2", "normal_force_N", "contact_pressure_p99_MPa", "peak_contact_pressure_MPa",
           "peak_interface_tension_MPa", "gap_max_mm", "slip_max_mm", "p99_on_sharp_edge", "p99_on_rim")


@dataclass(frozen=True)
class InterfaceOptions:
    """kinds: interface name -> kind; implied: names set through cement_bone (absent ones are skipped)."""

    kinds: dict = field(default_factory=dict)
    mu: float = DEFAULT_MU
    implied: tuple = ()


@dataclass(frozen=True)
class PseudoJointOptions:
    """preload_N: the axial compression (N) under which the moment is stepped; None: the peak axial gait
    force of the case. rotation_deg: under finite strain each direction's end (the rotation-controlled probe
    stops there, or where the moment reaches moment_Nmm)."""

    moment_Nmm: float = DEFAULT_PROBE_MOMENT_NMM
    steps: int = 5
    preload_N: float | None = None
    rotation_deg: float = DEFAULT_PROBE_ROTATION_DEG


def parse_interfaces(table: dict, where: str) -> InterfaceOptions:
    for key in table:
        if key not in NAMES + ("cement_bone", "mu"):
            raise InputError(f"{where}: unknown interface '{key}'{nearest(key, NAMES)}; interfaces are: "
                             f"{', '.join(NAMES)}, cement_bone (all cement-bone ones); and mu")
    mu = value(table, "mu", float, where, DEFAULT_MU)
    if not 0 <= mu <= 10:
        raise InputError(f"{where}.mu must lie in [0, 10], got {mu:g}")
    kinds = {}
    for name in (k for k in table if k != "mu"):
        kind = value(table, name, str, where)
        if kind not in KINDS:
            raise InputError(f"{where}.{name} = '{kind}' is not one of: {', '.join(KINDS)}{nearest(kind, KINDS)}")
        kinds[name] = kind
    implied = tuple(n for n in CEMENT_BONE if "cement_bone" in kinds and n not in kinds)
    for name in implied:
        kinds[name] = kinds["cement_bone"]
    kinds.pop("cement_bone", None)
    return InterfaceOptions(kinds, mu, implied)


def check_interfaces_exist(options: InterfaceOptions, geometry, where: str) -> None:
    """An interface named in [interfaces] must exist for this geometry: it needs a void (a resection),
    soft tissue in the void for soft_tissue_*, and a spacer for cement_* (fill 0 in a sweep is allowed:
    the cement interfaces are then absent and reported as such)."""
    for name in options.kinds:
        if geometry.resection is None:
            raise InputError(f"{where}.{name}: this case has no resection, so no void and no interface "
                             f"(for an intact reference, add \"interfaces\" to [reference] remove)")
        if name.startswith("soft_tissue_") and geometry.spacer.void_fill != "soft_tissue":
            raise InputError(f"{where}.{name}: geometry.spacer.void_fill = "
                             f"'{geometry.spacer.void_fill}' leaves no soft tissue in the void")


def parse_pseudo_joint(table: dict, where: str) -> PseudoJointOptions:
    check_keys(table, ("moment_Nmm", "steps", "preload_N", "rotation_deg"), where)
    options = PseudoJointOptions(value(table, "moment_Nmm", float, where, DEFAULT_PROBE_MOMENT_NMM),
                                 value(table, "steps", int, where, 5), value(table, "preload_N", float, where, None),
                                 value(table, "rotation_deg", float, where, DEFAULT_PROBE_ROTATION_DEG))
    if options.moment_Nmm <= 0 or options.steps < 1:
        raise InputError(f"{where}: moment_Nmm must be > 0 and steps >= 1")
    if not 0 < options.rotation_deg <= 90:
        raise InputError(f"{where}.rotation_deg must lie in (0, 90] degrees, got {options.rotation_deg:g}")
    if options.preload_N is not None and not 0 <= options.preload_N <= 10_000:
        raise InputError(f"{where}.preload_N must lie in [0, 10000] N, got {options.preload_N:g}")
    return options


def split_for(mesh: Mesh, options: InterfaceOptions, split_bonded: bool = True) -> tuple[Mesh, list[InterfaceSpec]]:
    """Split the listed interfaces (their content side gets its own nodes) and give their specs; bonded ones
    are tied on the split mesh (split_bonded, the node-pair solver), or keep shared nodes and are left out
    (sliding contact). An interface the mesh lacks is skipped when its content is absent (no cement at
    fill 0, no scar at full fill) or when cement_bone implied it (a plug has no cement_distal); otherwise
    it is an InputError."""
    specs = []
    present = set(mesh.region_names.values())
    for name, kind in options.kinds.items():
        content = next(c for c in CONTENTS if name.startswith(c + "_"))
        if name not in mesh.facet_sets:
            if content in present and name not in options.implied:
                raise InputError(f"interfaces.{name}: this geometry has no such interface; it has: "
                                 f"{', '.join(n for n in mesh.facet_sets if n in NAMES) or 'none'}")
            continue
        if kind == "bonded" and not split_bonded:
            continue
        mesh, _ = split_interface(mesh, name, [content])
        specs.append(InterfaceSpec(name, kind, options.mu if kind == "frictional" else 0.0))
    return mesh, specs


def interface_edges(mesh: Mesh, result) -> dict:
    """Interface name -> {"sharp_edge": ..., "rim": ...}: whether each node of its results lies on a sharp
    edge of a body on either side, and on the rim of the interface (sim.geometry.features)."""
    return {name: {"sharp_edge": interface_edge_nodes(mesh, name, frames.nodes),
                   "rim": interface_rim_nodes(mesh, name, frames.nodes)}
            for name, frames in result.interfaces.items()}


def interface_columns(result, frame: int, on_edge: dict) -> dict:
    """Per-interface columns of one frame, prefixed with the interface name; on_edge: interface_edges, for
    p99_on_sharp_edge and p99_on_rim (the top 1 % of the contact pressure has a node on a sharp edge, on
    the interface's rim)."""
    row = {}
    for name, frames in result.interfaces.items():
        row.update({f"{name}_{k}": v for k, v in _interface_row(frames, frame, on_edge[name]).items()})
    return row


def _interface_row(frames, frame: int, on_edge: dict) -> dict:
    """The COLUMNS of one interface at one frame (interface_columns)."""
    s = frames.summary(frame)
    s["peak_interface_tension_MPa"] = float(max(0.0, -frames.pressure_MPa[frame].min(initial=0.0)))
    for where, mask in on_edge.items():
        s[f"p99_on_{where}"] = p99_at(frames.pressure_MPa[frame], s["contact_pressure_p99_MPa"], mask)
    return {k: s[k] for k in COLUMNS}


class _ProbeContact:
    """The contact of the pseudo-joint probe: per interface, the COLUMNS at the probe state (of either
    direction) with the largest p99 contact pressure, and that state's rotation (deg; + plantarflexion; NaN
    when no state has contact), as summary columns pseudo_joint_<interface>_<column> and pseudo_joint_<interface>_p99_rotation_deg."""

    def __init__(self, mesh: Mesh):
        self.mesh, self.on_edge, self.best = mesh, None, {}

    def add(self, result, theta_deg) -> None:
        """result: per-interface frames of the probe's states (None without interfaces to report);
        theta_deg (k,): the signed rotation of each state."""
        if result is None:
            return
        self.on_edge = self.on_edge or interface_edges(self.mesh, result)
        for name, frames in result.interfaces.items():
            for k, theta in enumerate(theta_deg):
                row = _interface_row(frames, k, self.on_edge[name])
                if row["contact_pressure_p99_MPa"] >= self.best.get(name, {}).get("contact_pressure_p99_MPa", -1.0):
                    touching = row["contact_pressure_p99_MPa"] > 0  # else no state of the probe has contact
                    self.best[name] = {**row, "p99_rotation_deg": float(theta) if touching else float("nan")}

    def columns(self) -> dict:
        return {f"pseudo_joint_{name}_{k}": v for name, row in self.best.items() for k, v in row.items()}


def _side_nodes(mesh: Mesh, other: str) -> np.ndarray:
    """Nodes of the bone side of every interface with `other` (e.g. all stump faces)."""
    sets = [f for name, f in mesh.facet_sets.items()
            if name.removesuffix("_a").endswith(f"_{other}") and not name.endswith("_b")]
    return np.unique(np.concatenate(sets)) if sets else np.zeros(0, np.int64)


def pseudo_joint(mesh: Mesh, respond, preload_N: float, options: PseudoJointOptions,
                 finite: bool = False, physiological_Nmm: float | None = None) -> dict:
    """Moment-rotation across the void under an axial preload (N): the rotation (deg) of the distal face
    relative to the stump face for plantarflexion (+My) and dorsiflexion (-My), and from these curves
    (curve_metrics) the rotational stiffnesses (N mm / deg: secant, initial, end, at 10 degrees) and the range
    of motion under `physiological_Nmm`. Empty when there is no void.
    Under finite strain (finite, and respond.trace: sim/experiment/response.py) the probe is
    rotation-controlled: the small-rotation fit of the distal face's turn relative to the stump about the
    medio-lateral axis (a linear measure of the nodal displacements) is stepped (`steps` steps to
    `rotation_deg`) with the moment's factor an unknown (sim.solve.control), until the fitted finite rotation
    reaches rotation_deg or the moment reaches moment_Nmm (the joint locks); past a limit point the moment
    falls (pseudo_joint_limit_moment_<direction>_Nmm: the peak it fell from, NaN when it did not fall), a
    mechanism follows at a near-zero moment; pseudo_joint_end_<direction>: "rotation", "rotation, a
    mechanism" (the moment never reached MECHANISM x moment_Nmm), "moment" or why the path stopped short. Otherwise the moment is stepped to moment_Nmm (respond(force_N (k, 3), moment_Nmm
    (k, 3)) answers load frames); a finite direction without trace that ends at a limit point stops there,
    and its moment is recorded the same way. When the preload itself is not carried:
    pseudo_joint_limit_preload_N (the axial force reached)."""
    proximal, distal = _side_nodes(mesh, "stump"), _side_nodes(mesh, "distal")
    if len(proximal) < 3 or len(distal) < 3:
        return {}
    probe = _rotation_controlled if finite and hasattr(respond, "trace") else _moment_stepped
    contact = _ProbeContact(mesh)
    curve, limits = probe(mesh, respond, preload_N, options, finite, distal, proximal, contact)
    out = {"pseudo_joint_preload_N": float(preload_N), **curve_metrics(curve, physiological_Nmm), **limits,
           **contact.columns()}
    out["moment_rotation"] = {k: [np.asarray(m).tolist(), np.asarray(t).tolist()] for k, (m, t) in curve.items()}
    return out


DIRECTIONS = (("plantarflexion", 1.0), ("dorsiflexion", -1.0))


def _moment_stepped(mesh, respond, preload_N, options, finite, distal, proximal, contact):
    """Moments stepped in equal steps to moment_Nmm, each direction from the preloaded state."""
    steps = np.linspace(0.0, 1.0, options.steps + 1)
    curve, limits = {}, {"pseudo_joint_limit_preload_N": float("nan")}
    for label, sign in DIRECTIONS:
        moments = np.outer(sign * steps * options.moment_Nmm, [0.0, 1.0, 0.0])
        forces = np.tile([-preload_N, 0.0, 0.0], (len(steps), 1))
        frames = respond(forces, moments)
        U = frames.u_mm
        theta = np.array([relative_rotation_deg(mesh.nodes_mm, U[:, k], distal, proximal, finite)[1]
                          if np.isfinite(U[:, k]).all() else np.nan for k in range(U.shape[1])])
        curve[label] = (sign * steps * options.moment_Nmm, theta - theta[0])
        contact.add(getattr(frames, "contact", None), theta - theta[0])
        limit = getattr(frames, "limit", None)
        reached = np.nan if limit is None or limit.frame == 0 else abs(float(limit.reached(moments)[1]))
        limits[f"pseudo_joint_limit_moment_{label}_Nmm"] = reached
        if limit is not None and limit.frame == 0:
            limits["pseudo_joint_limit_preload_N"] = abs(float(limit.reached(forces)[0]))
    return curve, limits


def _rotation_controlled(mesh, respond, preload_N, options, finite, distal, proximal, contact):
    """Each direction from the preloaded state, its rotation stepped (see pseudo_joint)."""
    W = rotation_weights(mesh.nodes_mm, distal, mesh.n_nodes) - rotation_weights(mesh.nodes_mm, proximal, mesh.n_nodes)
    step = np.radians(options.rotation_deg) / options.steps
    curve, limits = {}, {"pseudo_joint_limit_preload_N": float("nan")}

    def fitted(u):  # the fitted finite rotation about y (deg) of the distal face relative to the stump
        return relative_rotation_deg(mesh.nodes_mm, u, distal, proximal, finite=True)[1]

    for label, sign in DIRECTIONS:
        theta0 = []

        def end(u, lam):
            theta0.append(fitted(u)) if not theta0 else None  # the path's start: the preloaded state
            return max(abs(fitted(u) - theta0[0]) / options.rotation_deg, lam)

        path, limit = respond.trace([-preload_N, 0.0, 0.0], [0.0, sign * options.moment_Nmm, 0.0], sign * W[1],
                                    step, end)  # sign * W[1] . u grows with the turn in this direction
        if limit is not None:  # the preload is not carried: no curve in either direction
            limits["pseudo_joint_limit_preload_N"] = abs(float(limit.reached(np.array([[-preload_N]]))[0]))
            for lab, _ in DIRECTIONS:
                curve[lab] = (np.zeros(1), np.zeros(1))
                limits[f"pseudo_joint_limit_moment_{lab}_Nmm"] = float("nan")
                limits[f"pseudo_joint_end_{lab}"] = limit.reason
            return curve, limits
        moment = sign * options.moment_Nmm * np.array(path.lam)
        theta = np.array([fitted(u) for u in path.u_mm])
        curve[label] = (moment, theta - theta[0])
        states = getattr(respond, "contact_states", None)  # None: a stand-in without contact
        contact.add(states(np.column_stack(path.u_mm)) if states else None, theta - theta[0])
        peak = float(np.abs(moment).max())
        mechanism = peak < MECHANISM * options.moment_Nmm
        fell = len(moment) > 2 and abs(moment[-1]) < (1 - FALL) * peak and not mechanism
        limits[f"pseudo_joint_limit_moment_{label}_Nmm"] = peak if fell else float("nan")
        limits[f"pseudo_joint_end_{label}"] = path.ended or ("moment" if path.lam[-1] >= 1 - 0.02 else
                                                             "rotation, a mechanism" if mechanism else "rotation")
    return curve, limits


def curve_metrics(curve: dict, physiological_Nmm: float | None = None) -> dict:
    """From moment-rotation curves {direction: (moment N mm (s,), rotation deg (s,))} starting at 0, in any
    steps (equal moment steps of a moment-stepped probe, or the steps of a rotation-controlled one, whose
    moment may fall past a limit point; a curve that ends early at a limit point has NaN rotations from there
    on): per direction the rotation at the end and the secant stiffness over it (N mm/deg); over both
    directions the tangents over the first and over each direction's last step (`_initial`, `_end`: summed
    moment over summed rotation of the two steps; equal to the secant for a linear model), the slope at 10
    degrees (of the step that crosses 10 degrees, mean of the directions that reach it; NaN if neither
    does), the secant k_rot to the smaller of the two largest moments reached (2 M / the rotation span at
    which the moment first reaches +M and -M) and, given a physiological moment (N mm), the range of motion:
    the rotation span between where the moment first reaches +M and -M (deg, linear between steps; NaN
    when a curve never reaches M). Every stiffness is NaN when a direction has no step."""
    out, at_10, reached = {}, [], {}
    for label, (m, t) in curve.items():
        ok = np.isfinite(t)
        ok &= np.cumprod(ok).astype(bool)  # up to the first frame not reached
        m, t = np.abs(np.asarray(m, float)[ok]), np.abs(np.asarray(t, float)[ok])
        reached[label] = (m, t)
        out[f"pseudo_joint_rotation_{label}_deg"] = float(t[-1]) if len(t) > 1 else float("nan")
        out[f"pseudo_joint_k_rot_{label}_Nmm_per_deg"] = (float(m[-1] / max(t[-1], 1e-300)) if len(t) > 1
                                                          else float("nan"))
        crossing = np.flatnonzero((t[:-1] < 10.0) & (t[1:] >= 10.0))
        if len(crossing):
            j = crossing[0]
            at_10.append((m[j + 1] - m[j]) / max(t[j + 1] - t[j], 1e-300))
    nan = float("nan")
    if min(len(t) for _, t in reached.values()) < 2:
        out.update(pseudo_joint_k_rot_Nmm_per_deg=nan, pseudo_joint_k_rot_initial_Nmm_per_deg=nan,
                   pseudo_joint_k_rot_end_Nmm_per_deg=nan, pseudo_joint_k_rot_10deg_Nmm_per_deg=nan)
        top = 0.0
    else:
        top = min(float(m.max()) for m, _ in reached.values())
        span = sum(_rotation_at(top, m, t) for m, t in reached.values())
        first = [(m[1] - m[0], t[1] - t[0]) for m, t in reached.values()]
        last = [(m[-1] - m[-2], t[-1] - t[-2]) for m, t in reached.values()]
        out["pseudo_joint_k_rot_Nmm_per_deg"] = 2 * top / max(span, 1e-300) if top > 0 else nan
        out["pseudo_joint_k_rot_initial_Nmm_per_deg"] = float(sum(a for a, _ in first) / max(sum(b for _, b in first), 1e-300))
        out["pseudo_joint_k_rot_end_Nmm_per_deg"] = float(sum(a for a, _ in last) / max(sum(b for _, b in last), 1e-300))
        out["pseudo_joint_k_rot_10deg_Nmm_per_deg"] = float(np.mean(at_10)) if at_10 else nan
    if physiological_Nmm is not None:
        out["pseudo_joint_physiological_moment_Nmm"] = float(physiological_Nmm)
        out["pseudo_joint_rom_deg"] = (float(sum(_rotation_at(physiological_Nmm, m, t) for m, t in reached.values()))
                                       if 0 < physiological_Nmm <= top else nan)
    return out


def _rotation_at(moment: float, m: np.ndarray, t: np.ndarray) -> float:
    """The rotation (deg) where the curve's moment m (s,) first reaches `moment` (linear between steps),
    NaN if it never does."""
    j = np.flatnonzero(m >= moment)
    if not len(j):
        return float("nan")
    j = int(j[0])
    if j == 0:
        return float(t[0])
    return float(t[j - 1] + (moment - m[j - 1]) * (t[j] - t[j - 1]) / max(m[j] - m[j - 1], 1e-300))


def physiological_moment_Nmm(force_N: np.ndarray, moment_Nmm: np.ndarray, point_mm, pivot_mm) -> float:
    """The largest medio-lateral (y) moment (N mm) the gait frames (force_N, moment_Nmm (k, 3) at point_mm)
    exert about pivot_mm (the stump face): what the pseudo-joint carries in walking."""
    arm = np.asarray(point_mm, float) - np.asarray(pivot_mm, float)
    return float(np.abs((np.cross(arm, force_N) + moment_Nmm)[:, 1]).max())


def stump_centroid_mm(mesh: Mesh) -> np.ndarray | None:
    """Mean position (3,) of the bone-side stump interface nodes (mm), None without a void."""
    nodes = _side_nodes(mesh, "stump")
    return mesh.nodes_mm[nodes].mean(axis=0) if len(nodes) else None
