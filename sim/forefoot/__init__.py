"""The forefoot model: five rays in a plantar soft-tissue envelope on the ground, loaded through a rigid
midfoot, so that the load each ray carries is a result (anatomy.py, geometry.py, config.py, solve.py,
outputs.py, case.py)."""
