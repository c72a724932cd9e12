"""Material cards: every shipped card is valid and sourced; bad cards fail with file and key named."""

import math

import numpy as np
import pytest

from sim.errors import InputError
from sim.materials import (elastic_params, fatigue_life_cycles, list_cards, load_card, safety_factors,
                           scaled)
from sim.materials.card import CONFIDENCE_LEVELS, ELASTIC_KEYS
from sim.paths import material_dirs

REQUIRED_CARDS = {"cortical_bone", "cortical_bone_ti", "cancellous_bone", "pmma", "pmma_vancomycin",
                  "scar_tissue", "cartilage"}
ISO_5833_MIN_COMPRESSIVE_MPA = 70.0  # ISO 5833:2002, acrylic bone cement


def test_required_cards_ship():
    assert REQUIRED_CARDS <= set(list_cards())


@pytest.mark.parametrize("name", list_cards())
def test_card_loads_with_a_source_for_every_value(name):
    card = load_card(name)
    assert card.name == name == card.path.stem
    sourced = [k for k in card.elastic if k != "model"] + list(card.strengths)
    fatigue_keys = ("coefficient_MPa", "exponent", "endurance_limit_MPa")
    sourced += [k for k in fatigue_keys if k in (card.fatigue or {})]
    for key in sourced:
        assert card.sources[key]["ref"].strip(), key
        assert card.sources[key]["confidence"] in CONFIDENCE_LEVELS, key


@pytest.mark.parametrize("name", list_cards())
def test_elastic_params_have_the_core_form_and_valid_ranges(name):
    params = elastic_params(load_card(name))
    assert set(params) == {"model", *ELASTIC_KEYS[params["model"]]}
    D = load_card(name).law(axis=(1.0, 0.0, 0.0) if params["model"] == "transversely_isotropic" else None).D
    assert np.linalg.eigvalsh(D).min() > 0


def test_cartilage_is_cheung_2005():
    assert elastic_params(load_card("cartilage")) == {"model": "isotropic", "E_MPa": 1.0, "nu": 0.4}


def test_transversely_isotropic_card_is_stiffer_along_the_axis():
    params = elastic_params(load_card("cortical_bone_ti"))
    assert params["model"] == "transversely_isotropic"
    assert params["E_axial_MPa"] > params["E_transverse_MPa"] > params["G_axial_MPa"]


def test_vancomycin_cement_keeps_iso_5833_compressive_strength():
    plain, loaded = load_card("pmma"), load_card("pmma_vancomycin")
    compressive = loaded.strengths["compressive_MPa"]
    assert ISO_5833_MIN_COMPRESSIVE_MPA < compressive < plain.strengths["compressive_MPa"]
    assert "Lilikakis" in loaded.sources["compressive_MPa"]["note"]
    assert loaded.sources["strength_factor"]["confidence"] == "checked"


def test_fatigue_life_falls_with_stress_amplitude():
    life = fatigue_life_cycles(load_card("pmma"), np.linspace(5.0, 30.0, 26))
    assert life.shape == (26,) and np.all(np.diff(life) < 0)


@pytest.mark.parametrize("name", ["pmma", "pmma_vancomycin"])
def test_fatigue_law_passes_through_its_defining_points(name):
    card = load_card(name)
    cycles, stress = np.array(card.fatigue["defining_points"]).T
    np.testing.assert_allclose(fatigue_life_cycles(card, stress), cycles, rtol=0.01)


def test_zero_amplitude_lasts_forever_and_negative_is_refused():
    card = load_card("pmma")
    assert fatigue_life_cycles(card, 0.0) == math.inf
    with pytest.raises(InputError, match="pmma"):
        fatigue_life_cycles(card, [-1.0])
    with pytest.raises(InputError, match="no \\[fatigue\\]"):
        fatigue_life_cycles(load_card("cortical_bone"), 10.0)


def test_endurance_limit_and_reversals(tmp_path):
    text = CEMENT.replace('life_unit = "cycles"', 'life_unit = "reversals"\nendurance_limit_MPa = 10.0')
    text += '[source.endurance_limit_MPa]\nref = "test"\nconfidence = "range"\n'
    card = load_card(card_file(tmp_path, text))
    life = fatigue_life_cycles(card, [9.9, 20.0])
    assert life[0] == math.inf
    assert life[1] == pytest.approx(0.5 * (20.0 / 30.0) ** (1 / -0.06816))


def test_safety_factors_are_strength_over_stress_with_inf_for_the_other_sign():
    card = load_card("pmma")  # tensile 30, compressive 90 MPa
    sf = safety_factors(card, max_principal_MPa=[10.0, -1.0, 0.0], min_principal_MPa=[-30.0, -45.0, 2.0])
    np.testing.assert_allclose(sf.tensile, [3.0, np.inf, np.inf])
    np.testing.assert_allclose(sf.compressive, [3.0, 2.0, np.inf])
    with pytest.raises(InputError, match="cartilage"):
        safety_factors(load_card("cartilage"), 1.0, -1.0)


def test_diabetic_scaling_scales_moduli_and_strengths_and_says_so():
    base = load_card("cortical_bone_ti")
    weak = scaled(base, modulus_factor=0.8, strength_factor=0.7, reason="diabetic sweep")
    assert weak.elastic["G_axial_MPa"] == pytest.approx(0.8 * base.elastic["G_axial_MPa"])
    assert weak.elastic["nu_axial"] == base.elastic["nu_axial"]
    assert weak.strengths["tensile_MPa"] == pytest.approx(0.7 * base.strengths["tensile_MPa"])
    assert "x 0.8: diabetic sweep" in weak.sources["E_axial_MPa"]["note"]
    with pytest.raises(InputError, match="strength_factor"):
        scaled(base, strength_factor=0.0)


# --- bad cards -------------------------------------------------------------------------------------

CEMENT = """
[card]
name = "x"
description = "test cement"
category = "cement"

[elastic]
model = "isotropic"
E_MPa = 2500.0
nu = 0.3

[strength]
compressive_MPa = 90.0
tensile_MPa = 30.0

[fatigue]
law = "basquin"
coefficient_MPa = 30.0
exponent = -0.06816
life_unit = "cycles"
R_ratio = -1.0
test_condition = "test"
defining_points = [[1.0, 30.0], [1.0e7, 10.0]]

[source.E_MPa]
ref = "test"
confidence = "textbook"
[source.nu]
ref = "test"
confidence = "textbook"
[source.compressive_MPa]
ref = "test"
confidence = "textbook"
[source.tensile_MPa]
ref = "test"
confidence = "textbook"
[source.coefficient_MPa]
ref = "test"
confidence = "range"
[source.exponent]
ref = "test"
confidence = "range"
"""


def card_file(tmp_path, text, name="bad.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_the_template_itself_is_valid(tmp_path):
    assert load_card(card_file(tmp_path, CEMENT)).strengths["tensile_MPa"] == 30.0


@pytest.mark.parametrize("old, new, key, detail", [
    ("E_MPa = 2500.0", "E_Mpa = 2500.0", "E_Mpa", "did you mean 'E_MPa'"),
    ("E_MPa = 2500.0", "E_MPa = 0.0", "E_MPa", "> 0"),
    ("nu = 0.3", "nu = 0.5", "nu", "(-1, 0.5)"),
    ("nu = 0.3", "nu = -1.0", "nu", "(-1, 0.5)"),
    ("tensile_MPa = 30.0", "", "tensile_MPa", "missing"),
    ("[source.nu]\nref", "[source.nu_]\nref", "nu_", "did you mean 'nu'"),
    ("confidence = \"textbook\"", "confidence = \"textbok\"", "confidence", "did you mean 'textbook'"),
    ("[elastic]", "[elastik]", "elastik", "did you mean 'elastic'"),
    ("category = \"cement\"", "category = \"cements\"", "category", "did you mean 'cement'"),
    ("exponent = -0.06816", "exponent = -0.1", "defining_points", "not the defining"),
    ("E_MPa = 2500.0", "E_MPa = \"2500\"", "E_MPa", "number"),
])
def test_bad_card_names_file_and_key(tmp_path, old, new, key, detail):
    assert old in CEMENT
    path = card_file(tmp_path, CEMENT.replace(old, new, 1))
    with pytest.raises(InputError) as err:
        load_card(path)
    message = str(err.value)
    assert str(path) in message and key in message and detail in message


def test_missing_source_is_an_error(tmp_path):
    path = card_file(tmp_path, CEMENT.replace("[source.nu]\nref = \"test\"\nconfidence = \"textbook\"\n", ""))
    with pytest.raises(InputError, match=r"bad\.toml.*nu"):
        load_card(path)


def test_bone_without_strength_is_an_error(tmp_path):
    path = card_file(tmp_path, CEMENT.replace('category = "cement"', 'category = "bone"').replace(
        "compressive_MPa = 90.0\n", "", 1))
    with pytest.raises(InputError, match=r"bad\.toml.*\[strength\] compressive_MPa: missing"):
        load_card(path)


def test_unstable_transversely_isotropic_card_is_refused(tmp_path):
    elastic = ('model = "transversely_isotropic"\nE_axial_MPa = 17000.0\nE_transverse_MPa = 11500.0\n'
               'nu_axial = 0.9\nnu_transverse = 0.4\nG_axial_MPa = 3300.0')
    text = CEMENT.replace('model = "isotropic"\nE_MPa = 2500.0\nnu = 0.3', elastic)
    for key in ("E_axial_MPa", "E_transverse_MPa", "nu_axial", "nu_transverse", "G_axial_MPa"):
        entry = f"[source.{key}]\nref = \"t\"\nconfidence = \"range\"\n"
        text = text.replace("[source.E_MPa]", entry + "[source.E_MPa]")
    for key in ("E_MPa", "nu"):
        text = text.replace(f"[source.{key}]\nref = \"test\"\nconfidence = \"textbook\"\n", "")
    with pytest.raises(InputError, match=r"bad\.toml.*nu_axial.*positive definite"):
        load_card(card_file(tmp_path, text))


def test_malformed_toml_names_the_file(tmp_path):
    with pytest.raises(InputError, match=r"bad\.toml: not valid TOML"):
        load_card(card_file(tmp_path, "[card\nname = 1"))


def test_unknown_material_suggests_the_nearest():
    with pytest.raises(InputError, match="did you mean 'pmma_vancomycin'.*available: .*cartilage"):
        load_card("pmma_vancomicin")


def test_scaled_card_with_missing_base_names_the_file(tmp_path):
    text = ('[card]\nname = "v"\ndescription = "d"\nbase = "no_such"\n[scaling]\nstrength_factor = 0.9\n'
            '[source.strength_factor]\nref = "t"\nconfidence = "range"\n')
    with pytest.raises(InputError, match=r"v\.toml: \[card\] base: unknown material 'no_such'"):
        load_card(card_file(tmp_path, text, "v.toml"))


def test_spacer_sim_home_is_searched_first(tmp_path, monkeypatch):
    (tmp_path / "materials").mkdir()
    card_file(tmp_path / "materials", CEMENT.replace('name = "x"', 'name = "pmma"'), "pmma.toml")
    monkeypatch.setenv("SPACER_SIM_HOME", str(tmp_path))
    assert material_dirs()[0] == (tmp_path / "materials").resolve()
    assert load_card("pmma").description == "test cement"
