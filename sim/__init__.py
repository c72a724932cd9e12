"""spacer-sim: finite-element models of a metatarsal ray with a PMMA cement spacer.

Units throughout: mm, N, MPa, s.
"""

__version__ = "0.1.0"
