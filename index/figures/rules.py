"""A fingerprint of the rules that read figures, recorded in a store's meta.

A store keeps the figures its build read. When the rules change (a new unit, an
identifier read as an amount), a store built before would go on serving the old
figures of every file the incremental build leaves alone; its fingerprint no
longer matching makes the next build (and the next start) rebuild it whole.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import resources

# The modules whose code decides which figures a sentence holds and how they read
# (not the scoring against gold, nor the record format).
_RULE_MODULES = ("dates.py", "exclusions.py", "extract.py", "label.py", "metric.py",
                 "model.py", "numerals.py", "qualifiers.py", "units.py")


@functools.cache
def figure_rules_digest() -> str:
    """The SHA-1 of the rule modules' source, in a fixed order."""
    digest = hashlib.sha1()
    package = resources.files("index.figures")
    for name in _RULE_MODULES:
        digest.update(name.encode())
        digest.update(package.joinpath(name).read_bytes())
    return digest.hexdigest()
