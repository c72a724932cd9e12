"""Material laws: stresses and tangents against finite differences of independently written energies,
linearisation, Ogden vs neo-Hookean, one stability rule shared by cards and model files, the axis rule."""

import numpy as np
import pytest

from sim.errors import InputError
from sim.laws import LAWS, make_law
from sim.laws.tensors import det_inv3, voigt4, voigt_strain
from sim.materials import load_card
from sim.model.spec import parse_model

RNG = np.random.default_rng(7)
F_GENERAL = np.eye(3) + 0.3 * RNG.standard_normal((3, 3))
F_GENERAL[:, 0] *= np.sign(np.linalg.det(F_GENERAL))
# Reilly & Burstein 1975 (J Biomech 8:393), human femoral cortical bone: E3 = 17.0 GPa, E1 = E2 = 11.5 GPa,
# nu12 = 0.58 (transverse plane), nu31 = 0.46 (axial load, transverse strain), G13 = 3.28 GPa
REILLY_BURSTEIN = {"model": "transversely_isotropic", "E_axial_MPa": 17000.0, "E_transverse_MPa": 11500.0,
                   "nu_axial": 0.46, "nu_transverse": 0.58, "G_axial_MPa": 3280.0}
NH = {"model": "neo_hookean", "E_MPa": 3.0, "nu": 0.3}
OGDEN3 = {"model": "ogden", "mu_MPa": [0.5, -0.1, 0.2], "alpha": [3.0, -2.0, 9.78], "K_MPa": 4.0}


def log_J(C):
    return 0.5 * np.log(np.linalg.det(C))


def energy_neo_hookean(C, E=3.0, nu=0.3):
    mu, lam = E / (2 * (1 + nu)), E * nu / ((1 + nu) * (1 - 2 * nu))
    return mu / 2 * (np.trace(C) - 3) - mu * log_J(C) + lam / 2 * log_J(C) ** 2


def energy_ogden(C, mu=(0.5, -0.1, 0.2), alpha=(3.0, -2.0, 9.78), K=4.0):
    stretch_bar = np.exp(-log_J(C) / 3) * np.sqrt(np.linalg.eigvalsh(C))
    return sum(2 * m / a**2 * ((stretch_bar**a).sum() - 3) for m, a in zip(mu, alpha)) + K / 2 * log_J(C) ** 2


def energy_svk(D):
    return lambda C: 0.5 * voigt_strain(0.5 * (C - np.eye(3))) @ D @ voigt_strain(0.5 * (C - np.eye(3)))


def stress_at(law, C):
    return law.stress_tangent(np.linalg.cholesky(C).T)[0]  # any F with F^T F = C


@pytest.mark.parametrize("table, energy", [
    (NH, energy_neo_hookean), (OGDEN3, energy_ogden),
    (REILLY_BURSTEIN | {"axis": [1.0, 1.0, 0.0]}, None)])
def test_stress_and_tangent_are_derivatives_of_the_energy(table, energy):
    law = make_law(table, "test")
    energy = energy or energy_svk(law.D)
    C = F_GENERAL.T @ F_GENERAL
    S, tangent = law.stress_tangent(F_GENERAL)
    h = 1e-6
    S_fd, tangent_fd = np.zeros((3, 3)), np.zeros((3, 3, 3, 3))
    for K in range(3):
        for L in range(3):
            dC = np.zeros((3, 3))
            dC[K, L] += h / 2
            dC[L, K] += h / 2
            S_fd[K, L] = (energy(C + dC) - energy(C - dC)) / h  # S = 2 dW/dC
            tangent_fd[..., K, L] = (stress_at(law, C + dC) - stress_at(law, C - dC)) / h  # dS/dE = 2 dS/dC
    assert np.allclose(S, S_fd, rtol=0, atol=1e-7 * np.abs(S).max())
    assert np.allclose(tangent, tangent_fd, rtol=0, atol=1e-7 * np.abs(tangent).max())


@pytest.mark.parametrize("table", [NH, OGDEN3])
def test_hyperelastic_laws_linearise_to_their_small_strain_stiffness(table):
    law = make_law(table, "test")
    S, tangent = law.stress_tangent(np.eye(3))
    assert np.allclose(S, 0.0, atol=1e-14)
    assert np.allclose(voigt4(tangent), law.D)


def test_ogden_tangent_is_continuous_at_equal_stretches():
    law = make_law(OGDEN3, "test")
    for F in (np.eye(3), np.diag([1.5, 0.9, 0.9])):  # three and two equal principal stretches
        t0 = law.stress_tangent(F)[1]
        t1 = law.stress_tangent(F + 1e-7 * RNG.standard_normal((3, 3)))[1]
        assert np.abs(t1 - t0).max() < 1e-5 * np.abs(t0).max()


def test_one_term_ogden_with_alpha_2_is_neo_hookean_in_isochoric_motion():
    """Simple shear (J = 1): the deviatoric Cauchy stresses agree (mu gamma in shear); the pressures differ
    because the compressible neo-Hookean's -mu ln J term is not a deviatoric-volumetric split."""
    mu, gamma = 1.2, 0.7
    nh = make_law({"model": "neo_hookean", "E_MPa": 2 * mu * 1.3, "nu": 0.3}, "test")
    og = make_law({"model": "ogden", "mu_MPa": [mu], "alpha": [2.0], "K_MPa": 10.0}, "test")
    F = np.eye(3)
    F[0, 1] = gamma

    def cauchy(law):
        S = law.stress_tangent(F)[0]
        return F @ S @ F.T

    dev = lambda s: s - np.trace(s) / 3 * np.eye(3)
    assert np.allclose(dev(cauchy(nh)), dev(cauchy(og)), atol=1e-12)
    assert cauchy(og)[0, 1] == pytest.approx(mu * gamma)


@pytest.mark.parametrize("table, key", [
    ({"model": "neo_hookean", "E_MPa": -1.0, "nu": 0.3}, "E_MPa"),
    ({"model": "neo_hookean", "E_MPa": 1.0, "nu": 0.5}, "nu"),
    ({"model": "ogden", "mu_MPa": [-0.001], "alpha": [9.78], "K_MPa": 1.0}, "mu_MPa"),
    ({"model": "ogden", "mu_MPa": [0.001, 0.002], "alpha": [9.78], "K_MPa": 1.0}, "alpha"),
    ({"model": "ogden", "mu_MPa": [0.001], "alpha": [9.78], "K_MPa": 0.0}, "K_MPa"),
    ({"model": "ogden", "mu_MPa": [0.001], "alpha": [9.78]}, "K_MPa"),
    ({"model": "ogden", "mu_MPa": [1, 2, 3, 4], "alpha": [1, 2, 3, 4], "K_MPa": 1.0}, "mu_MPa"),
    ({"model": "isotropic", "E_MPa": 1.0, "nu": float("nan")}, "nu"),
])
def test_unstable_or_malformed_constants_are_refused_naming_the_key(table, key):
    with pytest.raises(InputError, match=rf"^where {key}: "):
        make_law(table, "where")


# --- issue 16: one stability rule, in the law, for cards and model files; one axis rule ---------------

def model_doc(material: dict) -> dict:
    return {"mesh": {"file": "m.msh"}, "materials": {"bone": material},
            "boundary": [{"set": "base", "fix": ["x", "y", "z"]}]}


def card_text(elastic: dict) -> str:
    lines = [f"{k} = {v!r}".replace("'", '"') for k, v in elastic.items()]
    sources = "".join(f'[source.{k}]\nref = "Reilly & Burstein 1975"\nconfidence = "textbook"\n'
                      for k in elastic if k != "model")
    return ('[card]\nname = "rb"\ndescription = "test"\ncategory = "bone"\n[elastic]\n' + "\n".join(lines)
            + '\n[strength]\ncompressive_MPa = 193.0\ntensile_MPa = 133.0\n'
            + '[source.compressive_MPa]\nref = "t"\nconfidence = "textbook"\n'
            + '[source.tensile_MPa]\nref = "t"\nconfidence = "textbook"\n' + sources)


def test_published_cortical_bone_set_with_nu_transverse_058_is_accepted_everywhere(tmp_path):
    path = tmp_path / "rb.toml"
    path.write_text(card_text(REILLY_BURSTEIN))
    card = load_card(path)
    assert card.elastic["nu_transverse"] == 0.58
    spec = parse_model(model_doc(REILLY_BURSTEIN | {"axis": [0.0, 0.0, 1.0]}), "m.toml", tmp_path)
    D = spec.materials["bone"].D
    assert np.linalg.eigvalsh(D).min() > 0
    assert np.allclose(D, card.law(axis=(0.0, 0.0, 1.0)).D)
    S = np.linalg.inv(D)  # the compliance gives back the published constants along the axis z
    assert -S[0, 1] / S[0, 0] == pytest.approx(0.58) and -S[2, 0] / S[2, 2] == pytest.approx(0.46)


def test_an_unstable_set_is_refused_by_the_same_rule_in_cards_and_model_files(tmp_path):
    unstable = REILLY_BURSTEIN | {"nu_axial": 0.9}
    path = tmp_path / "rb.toml"
    path.write_text(card_text(unstable))
    with pytest.raises(InputError) as card_err:
        load_card(path)
    with pytest.raises(InputError) as model_err:
        parse_model(model_doc(unstable | {"axis": [1.0, 0.0, 0.0]}), "m.toml", tmp_path)
    for err in (card_err, model_err):
        assert "not positive definite" in str(err.value) and "nu_axial" in str(err.value)


def test_transversely_isotropic_without_axis_is_an_error_in_a_model_file(tmp_path):
    with pytest.raises(InputError, match=r"m\.toml: \[materials\.bone\] axis: missing.*no default"):
        parse_model(model_doc(REILLY_BURSTEIN), "m.toml", tmp_path)


def test_a_card_carries_no_axis_and_its_law_has_none_until_placed():
    card = load_card("cortical_bone_ti")
    assert card.law().axis is None
    with pytest.raises(InputError, match="axis"):
        make_law(card.elastic, "cortical_bone_ti")  # placed in a model without an axis
    assert card.law(axis=(1.0, 0.0, 0.0)).axis.tolist() == [1.0, 0.0, 0.0]


def test_every_registered_law_is_a_model_file_and_card_model():
    assert set(LAWS) == {"isotropic", "transversely_isotropic", "neo_hookean", "ogden"}


def test_closed_form_determinant_and_inverse_equal_linalg():
    A = np.random.default_rng(2).standard_normal((6, 4, 3, 3))
    det, inv = det_inv3(A)
    assert np.allclose(det, np.linalg.det(A), rtol=1e-13, atol=1e-13)
    assert np.allclose(inv, np.linalg.inv(A), rtol=1e-12, atol=1e-12)
