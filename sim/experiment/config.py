"""Experiment files (TOML): a base case, an optional reference case and a sweep, resolved into cases.

Top-level tables (every one optional except what a case needs; see experiments/*.toml):
  [experiment]   name, description
  [geometry]     the ray, resection and spacer (sim/geometry/config.py)
  [mesh]         size_mm, order
  [materials]    region name = material card name (materials/*.toml); defaults in DEFAULT_MATERIALS
  [bone_quality] modulus_factor, strength_factor: scale the bone cards (diabetic / osteoporotic bone)
  [material_scaling] region = {modulus_factor, strength_factor}: scale any region's card (e.g. scar
                 modulus, cement strength), on top of [bone_quality]
  [loads]        preset or csv, body_mass_kg, n_frames, scale (a calibration factor on the curve)
  [outputs]      percentile (robust peak, % by volume), fields (true: VTU at the peak frame, false: none,
                 "all_frames": also every gait frame as a ParaView .pvd series), steps_per_day (fatigue)
  [solver]       method, backend (as in model files)
  [analysis]     kinematics = "small" | "finite", increments (as in model files)
  [interfaces]   interface name = "bonded" | "contact" | "frictional", mu (sim/experiment/interfaces.py)
  [pseudo_joint] moment_Nmm, steps: the moment-rotation probe across the void
  [reference]    name, remove = [dotted keys]: one extra case (e.g. the intact ray) for comparison
  [sweep]        dotted key = list or range; mode = "grid" | "zip" (sim/experiment/sweep.py)
  [uncertainty]  method, samples, seed, inputs = distributions over dotted keys (sim/experiment/uncertainty.py)
  [forefoot]     makes every case a five-ray forefoot on the ground (sim/forefoot/config.py)
"""

import functools
import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import __version__
from ..errors import InputError
from ..geometry.config import GeometryConfig, MeshOptions, parse_geometry, parse_mesh
from ..loads import load_curve
from ..materials import load_card
from ..model.spec import BACKENDS, SOLVER_METHODS, parse_analysis
from ..textio import read_toml
from ..names import check_name, plain_name
from ..schema import check_keys, in_range, value
from .interfaces import (InterfaceOptions, PseudoJointOptions, check_interfaces_exist, parse_interfaces,
                         parse_pseudo_joint)
from .sweep import delete_path, expand, set_path
from .uncertainty import Study, parse_study, sample_cases

TABLES = ("experiment", "geometry", "mesh", "materials", "bone_quality", "material_scaling", "loads", "outputs",
          "solver", "analysis", "interfaces", "pseudo_joint", "reference", "sweep", "uncertainty", "forefoot")
SCALING_KEYS = ("modulus_factor", "strength_factor")
DEFAULT_MATERIALS = {  # region -> card; cards carry their sources
    "cortical": "cortical_bone_ti", "cancellous": "cancellous_bone",
    "phalanx_cortical": "cortical_bone_ti", "phalanx_cancellous": "cancellous_bone",
    "joint_cartilage": "cartilage", "cement": "pmma_vancomycin", "soft_tissue": "scar_tissue",
}
BONE_REGIONS = ("cortical", "cancellous", "phalanx_cortical", "phalanx_cancellous")
DEFAULT_BODY_MASS_KG = 80.0  # assumption: an adult; diabetic cohorts are often heavier (sweep it)
DEFAULT_STEPS_PER_DAY = 5000.0  # assumption: a moderately active adult (sweep it)
FIELD_MODES = {True: "peak", False: "none", "all_frames": "all_frames"}  # [outputs].fields value -> mode
MAX_BODY_MASS_KG = 650.0  # above the heaviest person on record
MAX_STEPS_PER_DAY = 100000.0  # several times the most active people's daily steps
MAX_LOAD_SCALE = 100.0
MAX_FRAMES = 10000  # frames of one gait cycle; far beyond any load curve's resolution


@dataclass(frozen=True)
class LoadOptions:
    """Gait load: a named preset or a CSV curve, body mass (kg), frames to resample to (None: as given)."""

    curve: str
    body_mass_kg: float = DEFAULT_BODY_MASS_KG
    n_frames: int | None = None
    scale: float = 1.0


@dataclass(frozen=True)
class OutputOptions:
    percentile: float = 99.0
    fields: str = "peak"  # one of FIELD_MODES
    steps_per_day: float = DEFAULT_STEPS_PER_DAY


@dataclass(frozen=True)
class CaseConfig:
    """Everything one case needs, checked: a pure function of this gives the case's results."""

    name: str
    geometry: GeometryConfig
    mesh: MeshOptions
    materials: dict
    bone_modulus_factor: float
    bone_strength_factor: float
    loads: LoadOptions
    outputs: OutputOptions
    solver: str
    backend: str
    interfaces: InterfaceOptions = InterfaceOptions()
    pseudo_joint: PseudoJointOptions | None = None
    kinematics: str = "small"
    increments: int = 1
    material_scaling: dict = field(default_factory=dict)  # region -> (modulus_factor, strength_factor)


def source_digest(root: Path) -> str:
    """sha256 of the Python sources below root (their paths and contents)."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@functools.cache
def code_digest() -> str:
    """source_digest of this package, read once per process."""
    return source_digest(Path(__file__).resolve().parent.parent)


@dataclass(frozen=True)
class Case:
    """One case as plain data (picklable for any executor): its name, document, swept values, the files it
    reads ((path, sha256), ...) and hash."""

    name: str
    doc: dict
    base_dir: str
    swept: dict
    is_reference: bool = False
    inputs: tuple = ()
    sample_of: str | None = None  # an uncertainty sample of this nominal case
    batch: str | None = None  # cases of one batch run in order in one worker (they share meshes, factors)
    resolved: tuple = field(default=(), compare=False, repr=False)  # (doc, its CaseConfig) once resolved

    @property
    def config_hash(self) -> str:
        """Hash of everything that changes the results: the case's tables except [experiment] (name and
        description), the content of every file it reads, and the code that computes it (the package
        version and its source files: a record made by other code is recomputed, not republished)."""
        physics = {k: v for k, v in self.doc.items() if k != "experiment"}
        contents = [sha for _, sha in self.inputs]
        text = json.dumps({"doc": physics, "inputs": contents, "version": __version__, "code": code_digest()},
                          sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def resolve(self) -> CaseConfig:
        """The checked config: the one read_experiment resolved, while the doc is the one it resolved (a
        copy made with another doc resolves its own)."""
        if self.resolved and self.resolved[0] is self.doc:
            return self.resolved[1]
        return resolve(self.doc, self.name, Path(self.base_dir), f"case {self.name}")


@dataclass(frozen=True)
class Experiment:
    name: str
    description: str
    path: Path
    doc: dict
    cases: list[Case]
    sweep_keys: list[str]
    study: Study | None = None


def resolve(doc: dict, name: str, base_dir: Path, where: str) -> CaseConfig:
    """Check one case document and fill in defaults; `where` prefixes error messages (may be empty)."""
    if "forefoot" in doc:
        from ..forefoot.config import resolve_forefoot

        return resolve_forefoot(doc, name, base_dir, where)
    check_keys(doc, TABLES, where or "experiment")
    where = f"{where}: " if where else ""
    t = lambda key: value(doc, key, dict, where.rstrip(": ") or "experiment", {})
    geometry = parse_geometry(t("geometry"), base_dir, f"{where}geometry")
    mesh = parse_mesh(t("mesh"), f"{where}mesh")
    materials = dict(DEFAULT_MATERIALS)
    for region, card in t("materials").items():
        if region not in DEFAULT_MATERIALS:
            raise InputError(f"{where}materials.{region}: no such region; regions are: "
                             f"{', '.join(DEFAULT_MATERIALS)}")
        materials[region] = value(t("materials"), region, str, f"{where}materials")
    for region, card in materials.items():
        if "/" in card:
            materials[region] = card = str(base_dir / card)
        try:
            load_card(card)
        except InputError as exc:
            raise InputError(f"{where}materials.{region}: {exc}") from None
    quality = t("bone_quality")
    check_keys(quality, ("modulus_factor", "strength_factor"), f"{where}bone_quality")
    factors = [value(quality, k, float, f"{where}bone_quality", 1.0) for k in ("modulus_factor", "strength_factor")]
    if min(factors) <= 0:
        raise InputError(f"{where}bone_quality factors must be > 0, got {factors}")
    scaling = _material_scaling(t("material_scaling"), f"{where}material_scaling")
    loads = _loads(t("loads"), base_dir, geometry.ray, f"{where}loads")
    outputs = t("outputs")
    check_keys(outputs, ("percentile", "fields", "steps_per_day"), f"{where}outputs")
    out = OutputOptions(in_range(outputs, "percentile", f"{where}outputs", 50.0, 100.0, "%", 99.0),
                        field_mode(outputs.get("fields", True), f"{where}outputs.fields"),
                        in_range(outputs, "steps_per_day", f"{where}outputs", 1.0, MAX_STEPS_PER_DAY,
                                 "steps a day", DEFAULT_STEPS_PER_DAY))
    solver = t("solver")
    check_keys(solver, ("method", "backend"), f"{where}solver")
    method = value(solver, "method", str, f"{where}solver", "auto")
    backend = value(solver, "backend", str, f"{where}solver", "auto")
    if method not in SOLVER_METHODS or backend not in BACKENDS:
        raise InputError(f"{where}solver.method must be one of {SOLVER_METHODS}, backend one of {BACKENDS}")
    interfaces = parse_interfaces(t("interfaces"), f"{where}interfaces")
    check_interfaces_exist(interfaces, geometry, f"{where}interfaces")
    if interfaces.kinds and method == "iterative":
        raise InputError(f"{where}interfaces: interfaces need a direct solver (solver.method 'direct' or 'auto')")
    kinematics, increments = parse_analysis(t("analysis"), f"{where}analysis")
    probe = parse_pseudo_joint(t("pseudo_joint"), f"{where}pseudo_joint") if "pseudo_joint" in doc else None
    return CaseConfig(name, geometry, mesh, materials, factors[0], factors[1], loads, out, method, backend,
                      interfaces, probe, kinematics, increments, scaling)


def _material_scaling(table: dict, where: str) -> dict:
    """region -> (modulus_factor, strength_factor), each > 0 (default 1)."""
    check_keys(table, DEFAULT_MATERIALS, where)
    out = {}
    for region in table:
        sub = value(table, region, dict, where)
        check_keys(sub, SCALING_KEYS, f"{where}.{region}")
        out[region] = tuple(value(sub, k, float, f"{where}.{region}", 1.0) for k in SCALING_KEYS)
        if not min(out[region]) > 0:
            raise InputError(f"{where}.{region}: factors must be > 0, got {list(out[region])}")
    return out


def _loads(table: dict, base_dir: Path, ray: int, where: str) -> LoadOptions:
    check_keys(table, ("preset", "csv", "body_mass_kg", "n_frames", "scale"), where)
    if "preset" in table and "csv" in table:
        raise InputError(f"{where}: give preset or csv, not both")
    curve = value(table, "preset", str, where, "walking_stance")
    if "csv" in table:
        curve = str(base_dir / value(table, "csv", str, where))
    n_frames = value(table, "n_frames", int, where, None)
    if n_frames is not None and not 2 <= n_frames <= MAX_FRAMES:
        raise InputError(f"{where}.n_frames must be 2 to {MAX_FRAMES}, got {n_frames}")
    options = LoadOptions(curve, in_range(table, "body_mass_kg", where, 1.0, MAX_BODY_MASS_KG, "kg",
                                          DEFAULT_BODY_MASS_KG),
                          n_frames, in_range(table, "scale", where, 1e-6, MAX_LOAD_SCALE, "", 1.0))
    try:
        gait_load(options, ray)
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None
    return options


def field_mode(setting, where: str) -> str:
    """'peak', 'none' or 'all_frames' from an [outputs].fields value (true, false or "all_frames")."""
    for key, mode in FIELD_MODES.items():
        if setting is key or (isinstance(setting, str) and setting == key):
            return mode
    raise InputError(f'{where} must be true (fields at the peak frame), false (none) or "all_frames" '
                     f"(also every gait frame as a .pvd series), got {setting!r}")


def gait_load(options: LoadOptions, ray: int):
    """The gait load curve (N, N mm per frame) the options describe, for one ray."""
    return load_curve(options.curve, ray=ray, body_mass_kg=options.body_mass_kg, n_frames=options.n_frames,
                      scale=options.scale)


def case_name(index: int, swept: dict) -> str:
    """A readable plain case name such as 'c03_fill_fraction-0.3' (sim/names.py: other characters of the
    swept values become '_')."""
    parts = [f"{k.split('.')[-1]}-{v}" for k, v in swept.items()]
    return plain_name(f"c{index:02d}" + ("_" + "_".join(parts) if parts else ""))


def read_experiment(path) -> Experiment:
    """Read an experiment file and resolve every case (all checks run before anything is computed)."""
    path = Path(path)
    doc = read_toml(path, "experiment file")
    where = str(path)
    check_keys(doc, TABLES, where)
    meta = value(doc, "experiment", dict, where, {})
    check_keys(meta, ("name", "description"), f"{where}: experiment")
    name = check_name(value(meta, "name", str, f"{where}: experiment", plain_name(path.stem)),
                      f"{where}: experiment.name")
    base = {k: v for k, v in doc.items() if k not in ("sweep", "reference", "uncertainty")}
    overrides = expand(value(doc, "sweep", dict, where, {}), f"{where}: sweep")
    cases = []
    for i, swept in enumerate(overrides):
        case_doc = base
        for key, v in swept.items():
            case_doc = set_path(case_doc, key, v)
        label = case_name(i, swept) if swept else name
        cases.append(Case(label, case_doc, str(path.parent), swept))
    reference = value(doc, "reference", dict, where, None)
    if reference is not None:
        check_keys(reference, ("name", "remove"), f"{where}: reference")
        ref_doc = base
        for key in value(reference, "remove", list, f"{where}: reference", []):
            ref_doc = delete_path(ref_doc, key, f"{where}: reference.remove")
        ref_name = check_name(value(reference, "name", str, f"{where}: reference", "reference"),
                              f"{where}: reference.name")
        cases.append(Case(ref_name, ref_doc, str(path.parent), {}, is_reference=True))
    study = None
    if "uncertainty" in doc:
        check = lambda key, v: resolve(set_path(base, key, v), name, path.parent, "")
        study = parse_study(value(doc, "uncertainty", dict, where), f"{where}: uncertainty", check)
        clash = set(study.inputs) & set(overrides[0])
        if clash:
            raise InputError(f"{where}: uncertainty: {', '.join(sorted(clash))} is also swept; give it in one table")
        cases += sample_cases(study, [c for c in cases if not c.is_reference])
    seen = set()
    for case in cases:
        if case.name in seen:
            raise InputError(f"{where}: two cases are named '{case.name}'; case names must be unique "
                             f"(rename the reference)")
        seen.add(case.name)
    from .inputs import input_digests

    memo = {}  # cards and digests of this read: each file is hashed once
    for i, case in enumerate(cases):
        try:
            cfg = resolve(case.doc, case.name, path.parent, f"case {case.name}" if case.swept else "")
            cases[i] = replace(case, inputs=input_digests(cfg, memo), resolved=(case.doc, cfg))
        except InputError as exc:
            raise InputError(f"{path}: {exc}") from None
    return Experiment(name, value(meta, "description", str, f"{where}: experiment", ""), path, doc, cases,
                      list(overrides[0].keys()), study)
