"""Per-worker reuse of the expensive, load-independent parts of a case: its mesh and its factorized stiffness.

A mesh is a pure function of [geometry] and [mesh]; a factorization of the mesh, the elastic parameters of
its regions, the interfaces and the solver. Uncertainty samples differ from their nominal case only in
materials and loads, so a worker that runs a batch of them meshes each geometry once and factorizes once per
distinct stiffness: samples that change only loads (load scale, body mass: the model is linear in load) or
strengths reuse the factorization and solve new right-hand sides, which is exact (same matrices, same
arithmetic as a fresh case; tests/test_uncertainty_reuse.py compares them).

The caches live in the worker process (least recently used first out); keys are the JSON text of what
determines the value, so a different value can never be served.
"""

import json
from collections import OrderedDict
from dataclasses import asdict, is_dataclass

LIMITS = {"mesh": 3, "solver": 2}  # a Saltelli block returns to its first stiffness (order the load inputs first)
_STORES = {kind: OrderedDict() for kind in LIMITS}
stats = {kind: {"hits": 0, "misses": 0} for kind in LIMITS}


def key_of(*parts) -> str:
    """A canonical text key for dataclasses, dicts, lists and numbers."""
    plain = [asdict(p) if is_dataclass(p) else p for p in parts]
    return json.dumps(plain, sort_keys=True, default=str)


def cached(kind: str, key: str, make):
    """The value stored under `key`, or make() stored there (oldest entry out beyond LIMITS[kind])."""
    store = _STORES[kind]
    if key in store:
        store.move_to_end(key)
        stats[kind]["hits"] += 1
        return store[key]
    stats[kind]["misses"] += 1
    store[key] = make()
    while len(store) > LIMITS[kind]:
        store.popitem(last=False)
    return store[key]


def clear(*kinds: str) -> None:
    """Forget the given kinds of value (all by default) and their counts; a fresh worker starts empty."""
    for kind in kinds or LIMITS:
        _STORES[kind].clear()
        stats[kind].update(hits=0, misses=0)
