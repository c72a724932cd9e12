"""What an exported model holds, as plain data (mesh, materials per region, prescribed displacements per set,
consistent nodal forces), built from a model file or from one case and gait frame of an experiment."""

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..laws import make_law
from ..model import Problem
from ..model.spec import read_model, read_toml

EXPRESSIBLE_MATERIALS = ("isotropic", "transversely_isotropic")
CONTACT_FORMATS = ("inp",)  # formats that write contact interfaces (FEBio's are not mapped yet)


@dataclass
class ExportModel:
    """An elastic static model: a file-safe name, a title naming its source, the problem (mesh, regions,
    constraints), material parameters per region (as in model files), nodal forces f (3 n,) in N (dead loads)
    and the kinematics: "small" (linear elasticity) or "finite" (linear laws as St Venant-Kirchhoff)."""

    name: str
    title: str
    problem: Problem
    materials: dict[str, dict]
    forces_N: np.ndarray
    kinematics: str = "small"

    @property
    def mesh(self):
        return self.problem.mesh

    def constraint_groups(self) -> list[tuple[str, int, np.ndarray, np.ndarray]]:
        """(node set name 'bc_<set>_<x|y|z>', component 0-2, nodes, prescribed values in mm) for every
        constrained set and component."""
        bc = self.problem.bc
        out = []
        for name, dofs in self.problem.set_dofs.items():
            values = bc.values_mm[np.searchsorted(bc.dofs, dofs)]
            for comp in range(3):
                mine = dofs % 3 == comp
                if mine.any():
                    out.append((f"bc_{name}_{'xyz'[comp]}", comp, dofs[mine] // 3, values[mine]))
        return out

    def node_sets(self) -> dict[str, np.ndarray]:
        """Every node set to write, sorted node indices: the mesh's named node and facet sets, then one per
        constrained set and component."""
        mesh = self.mesh
        sets = {name: np.unique(mesh.nodes_of(name)) for name in dict.fromkeys([*mesh.node_sets, *mesh.facet_sets])}
        for name, _, nodes, _ in self.constraint_groups():
            if name in sets:
                raise InputError(f"the mesh has a set named '{name}', the name the export gives a constrained set")
            sets[name] = np.sort(nodes)
        return sets

    @property
    def interfaces(self) -> list:
        """The interface specs of a split mesh (contact, friction, or bonded as tied node pairs); [] when the
        model has none (every interface then shares its nodes)."""
        return [spec for spec in getattr(self.problem, "specs", []) if f"{spec.name}_a" in self.mesh.facet_sets]

    def check(self, fmt: str) -> None:
        """Raise InputError naming the first feature the format cannot express."""
        specs = getattr(self.problem, "specs", [])
        for spec in specs:
            if spec.on_plane:
                raise InputError(f"interface '{spec.name}': contact with a rigid plane cannot be expressed in the "
                                 f".{fmt} export")
        if self.interfaces and fmt not in CONTACT_FORMATS:
            listed = ", ".join(f"{s.name} ({s.kind})" for s in self.interfaces)
            raise InputError(f"contact interfaces cannot be expressed in the .{fmt} export: {listed}; "
                             f"export --format {' or '.join(CONTACT_FORMATS)}")
        self.materials_for(fmt)

    def materials_for(self, fmt: str) -> dict[str, dict]:
        """Per region the law the format writes: linear laws as they are; under small kinematics a
        hyperelastic law as the isotropic elasticity it linearises to (what spacer-sim then solves); under
        finite kinematics a neo-Hookean law in FEBio (whose 'neo-Hookean' has the same energy). Any other law
        is an InputError naming the region: CalculiX's NEO HOOKE and OGDEN, for example, use another
        volumetric energy."""
        out = {}
        for region, params in self.materials.items():
            model = params.get("model", "isotropic")
            if model in EXPRESSIBLE_MATERIALS:
                out[region] = params
            elif self.kinematics == "small":
                D = make_law(params, f"region '{region}'").D
                mu, lam = D[3, 3], D[0, 1]
                out[region] = {"model": "isotropic", "E_MPa": mu * (3 * lam + 2 * mu) / (lam + mu),
                               "nu": lam / (2 * (lam + mu))}
            elif model == "neo_hookean" and fmt == "feb":
                out[region] = params
            else:
                raise InputError(f"region '{region}': the {model} law under finite kinematics cannot be expressed "
                                 f"in the .{fmt} export (it writes linear laws"
                                 f"{' and neo_hookean' if fmt == 'feb' else ''})")
        return out


def is_model_file(path) -> bool:
    """A model file names a mesh file and boundary conditions; anything else is read as an experiment."""
    doc = read_toml(path)
    return "boundary" in doc or "file" in doc.get("mesh", {})


def from_model_file(path) -> ExportModel:
    """The model a model file describes, with the sum of its loads."""
    from ..model.run import assembled

    spec = read_model(path)
    problem, f = assembled(spec)
    materials = {name: law.params for name, law in spec.materials.items()}
    return ExportModel(Path(path).stem, f"spacer-sim model {Path(path).name}", problem, materials, f,
                       spec.kinematics)


def from_experiment(path, case_name: str | None, frame: int | None, fmt: str = "inp") -> ExportModel:
    """One case of an experiment (default its first) at one gait frame (default the peak-force frame). Bonded
    interfaces share their nodes; contact and frictional ones are split (formats in CONTACT_FORMATS only)."""
    from ..experiment.case import region_materials, response_for
    from ..experiment.config import gait_load, read_experiment
    from ..experiment.interfaces import InterfaceOptions
    from ..geometry import build_mesh

    exp = read_experiment(path)
    names = [c.name for c in exp.cases]
    if case_name is not None and case_name not in names:
        raise InputError(f"{path}: no case '{case_name}'; cases are: {', '.join(names)}")
    case = exp.cases[names.index(case_name) if case_name is not None else 0]
    cfg = case.resolve()
    if not hasattr(cfg, "interfaces"):
        raise InputError(f"{path}: a [forefoot] experiment cannot be exported (its ground contact has no "
                         f"export yet)")
    unbonded = {k: v for k, v in cfg.interfaces.kinds.items() if v != "bonded"}
    if unbonded and fmt not in CONTACT_FORMATS:
        listed = ", ".join(f"{k} ({v})" for k, v in unbonded.items())
        raise InputError(f"{path}: case {case.name}: contact interfaces cannot be expressed in the .{fmt} export: "
                         f"{listed}; export --format {' or '.join(CONTACT_FORMATS)}")
    gait = gait_load(cfg.loads, cfg.geometry.ray)
    n_frames = len(gait.stance_percent)
    if frame is None:
        frame = int(np.argmax(np.linalg.norm(gait.force_N, axis=1)))
    elif not 0 <= frame < n_frames:
        raise InputError(f"{path}: case {case.name}: --frame {frame} is not in 0..{n_frames - 1}")
    with tempfile.TemporaryDirectory(prefix="spacer-export-") as tmp:
        built = build_mesh(cfg.geometry, tmp, cfg.mesh.size_mm, cfg.mesh.order)
    params, _ = region_materials(cfg, built.mesh.region_names.values())
    problem, loads, _ = response_for(cfg if unbonded else replace(cfg, interfaces=InterfaceOptions()),
                                     built.mesh, params)
    f = loads.vectors(gait.force_N[frame], gait.moment_Nmm[frame])[:, 0]
    title = (f"spacer-sim experiment {exp.name}, case {case.name}, gait frame {frame} "
             f"({gait.stance_percent[frame]:g} % stance)")
    return ExportModel(case.name, title, problem, params, f, cfg.kinematics)


def engineering_constants(params: dict) -> tuple[dict, np.ndarray, np.ndarray]:
    """A transversely isotropic material as orthotropic engineering constants in its local frame (direction 1
    = the symmetry axis; nu_ij = -eps_j / eps_i under stress along i; MPa), with the unit axis and a unit
    vector perpendicular to it (any one will do: the material is isotropic about the axis)."""
    Ea, Et, nu_a, nu_t, Ga = (float(params[k]) for k in ("E_axial_MPa", "E_transverse_MPa", "nu_axial",
                                                          "nu_transverse", "G_axial_MPa"))
    constants = {"E1": Ea, "E2": Et, "E3": Et, "nu12": nu_a, "nu13": nu_a, "nu23": nu_t,
                 "G12": Ga, "G13": Ga, "G23": Et / (2 * (1 + nu_t))}
    axis = np.asarray(params.get("axis", (1.0, 0.0, 0.0)), float)
    axis = axis / np.linalg.norm(axis)
    normal = np.cross(axis, np.eye(3)[np.argmin(np.abs(axis))])
    return constants, axis, normal / np.linalg.norm(normal)
