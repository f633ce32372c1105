"""The section modules, their demos and exercises, and the positions tests visit.

One list read by ``python -m tutorial figures``, the benchmarks and the tests:
a section module is any ``tutorial/sNN_topic.py``, or package
``tutorial/sNN_topic/`` (one module per part of its notebook); its demos are the
entries of its ``DEMOS`` dict and its exercises the functions named ``exNN_*``.
Adding a demo to ``DEMOS`` enrols it everywhere, with no other list to edit.

Modules are found by name without importing them; `load` imports one.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Mapping
from types import ModuleType

import ipywidgets as W

import tutorial

from . import widgets

__all__ = [
    "MODULES",
    "select",
    "load",
    "demos",
    "build",
    "exercises",
    "options",
    "positions",
    "is_live",
    "returns_inf",
]

MODULES: tuple[str, ...] = tuple(
    sorted(
        info.name
        for info in pkgutil.iter_modules(tutorial.__path__)
        if re.fullmatch(r"s\d\d_\w+", info.name)
    )
)
MENUS = (W.Dropdown, W.ToggleButtons, W.RadioButtons, W.Select)


def select(only=None) -> list[str]:
    """Return the section modules named in `only`, in order (all if empty).

    Each entry of `only` is a notebook number ("03"), a module's short name
    ("s03") or its full name ("s03_local_minima").

    Raises
    ------
    ValueError
        If no module matches.
    """
    if not only:
        return list(MODULES)
    chosen = [
        m for m in MODULES if any(m == s or m[1:3] == s.lstrip("s")[:2] for s in only)
    ]
    if not chosen:
        raise ValueError(f"only: no section module matches {list(only)}")
    return chosen


def load(name: str) -> ModuleType:
    """Import and return the section module `name` ("s03_local_minima")."""
    if name not in MODULES:
        raise ValueError(f"name must be one of {', '.join(MODULES)}; got {name!r}")
    return importlib.import_module(f"tutorial.{name}")


def demos(only=None) -> list[tuple[str, str]]:
    """Return (module, demo name) for every entry of every ``DEMOS`` dict."""
    return [(m, name) for m in select(only) for name in load(m).DEMOS]


def build(module: str, name: str) -> widgets.Demo:
    """Build the demo `name` of section module `module` with its defaults."""
    return load(module).DEMOS[name]()


def exercises(only=None) -> dict[str, Callable]:
    """Return {name: function} for every exercise check ``exNN_*``, in order."""
    found = {}
    for m in select(only):
        module = load(m)
        for name, value in vars(module).items():
            if re.fullmatch(r"ex\d\d_\w+", name) and callable(value):
                found[name] = value
    return found


def options(widget) -> list:
    """Return the values a menu (drop-down, toggle buttons, ...) offers."""
    if not isinstance(widget, MENUS):
        raise ValueError(f"widget must be a menu; got {type(widget).__name__}")
    # ipywidgets takes a list of values, of (label, value) pairs, or a dict.
    given = widget.options
    if isinstance(given, Mapping):
        return list(given.values())
    return [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in given]


def positions(widget) -> list:
    """Return the values a test sets a control to, the current one included.

    A menu: every option. A check box: both states. A slider: its smallest
    value, the current one and its largest (a log slider's in its own units).
    """
    if isinstance(widget, MENUS):
        return options(widget)
    if isinstance(widget, (W.Checkbox, W.ToggleButton)):
        return [not widget.value, widget.value]
    low, high = widgets.ends(widget)
    return [low, widget.value, high]


def is_live(demo: widgets.Demo, widget) -> bool:
    """Return True for a control that redraws while it is dragged.

    A slider with ``continuous_update`` (the default) in a demo without a Run
    button: it must keep up with the hand, so it is held to the latency
    targets (see benchmarks/sliders.py) and to at most one full draw per drag
    after `Demo.warm_up`.
    """
    return (
        not demo.manual
        and not isinstance(widget, (*MENUS, W.Checkbox, W.ToggleButton))
        and getattr(widget, "continuous_update", False) is True
    )


def returns_inf(reason: str):
    """Return a decorator marking a function whose results hold inf on purpose.

    The property tests call every public function of a section module and
    fail on any number that is not finite; a function whose +inf means
    something (a run that never arrives takes inf steps) says so here, with
    `reason`, and the tests then accept ±inf from it (never NaN)::

        @sections.returns_inf("steps is inf for runs that never reach TARGET")
        def steps_to_reach(traj, target=TARGET): ...
    """

    def mark(fn):
        fn.returns_inf = reason
        return fn

    return mark
