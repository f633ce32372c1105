"""Shared test helpers: set a demo's control as a learner does, check its health.

Which section modules, demos and exercises there are comes from
`tutorial.sections`, the one list the tests, benchmarks and figures share.
"""

from __future__ import annotations


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
