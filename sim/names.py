"""Names that become file names (experiments, cases): plain names only, so no name can place a file
outside the output folder.

A plain name is 1-100 characters: ASCII letters, digits, '.', '_', '+' and '-', starting with a letter or
a digit (so never '.', '..', a hidden file, an absolute path or a path with folders).
"""

import hashlib
import re

from .errors import InputError

MAX_LENGTH = 100
ALLOWED = "ASCII letters, digits, '.', '_', '+' and '-', starting with a letter or digit, at most 100"
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*\Z")
_OTHER = re.compile(r"[^A-Za-z0-9._+-]")


def check_name(name: str, where: str) -> str:
    """`name` when it is plain, else an InputError saying which characters are allowed."""
    if not isinstance(name, str) or not _PLAIN.match(name) or len(name) > MAX_LENGTH:
        raise InputError(f"{where}: {name!r} is not a plain name (allowed: {ALLOWED} characters)")
    return name


def plain_name(text: str) -> str:
    """A plain name made from any text (e.g. swept values): other characters become '_'; a name longer
    than MAX_LENGTH is cut and given a short hash of the whole text so that it stays unique."""
    name = _OTHER.sub("_", text)
    if not name[:1].isalnum():
        name = "x" + name
    if len(name) > MAX_LENGTH:
        name = name[:MAX_LENGTH - 9] + "-" + hashlib.sha256(text.encode()).hexdigest()[:8]
    return name
