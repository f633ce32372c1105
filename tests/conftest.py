"""Shared test helpers: every section module and every demo it offers."""

from __future__ import annotations

import importlib
import pkgutil
import re

import tutorial

SECTION_MODULES = sorted(
    info.name
    for info in pkgutil.iter_modules(tutorial.__path__)
    if re.fullmatch(r"s\d\d_\w+", info.name)
)


def section(name: str):
    """Import tutorial.<name>."""
    return importlib.import_module(f"tutorial.{name}")


def demo_cases() -> list[tuple[str, str]]:
    """Return (module, demo name) for every entry of every DEMOS dict."""
    return [(m, d) for m in SECTION_MODULES for d in section(m).DEMOS]


def set_control(demo, name, value) -> None:
    """Set a control as a learner would; press Run for manual demos."""
    demo.controls[name].value = value
    if demo.manual:
        demo.update()


def assert_healthy(demo, where: str = "") -> None:
    """Fail on an error or a warning in the demo's last update."""
    assert demo.error is None, f"{where}: {type(demo.error).__name__}: {demo.error}"
    assert demo.warnings == [], f"{where}: warnings {demo.warnings}"
    assert demo.png().startswith(b"\x89PNG"), f"{where}: no picture"
