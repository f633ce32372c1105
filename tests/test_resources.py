"""The largest thing anyone can ask for fits a laptop: memory and time.

The core refuses work that would not fit (see test_properties.py); here the
largest requests it still accepts are run and measured: they must allocate
less than 500 MB (numpy's arrays are counted by tracemalloc). For the demos,
`assert_largest_setting_fits` sets every whole-number control (dimension,
restarts, steps, width, ...) to its largest value at once, the costliest
picture a learner can ask for; test_demo_walks.py calls it for every demo.
"""

from __future__ import annotations

import time
import tracemalloc

import ipywidgets as W
import numpy as np
import pytest
from conftest import assert_healthy

from tutorial import datasets, nn, optimizers, sections
from tutorial import landscapes as L

MEMORY = 500 * 2**20  # bytes
LATENCY = 1.0  # seconds, for a demo's update


def peak_memory(call) -> tuple[int, object]:
    """Return (peak bytes allocated during call(), its result)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, result


# ------------------------------------------------------------------ core


# Adam keeps the most state per run; Newton also makes Hessians every step.
@pytest.mark.parametrize("method", ["adam", "newton"])
def test_the_largest_run_optimize_accepts_fits(method):
    surface, steps = L.get("six_hump_camel"), 4
    rows = steps + 1 + optimizers.WORKING_ROWS
    n = optimizers.MAX_RECORD_BYTES // (rows * (surface.dim + 1) * 8)
    if method == "newton":
        n = min(n, L.MAX_HESSIAN_BYTES // (surface.dim**2 * 8))
    x0 = np.random.default_rng(0).uniform(-1, 1, (n, surface.dim))
    peak, traj = peak_memory(
        lambda: optimizers.optimize(
            surface, x0, lr=0.01, steps=steps, method=method, noise=0.1, seed=0
        )
    )
    assert traj.path.shape == (steps + 1, n, 2)
    assert peak < MEMORY, f"{method}, {n} runs: {peak / 2**20:.0f} MB"
    with pytest.raises(ValueError, match="steps"):
        optimizers.optimize(surface, np.zeros((2 * n, 2)), lr=0.01, steps=steps)


@pytest.mark.parametrize(
    "surface",
    [L.plateau(120), L.rastrigin(120), L.quadratic(np.linspace(-1, 1, 120))],
    ids=lambda s: s.name,
)
def test_the_most_hessians_one_call_accepts_fit(surface):
    n = L.MAX_HESSIAN_BYTES // (surface.dim**2 * 8)
    x = np.random.default_rng(0).uniform(-1, 1, (n, surface.dim))
    peak, hess = peak_memory(lambda: surface.hessian(x))
    assert hess.shape == (n, surface.dim, surface.dim)
    assert peak < MEMORY, f"{surface.name}: {peak / 2**20:.0f} MB"
    with pytest.raises(ValueError, match="x"):
        surface.hessian(np.zeros((n + 1, surface.dim)))


def test_the_most_networks_one_pass_accepts_fit():
    net = nn.MLP([2, 8, 1])
    X, y = datasets.xor(repeats=4)
    surface = net.landscape(X, y)
    per_network = 8 * (3 * len(X) * sum(net.sizes) + 4 * net.dim)
    n = nn.MAX_PASS_BYTES // per_network
    w = net.init(n, seed=0)
    peak, (value, grad) = peak_memory(lambda: surface.fdf(w))
    assert value.shape == (n,) and grad.shape == (n, net.dim)
    assert peak < MEMORY, f"{n} networks: {peak / 2**20:.0f} MB"
    with pytest.raises(ValueError, match="w"):
        surface.value(net.init(n + 1, seed=0))


def test_the_most_weights_init_accepts_fit():
    net = nn.MLP([64, 64, 1])
    n = nn.MAX_INIT_BYTES // (net.dim * 8)
    peak, w = peak_memory(lambda: net.init(n, seed=0))
    assert w.shape == (n, net.dim)
    assert peak < MEMORY, f"{peak / 2**20:.0f} MB"
    with pytest.raises(ValueError, match="n"):
        net.init(n + 1)


# ------------------------------------------------------------------ demos


def largest(widget):
    """Return the largest whole-number setting of a control, or None."""
    if isinstance(widget, W.IntSlider):
        return widget.max
    if isinstance(widget, sections.MENUS):
        options = sections.options(widget)
        if all(isinstance(o, int) and not isinstance(o, bool) for o in options):
            return max(options)
    return None


def timed_update(demo) -> float:
    """Return the update's time: the lesser of wall and CPU time, best of two.

    Other processes on a busy machine inflate wall time; BLAS threads inflate
    CPU time. The smaller is the better estimate of the learner's wait.
    """
    best = float("inf")
    for _ in range(2):
        wall, cpu = time.perf_counter(), time.process_time()
        demo.update()
        best = min(best, time.perf_counter() - wall, time.process_time() - cpu)
        if best < LATENCY:
            break
    return best


def assert_largest_setting_fits(demo, where: str) -> dict:
    """Set every whole-number control to its largest value; measure one update.

    Returns the settings used, with the measured peak memory and time.
    """
    sizes = {k: largest(w) for k, w in demo.controls.items()}
    sizes = {k: v for k, v in sizes.items() if v is not None}
    # Set them all before one redraw: a manual demo only notes the changes.
    manual, demo.manual = demo.manual, True
    try:
        for key, value in sizes.items():
            demo.controls[key].value = value
    finally:
        demo.manual = manual
    peak, _ = peak_memory(demo.update)
    assert_healthy(demo, f"{where} at {sizes}")
    assert peak < MEMORY, f"{where} at {sizes}: {peak / 2**20:.0f} MB"
    # The time is reported, not asserted (benchmarks/sliders.py measures it).
    took = timed_update(demo)
    return sizes | {"MB": round(peak / 2**20, 1), "s": round(took, 3)}
