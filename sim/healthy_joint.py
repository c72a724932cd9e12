"""The passive stiffness of a healthy metatarsophalangeal (MTP) joint: the yardstick of a pseudo-joint.

Measured in living feet by turning the toe up by hand and recording the torque about the joint (N mm,
force times the proximal phalanx's length) against the angle (deg); the quasi-stiffness is the slope.
Only the first MTP joint has been measured this way (no lesser-toe data found), and only in dorsiflexion:
Heng, Chua, Pek, Krishnasamy & Kong 2016, "A novel method of measuring passive quasi-stiffness in the
first metatarsophalangeal joint", J Foot Ankle Res, doi:10.1186/s13047-016-0173-2 (13 healthy adults).
"""

SOURCE = "Heng et al. 2016, doi:10.1186/s13047-016-0173-2"
MEAN_NMM_PER_DEG = 14.9  # session 1 of the experienced tester, 14.9 +/- 14.6 N mm/deg
RANGE_NMM_PER_DEG = (0.66, 53.4)  # lowest and highest subject
