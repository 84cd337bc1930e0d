"""Wheel build hook: a built compiled matcher goes into the wheel, tagged for this platform.

``make wheelhouse`` runs ``make native`` first, so the wheel an air-gapped machine installs
carries ``interdiction/screening/_native/`` (git-ignored, so hatch would leave it out) and
screens at the compiled speed. The wheel is then tagged for this interpreter and platform,
as a wheel with a C extension must be; without a build it stays pure Python. Installed
elsewhere, the package still runs the compiled modules only while its manifest matches
(see src/interdiction/screening/native.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

NATIVE = "src/interdiction/screening/_native"


class CompiledMatcher(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version != "standard":
            return  # editable installs import _native/ from the source tree itself
        native = Path(self.root, NATIVE)
        if not (native / "manifest.json").is_file():
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        for path in sorted(native.iterdir()):
            build_data["force_include"][str(path)] = f"interdiction/screening/_native/{path.name}"
