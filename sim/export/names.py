"""Set, region and material names as solver input files accept them (letters, digits, underscore)."""

import re

from ..errors import InputError


def safe_names(names, fmt: str) -> dict[str, str]:
    """name -> a name starting with a letter, made of [A-Za-z0-9_]; two names that would clash (CalculiX
    and Abaqus ignore case) are a feature the format cannot express."""
    out, seen = {}, {}
    for name in names:
        safe = re.sub(r"\W", "_", name)
        safe = safe if safe[:1].isalpha() else f"S_{safe}"
        if safe.upper() in seen:
            raise InputError(f"the .{fmt} export cannot tell apart the names '{seen[safe.upper()]}' and '{name}'")
        seen[safe.upper()], out[name] = name, safe
    return out
