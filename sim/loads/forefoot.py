"""The forefoot load model behind the shipped presets, per body weight (BW), in the ray frame.

Ray frame: x along the ray from base to distal end, z plantar -> dorsal. Negative Fx compresses the
ray axially (pushes the distal end proximally); positive Fz pushes it dorsally. Sources:

- Ray 1 peak (push-off): McBride et al. 1991, Foot Ankle 11(5):282-288, barefoot toe-off, 11 women:
  MTP joint force FJ = 0.80 BW, metatarsal-sesamoid force FS = 0.44 BW, resultant 0.93 BW (checked,
  abstract). By the law of cosines the two forces are 87.4 deg apart; ASSUMPTION: FJ acts along the
  ray axis (-x) and FS dorsally, giving Fx = -0.820, Fz = +0.440 BW (resultant 28.2 deg off the axis).
- Rays 2-5 peak: ASSUMPTION (Jacob 2001, Clin Biomech 16:783, could not be read): the plantar force
  under each metatarsal head, as its share of the forefoot's maximum regional forces (Indian J Orthop
  2021, 55(Suppl 2):436-444, doi:10.1007/s43465-021-00416-3, Table 2, hallux valgus feet without
  metatarsalgia, n = 47: MH1-5 74.7/89.2/102.4/83.3/37.0 N, hallux 74.9 N, toes 2-5 32.6 N), times
  the second vertical GRF peak; same direction as ray 1. Toe-flexor forces on rays 2-5 are left out,
  so their axial compression is a lower bound.
- Stance shape: vertical GRF double hump, 1.15 BW at 22 %, 0.75 BW at 50 %, 1.10 BW at 78 % of
  stance (Perry 1992, Gait Analysis, textbook: peaks 1.1-1.2 BW at 20-25 % and 75-80 %, midstance
  valley 0.7-0.8 BW), times the forefoot's share of it. ASSUMPTIONS: the forefoot takes no load before
  foot flat (12 % of stance), the standing share 0.449 (Ohlendorf et al. 2020, J Physiol Anthropol,
  doi:10.1186/s40101-020-00246-6, 416 healthy adults: forefoot 45.49 % left, 44.26 % right) through
  midstance to heel rise (50 %, Perry's terminal stance), all of it from 65 %; each ray keeps its peak
  direction and its share through stance.
- Quiet standing: 0.5 BW per foot x forefoot share 0.449 (Ohlendorf 2020) x the head's share among
  MH1-5 (table above), vertical, resolved at the first-metatarsal declination 20 deg (Radiopaedia,
  'First metatarsal declination angle', normal 20-21 deg, textbook; ASSUMPTION: same for the lesser
  rays, which decline less).
- Moments: none published per ray; My = 0 (forces act at the distal end).

Sanity check (to run on the intact FE ray): Arndt et al. 2002, J Biomech 35:621, measured a peak dorsal
shaft strain of -1534 +/- 636 microstrain in metatarsal 2 in barefoot walking. Hand estimate for ray 2 at
80 kg (peak Fx = -137 N, Fz = +74 N; clamped base, gauge 35 mm from the head, E = 17 GPa): about -2600
microstrain for a hollow elliptic section 10 x 7 mm with 2 mm cortex, -3400 for a round 8 mm tube with
2 mm cortex, i.e. 1.7-2.2 x Arndt's mean, at or just past +2 SD. Both simplifications push it high: the
shares are normalised as if all regional maxima occurred at once, and a clamped base ignores load sharing
with the neighbouring rays. If the FE intact ray lands far above Arndt, calibrate the lesser rays with
sim.loads.load_curve(..., scale=...).
"""

import numpy as np
from scipy.interpolate import PchipInterpolator

N_STANCE_SAMPLES = 101
GRF_KNOTS = ((0.0, 0.0), (22.0, 1.15), (50.0, 0.75), (78.0, 1.10), (100.0, 0.0))  # (stance %, BW)
PEAK_STANCE_PERCENT, PEAK_GRF_BW = GRF_KNOTS[3]  # forefoot fraction is 1 there: the forefoot peak
FOREFOOT_SHARE_STANDING = 0.449
FOREFOOT_FRACTION_KNOTS = ((0.0, 0.0), (12.0, 0.0), (20.0, FOREFOOT_SHARE_STANDING),
                           (50.0, FOREFOOT_SHARE_STANDING), (65.0, 1.0), (100.0, 1.0))
MCBRIDE_JOINT_BW, MCBRIDE_SESAMOID_BW, MCBRIDE_RESULTANT_BW = 0.80, 0.44, 0.93
# maximum regional plantar forces, N (Indian J Orthop 2021, Table 2; see above)
MAX_FORCE_N = {"MH1": 74.7, "MH2": 89.2, "MH3": 102.4, "MH4": 83.3, "MH5": 37.0,
               "hallux": 74.9, "toes2-5": 32.6}
DECLINATION_STANDING_DEG = 20.0


def _pchip(knots):
    x, y = np.array(knots).T
    return PchipInterpolator(x, y)


def stance_shape(stance_percent) -> np.ndarray:
    """Forefoot load over stance (GRF x forefoot fraction), normalised to 1 at its peak."""
    def load(s):
        return _pchip(GRF_KNOTS)(s) * _pchip(FOREFOOT_FRACTION_KNOTS)(s)
    return np.clip(load(np.asarray(stance_percent, dtype=float)) / load(PEAK_STANCE_PERCENT), 0.0, None)


def ray1_peak_per_bw() -> np.ndarray:
    """(Fx, Fz) from McBride's joint and sesamoid forces, FJ taken along -x."""
    cos_phi = (MCBRIDE_RESULTANT_BW**2 - MCBRIDE_JOINT_BW**2 - MCBRIDE_SESAMOID_BW**2) / (
        2 * MCBRIDE_JOINT_BW * MCBRIDE_SESAMOID_BW)
    sin_phi = np.sqrt(1 - cos_phi**2)
    return np.array([-(MCBRIDE_JOINT_BW + MCBRIDE_SESAMOID_BW * cos_phi), MCBRIDE_SESAMOID_BW * sin_phi])


def peak_per_bw(ray: int) -> np.ndarray:
    """(Fx, Fz) per BW at the push-off peak for ray 1-5."""
    ray1 = ray1_peak_per_bw()
    if ray == 1:
        return ray1
    share = MAX_FORCE_N[f"MH{ray}"] / sum(MAX_FORCE_N.values())
    return ray1 / np.linalg.norm(ray1) * share * PEAK_GRF_BW


def standing_per_bw(ray: int) -> np.ndarray:
    """(Fx, Fz) per BW in quiet standing for ray 1-5."""
    heads = sum(MAX_FORCE_N[f"MH{r}"] for r in range(1, 6))
    vertical = 0.5 * FOREFOOT_SHARE_STANDING * MAX_FORCE_N[f"MH{ray}"] / heads
    angle = np.radians(DECLINATION_STANDING_DEG)
    return vertical * np.array([-np.sin(angle), np.cos(angle)])


def walking_per_bw(ray: int) -> tuple[np.ndarray, np.ndarray]:
    """stance_percent (101,) and (Fx, Fz) per BW (101, 2) over stance."""
    stance = np.linspace(0.0, 100.0, N_STANCE_SAMPLES)
    return stance, stance_shape(stance)[:, None] * peak_per_bw(ray)[None, :]
