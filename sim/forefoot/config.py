"""A forefoot case from an experiment document: the `[forefoot]` table turns a case into a five-ray foot.

[geometry]                        the resected ray(s) and their resection and spacer, as for one ray:
  ray = 2                         1..5, or a list ([2, 3]): every listed ray gets the same resection/spacer;
  [geometry.resection], [geometry.spacer], [geometry.metatarsal], ... (sim/geometry/config.py)
                                  without [geometry.resection] the foot is intact
[mesh]  size_mm = 6, order = 2    one size for the whole foot
[materials]                       region = card; adds plantar_soft_tissue, insole, midfoot to the ray's
[forefoot]
  rays = [1, 2, 3, 4, 5]          rays in the model (neighbours must be adjacent numbers: no gaps)
  insole = "none"                 or a card: "poron" (0.3 MPa), "eva" (1 MPa), "rigid_insole" (1000 MPa)
  insole_thickness_mm = 6.0       0 < t <= MAX_INSOLE_MM
  transverse_arch_mm = 0.0        extra height of the middle heads above the sole (anatomy.py: a range)
  toe_dorsiflexion_deg = 0.0      turn every proximal phalanx up about its MTP joint by this angle before the
                                  load (finite kinematics; 0 = toes on the metatarsal axes; typical 42, the
                                  peak in walking: sim/forefoot/toes.py with its source; at most toes.MAX_DEG)
  ground = "frictional"           or "contact" (frictionless)
  mu = 0.6                        skin-ground friction
  spacer_size_mm = 2.0            optional: element size in and around the cement (sim/forefoot/spacer_mesh.py)
  [forefoot.load]
  stance_percent = 78.0           the forefoot's share of the vertical GRF at this % of stance
                                  (sim/loads/forefoot.py; 78 = the push-off peak), or
  force_N = 500.0                 a vertical force pressing the foot on the ground (N, > 0)
  body_mass_kg = 80.0
[analysis]
  kinematics = "small"            or "finite": total Lagrangian, hyperelastic soft regions (FINITE_MATERIALS),
                                  ground contact by the sliding-contact item, Newton in load increments
  increments = 4                  load increments under finite kinematics after the first 1/16 of the load
                                  (solve.PRELOAD_FRACTION; cut back as needed)
[outputs]  fields = true          write fields/<case>.vtu and fields/<case>_plantar.csv
[interfaces]                      the resected rays' cement-bone interfaces, as for one ray (keys and checks of
  cement_bone = "frictional"      sim/experiment/interfaces.py): contact/frictional ones are sliding-contact
  mu = 0.4                        items (sim/forefoot/spacer_contact.py); finite kinematics only
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..experiment.interfaces import InterfaceOptions, check_interfaces_exist, parse_interfaces
from ..geometry.config import GeometryConfig, MeshOptions, parse_geometry, parse_mesh
from ..loads.forefoot import PEAK_GRF_BW, PEAK_STANCE_PERCENT, stance_shape
from ..materials import load_card
from ..model.spec import parse_analysis
from ..schema import check_keys, value
from .anatomy import PLACEMENT, RAYS
from .toes import MAX_DEG as MAX_TOE_DEG

TABLES = ("experiment", "geometry", "mesh", "materials", "forefoot", "outputs", "solver", "analysis", "reference",
          "sweep", "interfaces")
GRAVITY_M_PER_S2 = 9.81
DEFAULT_BODY_MASS_KG = 80.0  # assumption, as the single-ray experiments: an adult; diabetic cohorts are often heavier
DEFAULT_SIZE_MM = 6.0
MAX_INSOLE_MM = 12.0  # room for an insole in an extra-depth shoe [est]
DEFAULT_INSOLE_MM = 6.0  # [est]
DEFAULT_MU = 0.6  # sole-ground friction used in the FE foot of Cheung et al. 2005 (J Biomech 38:1045) [range]
GROUNDS = ("frictional", "contact")
# region -> card (cards carry their sources); cortical bone isotropic: each ray has its own axis
FOREFOOT_MATERIALS = {
    "cortical": "cortical_bone", "cancellous": "cancellous_bone", "phalanx_cortical": "cortical_bone",
    "phalanx_cancellous": "cancellous_bone", "joint_cartilage": "cartilage", "cement": "pmma_vancomycin",
    "soft_tissue": "scar_tissue", "plantar_soft_tissue": "plantar_soft_tissue", "midfoot": "rigid_midfoot",
}
# under finite kinematics the soft regions are hyperelastic (a linear card would act as Saint Venant-Kirchhoff,
# which collapses in strong compression); bone, cement and the midfoot stay linear (small strains there)
FINITE_MATERIALS = {"joint_cartilage": "cartilage_neo_hookean", "soft_tissue": "scar_tissue_neo_hookean",
                    "plantar_soft_tissue": "plantar_soft_tissue_neo_hookean"}
DEFAULT_FINITE_INCREMENTS = 4
SOFT_LINEAR_MPA = 100.0  # below this a linear card is refused under finite kinematics (tissue, foam insoles)


@dataclass(frozen=True)
class ForefootConfig:
    """Everything one forefoot case needs, checked (lengths mm, angles deg, forces N)."""

    name: str
    rays: dict  # ray -> GeometryConfig (resection/spacer for the resected ones)
    resected: tuple
    mesh: MeshOptions
    materials: dict
    insole: str | None
    insole_mm: float
    arch_mm: float
    ground: str
    mu: float
    force_N: float
    stance_percent: float | None
    body_mass_kg: float
    fields: bool = True
    backend: str = "auto"
    kinematics: str = "small"
    increments: int = DEFAULT_FINITE_INCREMENTS
    interfaces: InterfaceOptions | None = None  # None: every interface of a void's contents bonded
    spacer_mm: float | None = None  # element size in and around the cement (mm); None: the global size
    toe_dorsiflexion_deg: float = 0.0
    extra: dict = field(default_factory=dict)


def resolve_forefoot(doc: dict, name: str, base_dir: Path, where: str) -> ForefootConfig:
    """Check a forefoot case document; `where` prefixes error messages (may be empty)."""
    check_keys(doc, TABLES, where or "experiment")
    w = f"{where}: " if where else ""
    t = lambda key: value(doc, key, dict, where or "experiment", {})  # noqa: E731
    ff = t("forefoot")
    check_keys(ff, ("rays", "insole", "insole_thickness_mm", "transverse_arch_mm", "toe_dorsiflexion_deg", "ground",
                    "mu", "load", "spacer_size_mm"), f"{w}forefoot")
    rays = value(ff, "rays", list, f"{w}forefoot", list(RAYS))
    if not rays or any(not isinstance(r, int) or isinstance(r, bool) or r not in RAYS for r in rays):
        raise InputError(f"{w}forefoot.rays must list rays 1 to 5, got {rays}")
    rays = sorted(rays)
    if len(set(rays)) != len(rays) or rays != list(range(rays[0], rays[-1] + 1)):
        raise InputError(f"{w}forefoot.rays = {rays}: rays would overlap or leave a gap; list each ray once, "
                         f"neighbours only (e.g. [1, 2, 3, 4, 5])")
    geometry = dict(t("geometry"))
    resected = geometry.pop("ray", 2)
    resected = resected if isinstance(resected, list) else [resected]
    if "resection" not in geometry:
        if "spacer" in geometry:
            raise InputError(f"{w}geometry.spacer needs a [geometry.resection]: an intact foot has no void")
        resected = []
    for r in resected:
        if not isinstance(r, int) or isinstance(r, bool) or r not in rays:
            raise InputError(f"{w}geometry.ray = {r!r}: the resected ray must be one of the foot's rays {rays}")
    if len(set(resected)) != len(resected):
        raise InputError(f"{w}geometry.ray lists a ray twice: {resected}")
    ray_cfgs = {r: parse_geometry({**(geometry if r in resected else {}), "ray": r}, base_dir, f"{w}geometry")
                for r in rays}
    if any(cfg.surface is not None for cfg in ray_cfgs.values()):
        raise InputError(f"{w}geometry.surface: a patient bone is not supported in the forefoot model")
    _check_overlap(ray_cfgs, f"{w}geometry")
    mesh = parse_mesh({"size_mm": DEFAULT_SIZE_MM, **t("mesh")}, f"{w}mesh")
    insole = value(ff, "insole", str, f"{w}forefoot", "none")
    insole_mm = value(ff, "insole_thickness_mm", float, f"{w}forefoot", DEFAULT_INSOLE_MM)
    if insole != "none" and not 0 < insole_mm <= MAX_INSOLE_MM:
        raise InputError(f"{w}forefoot.insole_thickness_mm = {insole_mm:g} mm: an insole must be thicker than 0 "
                         f"and at most {MAX_INSOLE_MM:g} mm (the room allowed in the shoe)")
    analysis = t("analysis")
    kinematics, increments = parse_analysis({"increments": DEFAULT_FINITE_INCREMENTS, **analysis}, f"{w}analysis")
    materials = dict(FOREFOOT_MATERIALS, **(FINITE_MATERIALS if kinematics == "finite" else {}),
                     **({"insole": insole} if insole != "none" else {}))
    for region in t("materials"):
        if region not in materials:
            raise InputError(f"{w}materials.{region}: no such region; regions are: {', '.join(materials)}")
        materials[region] = value(t("materials"), region, str, f"{w}materials")
    for region, card in materials.items():
        try:
            load_card(card if "/" not in card else str(base_dir / card))
        except InputError as exc:
            raise InputError(f"{w}materials.{region}: {exc}") from None
    if kinematics == "finite":
        _check_finite_soft_cards(materials, base_dir, w)
    arch = value(ff, "transverse_arch_mm", float, f"{w}forefoot", 0.0)
    if not -1.0 <= arch <= 10.0:
        raise InputError(f"{w}forefoot.transverse_arch_mm = {arch:g}: published heights span -1 to 10 mm")
    toes = value(ff, "toe_dorsiflexion_deg", float, f"{w}forefoot", 0.0)
    if not 0.0 <= toes <= MAX_TOE_DEG:
        raise InputError(f"{w}forefoot.toe_dorsiflexion_deg = {toes:g}: give 0 to {MAX_TOE_DEG:g} deg (toes turned up "
                         f"about the MTP joints; 42 is the peak in walking)")
    if toes > 0 and kinematics != "finite":
        raise InputError(f"{w}forefoot.toe_dorsiflexion_deg = {toes:g}: turning the toes needs "
                         f"[analysis] kinematics = \"finite\" (a rotation of tens of degrees is not small)")
    ground = value(ff, "ground", str, f"{w}forefoot", "frictional")
    if ground not in GROUNDS:
        raise InputError(f"{w}forefoot.ground = '{ground}' is not one of: {', '.join(GROUNDS)}")
    mu = value(ff, "mu", float, f"{w}forefoot", DEFAULT_MU if ground == "frictional" else 0.0)
    if mu < 0 or (ground == "contact" and mu > 0):
        raise InputError(f"{w}forefoot.mu = {mu:g}: must be >= 0, and only with ground = 'frictional'")
    force, stance, mass = _load(value(ff, "load", dict, f"{w}forefoot", {}), f"{w}forefoot.load")
    interfaces = _interfaces(t("interfaces"), ray_cfgs, resected, kinematics, f"{w}interfaces") \
        if "interfaces" in doc else None
    spacer_mm = value(ff, "spacer_size_mm", float, f"{w}forefoot", None)
    if spacer_mm is not None and not 0.5 <= spacer_mm <= mesh.size_mm:
        raise InputError(f"{w}forefoot.spacer_size_mm = {spacer_mm:g}: must lie between 0.5 mm and the mesh's "
                         f"size_mm ({mesh.size_mm:g} mm)")
    outputs = t("outputs")
    check_keys(outputs, ("fields",), f"{w}outputs")
    solver = t("solver")
    check_keys(solver, ("backend",), f"{w}solver")
    return ForefootConfig(name, ray_cfgs, tuple(resected), mesh, materials, None if insole == "none" else insole,
                          insole_mm if insole != "none" else 0.0, arch, ground, mu, force, stance, mass,
                          value(outputs, "fields", bool, f"{w}outputs", True),
                          value(solver, "backend", str, f"{w}solver", "auto"), kinematics, increments, interfaces, spacer_mm,
                          toes)


def _interfaces(table: dict, ray_cfgs: dict, resected: list, kinematics: str, where: str) -> InterfaceOptions:
    """[interfaces] of the resected rays, parsed and checked as for one ray; sliding contact needs finite
    kinematics (the forefoot's small-strain solver has no interfaces)."""
    options = parse_interfaces(table, where)
    check_interfaces_exist(options, ray_cfgs[resected[0] if resected else min(ray_cfgs)], where)
    if kinematics != "finite":
        raise InputError(f"{where}: interfaces in the forefoot need [analysis] kinematics = \"finite\" "
                         f"(sliding contact), got \"{kinematics}\"")
    return options


def _check_finite_soft_cards(materials: dict, base_dir: Path, w: str) -> None:
    """Under finite kinematics a soft region (E below SOFT_LINEAR_MPA) with a linear card would act as Saint
    Venant-Kirchhoff, which softens and collapses in strong compression: refused."""
    for region, card in materials.items():
        law = load_card(card if "/" not in card else str(base_dir / card)).elastic
        if law.get("model") == "isotropic" and law.get("E_MPa", np.inf) < SOFT_LINEAR_MPA:
            raise InputError(f"{w}materials.{region} = '{card}': a linear card for a soft region under finite "
                             f"kinematics (it would act as Saint Venant-Kirchhoff, which collapses in strong "
                             f"compression); give a hyperelastic card (neo_hookean or ogden)")


def _load(table: dict, where: str) -> tuple[float, float | None, float]:
    """(vertical force pressing the foot down in N, stance % or None, body mass kg)."""
    check_keys(table, ("stance_percent", "force_N", "body_mass_kg"), where)
    if "stance_percent" in table and "force_N" in table:
        raise InputError(f"{where}: give stance_percent or force_N, not both")
    mass = value(table, "body_mass_kg", float, where, DEFAULT_BODY_MASS_KG)
    if mass <= 0:
        raise InputError(f"{where}.body_mass_kg must be > 0, got {mass:g}")
    if "force_N" in table:
        force = value(table, "force_N", float, where)
        stance = None
    else:
        stance = value(table, "stance_percent", float, where, PEAK_STANCE_PERCENT)
        if not 0.0 <= stance <= 100.0:
            raise InputError(f"{where}.stance_percent must be in [0, 100], got {stance:g}")
        force = float(stance_shape(stance)) * PEAK_GRF_BW * mass * GRAVITY_M_PER_S2
    if not np.isfinite(force) or force <= 0:
        raise InputError(f"{where}: a vertical force of {force:g} N does not press the foot on the ground "
                         f"(it would lift it off); give a force_N > 0 or a stance_percent while the forefoot "
                         f"is loaded (after foot flat, 12 %)")
    return force, stance, mass


def _check_overlap(ray_cfgs: dict, where: str) -> None:
    """Neighbouring rays whose heads, shafts or phalanges would not fit beside each other (the bases lie in
    the tarsometatarsal region, tied to the rigid midfoot, and are packed there)."""
    rays = sorted(ray_cfgs)
    for a, b in zip(rays, rays[1:]):
        half = [max(c.metatarsal.shaft_width_mm, c.metatarsal.head_width_mm, c.phalanx.base_width_mm,
                    c.phalanx.head_width_mm) / 2 for c in (ray_cfgs[a], ray_cfgs[b])]
        gap = abs(PLACEMENT[a].head_y_mm - PLACEMENT[b].head_y_mm)
        if sum(half) >= gap:
            raise InputError(f"{where}: rays {a} and {b} would overlap: their widest sections need "
                             f"{sum(half):.1f} mm side by side (head, shaft or phalanx), their axes are {gap:.1f} mm apart")
