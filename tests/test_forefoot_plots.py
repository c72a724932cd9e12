"""The forefoot's head-pressure plot: on an insole it draws the pressure at the foot-insole interface (what the
foot feels), barefoot the ground's; the intact line falls back to the ground's when no intact case stands on
that insole. Each map is titled by what its case is (resected rays and fill, toes turned up)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from sim.plots.forefoot import FILL, _label, _pressure_panel  # noqa: E402


def _row(fill, ground, interface=""):
    row = {FILL: fill, "reference": False}
    for ray in range(1, 6):
        row[f"mth{ray}_pressure_p99_kPa"] = ground + ray
        row[f"mth{ray}_interface_pressure_p99_kPa"] = interface if interface == "" else interface + ray
    return row


def test_insole_panel_draws_the_interface_pressure_and_bare_panel_the_grounds():
    ref = {**_row(0.0, 400.0), "reference": True}
    for group, expected in (([_row(0.0, 300.0, 200.0), _row(0.5, 310.0, 210.0)], [201.0, 211.0]),
                            ([_row(0.0, 300.0), _row(0.5, 310.0)], [301.0, 311.0])):
        fig, ax = plt.subplots()
        _pressure_panel(ax, group, ref)
        assert list(ax.lines[0].get_ydata()) == expected
        assert ax.lines[1].get_ydata()[0] == 401.0  # the bare intact foot's ground pressure
        plt.close(fig)


def test_map_titles_say_what_each_case_is():
    assert _label({"resected_rays": "none", FILL: 0.0}) == "intact"
    assert _label({"resected_rays": "none", FILL: 0.0, "toe_dorsiflexion_deg": 21.0}) == "intact, toes up 21 deg"
    assert _label({"resected_rays": "2", FILL: 0.5, "toe_dorsiflexion_deg": 0.0}) == "ray 2, 50 % fill"
    assert _label({"case": "toes_flat", "reference": True}) == "toes_flat (reference)"


def test_cases_that_differ_in_more_than_fill_get_their_own_panel_and_label():
    """forefoot_spacer_contact sweeps shape and interface law as well as fill: each combination is a panel
    (fills within it) and a label says which, so no two bars or maps carry the same name."""
    from sim.plots.forefoot import _conditions

    rows = [{"case": "intact", "reference": True, "insole": "none", FILL: 0.0, "resected_rays": "none",
             "geometry.spacer.shape": "", "interfaces.cement_bone": ""}]
    rows += [{"case": f"c{i}", "insole": "none", FILL: fill, "resected_rays": "2", "geometry.spacer.shape": shape,
              "interfaces.cement_bone": law}
             for i, (shape, law, fill) in enumerate((s, law, f) for s in ("bead", "plug") for law in ("bonded", "frictional")
                                                    for f in (0.3, 0.7))]
    groups = _conditions(rows)
    assert list(groups) == ["barefoot, bead, bonded", "barefoot, bead, frictional", "barefoot, plug, bonded",
                            "barefoot, plug, frictional"]
    assert all(len(g) == 2 and {r[FILL] for r in g} == {0.3, 0.7} for g in groups.values())
    labels = [_label(r) for r in rows]
    assert len(set(labels)) == len(labels) and labels[1] == "ray 2, 30 % fill, bead, bonded"
    assert labels[0] == "intact (reference)"
