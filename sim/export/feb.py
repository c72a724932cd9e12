"""FEBio input (.feb, format 4.0): the same content as the .inp export. Nodes, tet4/tet10 element blocks
per region bound to materials by <MeshDomains>, node sets, materials ('isotropic elastic', 'neo-Hookean';
transversely isotropic as 'orthotropic elastic' with a vector material axis), prescribed displacements per
set and component, consistent nodal forces as a vec3 node map, one static step (load curve 0 -> 1 in 10 steps).

FEBio's 'isotropic elastic' and 'orthotropic elastic' are St Venant-Kirchhoff materials: the finite-strain
model of spacer-sim for linear laws ([analysis] kinematics = "finite"); its small-strain model they equal as
displacement gradients go to zero, so compare small-kinematics cases at small strain. FEBio's
tet10 numbers its nodes as VTK does (edges 1-2, 2-3, 3-1, 1-4, 2-4, 3-4), the order spacer-sim uses.
"""

import numpy as np
from xml.sax.saxutils import quoteattr

from .model import ExportModel, engineering_constants
from .names import safe_names

LOADED_SET = "loaded_nodes"
FORCE_MAP = "nodal_forces_N"


def feb_text(model: ExportModel) -> str:
    """The complete .feb document."""
    model.check("feb")
    mesh = model.mesh
    regions = safe_names(mesh.region_names.values(), "feb")
    node_sets = model.node_sets()
    sets = safe_names([*node_sets, LOADED_SET], "feb")
    f = model.forces_N.reshape(-1, 3)
    loaded = np.flatnonzero(np.any(f != 0.0, axis=1))

    out = ['<?xml version="1.0" encoding="ISO-8859-1"?>', f"<!-- {_comment(model.title)}; units: mm, N, MPa -->",
           '<febio_spec version="4.0">', '  <Module type="solid"/>', "  <Control>",
           "    <analysis>STATIC</analysis>", "    <time_steps>10</time_steps>", "    <step_size>0.1</step_size>",
           '    <solver type="solid">', "      <symmetric_stiffness>symmetric</symmetric_stiffness>", "    </solver>",
           "  </Control>", "  <Material>"]
    for k, (name, params) in enumerate(model.materials_for("feb").items()):
        out += _material(k + 1, regions[name], params)
    out += ["  </Material>", "  <Mesh>", '    <Nodes name="all_nodes">']
    out += [f'      <node id="{i + 1}">{x:.17g},{y:.17g},{z:.17g}</node>' for i, (x, y, z) in enumerate(mesh.nodes_mm)]
    out.append("    </Nodes>")
    element = "tet4" if mesh.order == 1 else "tet10"
    for rid, name in sorted(mesh.region_names.items()):
        cells = np.flatnonzero(mesh.region == rid)
        if len(cells):
            out.append(f'    <Elements type="{element}" name="{regions[name]}">')
            out += [f'      <elem id="{c + 1}">{",".join(map(str, mesh.cells[c] + 1))}</elem>' for c in cells]
            out.append("    </Elements>")
    for name, nodes in node_sets.items():
        out.append(_node_set(sets[name], nodes))
    if len(loaded):
        out.append(_node_set(sets[LOADED_SET], loaded))
    out += ["  </Mesh>", "  <MeshDomains>"]
    out += [f'    <SolidDomain name="{regions[name]}" mat="{regions[name]}"/>'
            for rid, name in sorted(mesh.region_names.items()) if (mesh.region == rid).any()]
    out.append("  </MeshDomains>")
    maps = []
    out.append("  <Boundary>")
    for name, comp, nodes, values in model.constraint_groups():
        bc = sets[name]
        if np.all(values == 0.0):
            dof = "xyz"[comp]
            out.append(f'    <bc name="{bc}" node_set="{bc}" type="zero displacement">'
                       f"<{dof}_dof>1</{dof}_dof></bc>")
        else:
            order = np.argsort(nodes)  # map entries follow the node set's (sorted) order
            maps += [f'    <NodeData name="{bc}_mm" node_set="{bc}" data_type="scalar">']
            maps += [f'      <node lid="{k + 1}">{v:.17g}</node>' for k, v in enumerate(values[order])]
            maps.append("    </NodeData>")
            out.append(f'    <bc name="{bc}" node_set="{bc}" type="prescribed displacement"><dof>{"xyz"[comp]}</dof>'
                       f'<value lc="1" type="map">{bc}_mm</value><relative>0</relative></bc>')
    out.append("  </Boundary>")
    if len(loaded):
        maps += [f'    <NodeData name="{FORCE_MAP}" node_set="{sets[LOADED_SET]}" data_type="vec3">']
        maps += [f'      <node lid="{k + 1}">{",".join(f"{v:.17g}" for v in f[n])}</node>'
                 for k, n in enumerate(loaded)]
        maps.append("    </NodeData>")
    if maps:
        out.insert(out.index("  <Boundary>"), "\n".join(["  <MeshData>", *maps, "  </MeshData>"]))
    if len(loaded):
        out += ["  <Loads>", f'    <nodal_load name="forces" node_set="{sets[LOADED_SET]}" type="nodal_force">',
                f'      <value lc="1" type="map">{FORCE_MAP}</value>', "    </nodal_load>", "  </Loads>"]
    out += ["  <LoadData>", '    <load_controller id="1" name="ramp" type="loadcurve">',
            "      <interpolate>LINEAR</interpolate>", "      <points><pt>0,0</pt><pt>1,1</pt></points>",
            "    </load_controller>", "  </LoadData>", "  <Output>", '    <plotfile type="febio">',
            '      <var type="displacement"/>', '      <var type="stress"/>', "    </plotfile>", "    <logfile>",
            '      <node_data data="ux;uy;uz" delim="," file="displacements_mm.txt"/>', "    </logfile>",
            "  </Output>", "</febio_spec>"]
    return "\n".join(out) + "\n"


def _comment(text: str) -> str:
    return text.replace("--", "- -")


def _node_set(name: str, nodes: np.ndarray) -> str:
    return f'    <NodeSet name={quoteattr(name)}>{",".join(map(str, nodes + 1))}</NodeSet>'


def _material(mat_id: int, name: str, params: dict) -> list[str]:
    model = params.get("model", "isotropic")
    if model in ("isotropic", "neo_hookean"):  # FEBio's neo-Hookean: mu/2 (I1 - 3) - mu ln J + lambda/2 (ln J)^2
        kind = "isotropic elastic" if model == "isotropic" else "neo-Hookean"
        return [f'    <material id="{mat_id}" name="{name}" type="{kind}">',
                f"      <density>1</density><E>{params['E_MPa']:.17g}</E><v>{params['nu']:.17g}</v>",
                "    </material>"]
    c, a, d = engineering_constants(params)
    # FEBio's compliance has -v12/E1, -v23/E2, -v31/E3 off the diagonal: v31 = nu13 E3 / E1
    values = {"E1": c["E1"], "E2": c["E2"], "E3": c["E3"], "v12": c["nu12"], "v23": c["nu23"],
              "v31": c["nu13"] * c["E3"] / c["E1"], "G12": c["G12"], "G23": c["G23"], "G31": c["G13"]}
    return ([f'    <material id="{mat_id}" name="{name}" type="orthotropic elastic">', "      <density>1</density>",
             '      <mat_axis type="vector">', f"        <a>{','.join(f'{v:.17g}' for v in a)}</a>",
             f"        <d>{','.join(f'{v:.17g}' for v in d)}</d>", "      </mat_axis>"]
            + [f"      <{k}>{v:.17g}</{k}>" for k, v in values.items()] + ["    </material>"])
