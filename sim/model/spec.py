"""The model file (TOML): what to solve, as data. Every key is checked; errors name the file and key.

    [mesh]
    file = "part.msh"            # relative to the model file; gmsh .msh or any meshio format, mm
    order = 2                    # optional: 2 elevates a tet4 mesh to tet10

    [materials.cortical]         # one table per mesh region
    model = "isotropic"          # default; or "transversely_isotropic" (E_axial_MPa, E_transverse_MPa,
    E_MPa = 17000.0              #  nu_axial, nu_transverse, G_axial_MPa, and axis = [x, y, z], required:
    nu = 0.3                     #  no default axis), "neo_hookean" (E_MPa, nu) or "ogden" (mu_MPa = [..],
                                 #  alpha = [..], 1-3 terms, K_MPa); see sim/laws

    [[boundary]]                 # on any named set (point, curve, surface or volume group)
    set = "base"
    fix = ["x", "y", "z"]        # components held at zero ...
    displacement_mm = { z = -0.1 }  # ... and/or prescribed values

    [[load]]
    set = "tip"
    force_N = [0.0, 100.0, 0.0]  # total force, spread as a uniform traction
    # pressure_MPa = 1.0         # or a pressure (positive pushes into the body)
    # moment_Nmm = [...], point_mm = [...]  # with force_N: a distributing coupling at point_mm

    [analysis]
    kinematics = "small"         # "small" (linear elasticity, default) or "finite" (total Lagrangian,
                                 # hyperelastic; linear laws become Saint Venant-Kirchhoff; dead loads)
    increments = 1               # finite only: initial number of equal load increments (halved on failure)

    [solver]
    method = "auto"              # "direct" (PARDISO / SuperLU), "iterative" (AMG-preconditioned conjugate
                                 # gradients, less memory) or "auto": direct up to 300 000 DOFs
    backend = "auto"             # direct only: "pardiso", "superlu" or "auto"
"""

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..laws import Law, make_law
from ..schema import check_keys, value, vector3
from ..textio import read_toml

COMPONENTS = {"x": 0, "y": 1, "z": 2}
SOLVER_METHODS = ("auto", "direct", "iterative")
KINEMATICS = ("small", "finite")
BACKENDS = ("auto", "pardiso", "superlu")


@dataclass(frozen=True)
class BoundarySpec:
    """Prescribed displacement (mm) per component index on a named set."""

    set: str
    values_mm: dict[int, float]


@dataclass(frozen=True)
class LoadSpec:
    """A surface load on a named set: total force (N), pressure (MPa) or force + moment at a point."""

    set: str
    force_N: tuple | None = None
    pressure_MPa: float | None = None
    moment_Nmm: tuple | None = None
    point_mm: tuple | None = None

    @property
    def kind(self) -> str:
        if self.pressure_MPa is not None:
            return "pressure"
        return "coupling" if self.moment_Nmm is not None or self.point_mm is not None else "force"


@dataclass
class ModelSpec:
    mesh_file: Path
    order: int | None
    materials: dict[str, Law]
    boundaries: list[BoundarySpec]
    loads: list[LoadSpec] = field(default_factory=list)
    solver: str = "auto"
    backend: str = "auto"
    kinematics: str = "small"
    increments: int = 1


def read_model(path) -> ModelSpec:
    """Read and check a model file."""
    path = Path(path)
    return parse_model(read_toml(path, "model file"), str(path), path.parent)


def parse_model(doc: dict, where: str, base_dir: Path) -> ModelSpec:
    """Check a model document (dict from TOML); relative mesh paths resolve against base_dir."""
    check_keys(doc, ("mesh", "materials", "boundary", "load", "solver", "analysis"), where)
    mesh = value(doc, "mesh", dict, where)
    check_keys(mesh, ("file", "order"), f"{where}: [mesh]")
    order = value(mesh, "order", int, f"{where}: [mesh]", None)
    if order not in (None, 1, 2):
        raise InputError(f"{where}: [mesh].order must be 1 or 2, got {order}")
    materials = {name: parse_material(t, f"{where}: [materials.{name}]")
                 for name, t in value(doc, "materials", dict, where).items()}
    boundaries = [parse_boundary(t, f"{where}: [[boundary]] #{i + 1}")
                  for i, t in enumerate(value(doc, "boundary", list, where))]
    loads = [parse_load(t, f"{where}: [[load]] #{i + 1}") for i, t in enumerate(value(doc, "load", list, where, []))]
    solver = value(doc, "solver", dict, where, {})
    check_keys(solver, ("method", "backend"), f"{where}: [solver]")
    method = value(solver, "method", str, f"{where}: [solver]", "auto")
    backend = value(solver, "backend", str, f"{where}: [solver]", "auto")
    if method not in SOLVER_METHODS:
        raise InputError(f"{where}: [solver].method '{method}' is not one of {', '.join(SOLVER_METHODS)}")
    if backend not in BACKENDS:
        raise InputError(f"{where}: [solver].backend '{backend}' is not one of {', '.join(BACKENDS)}")
    kinematics, increments = parse_analysis(value(doc, "analysis", dict, where, {}), f"{where}: [analysis]")
    return ModelSpec(base_dir / value(mesh, "file", str, f"{where}: [mesh]"), order, materials, boundaries,
                     loads, method, backend, kinematics, increments)


def parse_analysis(table: dict, where: str) -> tuple[str, int]:
    """[analysis]: kinematics ("small" or "finite") and increments (an integer >= 1)."""
    check_keys(table, ("kinematics", "increments"), where)
    kinematics = value(table, "kinematics", str, where, "small")
    if kinematics not in KINEMATICS:
        raise InputError(f"{where}.kinematics: '{kinematics}' is not one of {', '.join(KINEMATICS)}")
    increments = value(table, "increments", int, where, 1)
    if increments < 1:
        raise InputError(f"{where}.increments: must be >= 1, got {increments}")
    return kinematics, increments


def parse_material(table: dict, where: str) -> Law:
    """A material table -> its law (the law checks keys and constants; `model` defaults to isotropic)."""
    if not isinstance(table, dict):
        raise InputError(f"{where}: expected a table, got {type(table).__name__}")
    return make_law(table, where)


def parse_boundary(table: dict, where: str) -> BoundarySpec:
    check_keys(table, ("set", "fix", "displacement_mm"), where)
    values = {}
    for comp in value(table, "fix", list, where, []):
        if comp not in COMPONENTS:
            raise InputError(f"{where}.fix: component '{comp}' is not one of x, y, z")
        values[COMPONENTS[comp]] = 0.0
    prescribed = value(table, "displacement_mm", dict, where, {})
    check_keys(prescribed, COMPONENTS, f"{where}.displacement_mm")
    for comp in prescribed:
        values[COMPONENTS[comp]] = value(prescribed, comp, float, f"{where}.displacement_mm")
    if not values:
        raise InputError(f"{where}: give 'fix' and/or 'displacement_mm'")
    return BoundarySpec(value(table, "set", str, where), values)


def parse_load(table: dict, where: str) -> LoadSpec:
    check_keys(table, ("set", "force_N", "pressure_MPa", "moment_Nmm", "point_mm"), where)
    has_force = "force_N" in table or "moment_Nmm" in table
    if has_force == ("pressure_MPa" in table):
        raise InputError(f"{where}: give either force_N (with optional moment_Nmm, point_mm) or pressure_MPa")
    if "pressure_MPa" in table:
        return LoadSpec(value(table, "set", str, where), pressure_MPa=value(table, "pressure_MPa", float, where))
    return LoadSpec(value(table, "set", str, where),
                    force_N=tuple(vector3(table, "force_N", where, [0.0, 0.0, 0.0])),
                    moment_Nmm=_optional3(table, "moment_Nmm", where),
                    point_mm=_optional3(table, "point_mm", where))


def _optional3(table, key, where):
    v = vector3(table, key, where, None)
    return None if v is None else tuple(v)
