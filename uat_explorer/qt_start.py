"""PySide6, imported the way a window that must open quickly needs it.

Once PySide6 is imported, every later import is followed by a check of whether the new
module mentions "PySide6" (for its ``from __feature__ import …`` switches), and PySide6
asks that of ``inspect.getsource``, which tokenizes the whole file into the line cache:
30–40 ms over the ~450 modules the window imports, a tenth of its launch. The answer
only matters once some module has switched a feature on: PySide6 records 0 ("uses Qt, no
features") or -1 ("leave the selection as it is") for each module, and while every module
has 0 or -1, both mean Qt's own names. So until a switch, "yes" is given without a look
(1.6 ms in all); after one, by reading the file's bytes (9 ms in all). The app switches
none (a test pins it). Where PySide6 has no such check (another version), nothing changes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

FEATURE_MODULE = "shibokensupport.feature"
"""Where PySide6 6.4–6.10 keep the check, as ``_mod_uses_pyside(module) -> bool``."""


def import_qt_quickly() -> None:
    """Import PySide6's core and give its import check a plain file read."""
    import PySide6.QtCore  # noqa: F401  (installs the check this replaces)

    feature = sys.modules.get(FEATURE_MODULE)
    check = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or check is None or getattr(check, "quick_check", False):
        return
    selections = getattr(feature, "pyside_feature_dict", None)
    quick = file_mentions_pyside(check)
    if isinstance(selections, dict):
        quick = until_a_feature_is_on(selections, quick)
    feature._mod_uses_pyside = quick  # type: ignore[attr-defined]


def until_a_feature_is_on(
    selections: dict[str, int], after: Callable[[ModuleType], bool]
) -> Callable[[ModuleType], bool]:
    """True while no module's selection in ``selections`` is above 0; then ``after``."""

    def uses_pyside(module: ModuleType) -> bool:
        return max(selections.values(), default=0) <= 0 or after(module)

    uses_pyside.quick_check = True  # type: ignore[attr-defined]
    return uses_pyside


def file_mentions_pyside(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    """``original``'s answer for a module from a ``.py`` file, by reading its bytes (the
    name is ASCII, so no decoding is needed to find it); ``original`` for the rest."""

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return original(module)

    uses_pyside.quick_check = True  # type: ignore[attr-defined]
    return uses_pyside
