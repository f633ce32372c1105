"""Property tests of every section module's public functions, by argument name.

Each function in a section module's ``__all__`` (demos aside) is called with
values drawn by the names of its arguments (`lr`, `seed`, `steps`, ...; see
`name_domain`); functions with an argument the table does not know, and no
default, are left out. Results must be finite, except where a function is
marked with `tutorial.sections.returns_inf`; out-of-range values of the known
names must raise a ValueError naming the argument.
"""

from __future__ import annotations

import inspect
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from strategies import (
    SETTINGS,
    log_uniform,
    raises_naming,
    seeds,
    warnings_are_errors,  # noqa: F401 (an autouse fixture)
)

from tutorial import sections


# In-range values by the tutorial's fixed argument names. Sizes never exceed
# the function's own default, so no case costs more than the notebook's.
def name_domain(name: str, default):
    has = default is not inspect.Parameter.empty and default is not None
    if name == "seed":  # a slider's small seeds, or any seed at all
        return st.one_of(st.integers(0, 4), seeds)
    if name == "lr":
        if has and isinstance(default, float):
            return log_uniform(default / 3, default * 3)
        return log_uniform(1e-3, 1.0)
    if name == "noise" and (not has or isinstance(default, (int, float))):
        return st.floats(0, max(float(default) if has else 0.0, 1.0))
    if name == "scale" and (not has or isinstance(default, (int, float))):
        return st.floats(0.1, 3)
    sizes = {
        "steps": 100,
        "n": 50,
        "n_points": 50,
        "n_samples": 500,
        "count": 20,
        "guesses": 50,
        "restarts": 50,
        "dim": 10,
        "width": 8,
        "k": 10,
    }
    if name in sizes and (not has or isinstance(default, int)):
        top = default if has else sizes[name]
        return st.integers(1 if name != "steps" else 0, max(int(top), 1))
    return None


def section_functions():
    """Return (module name, function name, {param: strategy}) to explore."""
    found = []
    for module in sections.MODULES:
        mod = sections.load(module)
        builders = set(getattr(mod, "DEMOS", {}).values())
        for name in getattr(mod, "__all__", []):
            fn = getattr(mod, name)
            if not inspect.isfunction(fn) or fn in builders:
                continue
            domains, ok = {}, True
            for p in inspect.signature(fn).parameters.values():
                if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                    continue
                strategy = name_domain(p.name, p.default)
                if strategy is not None:
                    domains[p.name] = strategy
                elif p.default is inspect.Parameter.empty:
                    ok = False  # an argument we cannot invent (a landscape, ...)
            if ok:
                found.append((module, name, domains))
    return found


SECTION_FUNCTIONS = section_functions()


def assert_finite_result(result, where: str, inf_ok: bool = False) -> None:
    """Walk a result: every number finite; a Trajectory may flag divergence.

    With `inf_ok` (a function marked with `tutorial.sections.returns_inf`,
    whose inf means "never", say) ±inf passes; NaN never does.
    """
    from tutorial.optimizers import Trajectory

    def ok(values) -> bool:
        values = np.asarray(values)
        return bool(np.all(~np.isnan(values) if inf_ok else np.isfinite(values)))

    if isinstance(result, Trajectory):
        assert np.isfinite(result.path).all(), f"{where}: non-finite path"
        loss = result.loss[:, ~result.diverged]
        assert np.isfinite(loss).all(), f"{where}: non-finite loss, not diverged"
        return
    if isinstance(result, dict):
        for key, value in result.items():
            assert_finite_result(value, f"{where}[{key!r}]", inf_ok)
    elif isinstance(result, (list, tuple)):
        for i, value in enumerate(result):
            assert_finite_result(value, f"{where}[{i}]", inf_ok)
    elif isinstance(result, np.ndarray) and result.dtype.kind in "fc":
        assert ok(result), f"{where}: non-finite values {result[~np.isfinite(result)]}"
    elif isinstance(result, (float, np.floating)):
        assert ok(result), f"{where}: {result}"


@pytest.mark.parametrize(
    "module, name, domains",
    SECTION_FUNCTIONS,
    ids=[f"{m[:3]}.{n}" for m, n, _ in SECTION_FUNCTIONS],
)
# Each case runs a real experiment: report the failing case without shrinking.
@settings(
    max_examples=6,
    phases=[Phase.explicit, Phase.generate],
    **SETTINGS | {"suppress_health_check": list(HealthCheck)},
)
@given(data=st.data())
def test_section_functions_are_finite_in_range(module, name, domains, data):
    fn = getattr(sections.load(module), name)
    kwargs = {key: data.draw(strategy, label=key) for key, strategy in domains.items()}
    try:
        result = fn(**kwargs)
    except ValueError as exc:
        # A documented narrower range (say n_points >= 2) is fine if the
        # message names the argument; hypothesis fails if every case is refused.
        assume(not any(key in str(exc) for key in kwargs))
        raise
    where = f"{module}.{name}({kwargs})"
    assert_finite_result(result, where, inf_ok=hasattr(fn, "returns_inf"))


BAD_BY_NAME = {
    "lr": [0.0, -0.1, math.nan, math.inf],
    "noise": [-0.5, math.nan, math.inf],
    "steps": [-1, 10**9],
    "seed": [-1, "one"],
}


@pytest.mark.parametrize(
    "module, name, param, value",
    [
        (m, n, p, v)
        for m, n, domains in SECTION_FUNCTIONS
        for p in domains
        for v in BAD_BY_NAME.get(p, [])
    ],
    ids=str,
)
def test_section_functions_refuse_bad_arguments(module, name, param, value):
    fn = getattr(sections.load(module), name)
    required = {
        p.name: 0.1 if p.name == "lr" else 1
        for p in inspect.signature(fn).parameters.values()
        if p.default is inspect.Parameter.empty and p.kind is not p.VAR_KEYWORD
    }
    raises_naming(param, lambda: fn(**(required | {param: value})), limit=2.0)
