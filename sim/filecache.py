"""Input files parsed once per process: a parse is reused while the file's bytes are unchanged.

An experiment's cases share their material cards and load curves; resolving and running every case
would otherwise parse the same few files again and again (sim.materials, sim.loads).
"""

import copy
import hashlib
from pathlib import Path

_PARSED: dict[tuple, object] = {}


def parse_once(path, parse):
    """parse(path), or a copy of the earlier result for the same parser, path and file content (callers
    may change what they get). A file that cannot be read goes straight to `parse` (its error)."""
    path = Path(path)
    try:
        digest = hashlib.sha1(path.read_bytes()).hexdigest()
    except OSError:
        return parse(path)
    key = (parse.__module__, parse.__qualname__, str(path.resolve()), digest)
    if key not in _PARSED:
        _PARSED[key] = parse(path)
    return copy.deepcopy(_PARSED[key])
