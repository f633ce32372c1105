"""A saddle in d dimensions: escape times as the dimension and the curvatures change,
and the demo.
"""

from __future__ import annotations

import numpy as np

from .. import plotting, widgets
from ..saddles import (
    ND_DIMS,
    ND_ESCAPE,
    ND_LR,
    escape_median_by_dim,
    escape_time_quantiles,
    first_step_after,
    noise_distance,
    saddle_escape_table,
)

ND_SHOWN = 25  # runs drawn one by one in the escape-in-d demo


def escape_in_d_demo(
    dim: int = 64, down: int = 1, curvature: float = 1.0, noise: float = 0.0
) -> widgets.Demo:
    """A saddle with k downhill directions out of d: escape time against d."""
    fig, (ax_run, ax_eps, ax_dim) = plotting.new_figure(12.5, 4.3, ncols=3)
    eps_line = np.logspace(-6.5, -1.5, 60)
    with plotting.style():
        art = _escape_in_d_panels(ax_run, ax_eps, ax_dim)
    controls = {
        "dim": widgets.log_slider(
            "dimension d",
            dim,
            ND_DIMS[0],
            ND_DIMS[-1],
            steps=len(ND_DIMS) - 1,
            fmt=".0f",
        ),
        "down": widgets.int_slider(
            "downhill directions k", down, 1, 8, continuous_update=False
        ),
        "curvature": widgets.float_slider(
            "downhill curvature μ", curvature, 0.5, 2.0, 0.25, continuous_update=False
        ),
        "noise": widgets.noise_slider(
            noise, max=0.05, step=0.005, continuous_update=False
        ),
    }
    shown = {}  # what the on-release controls last drew: moving d redraws less

    def draw(dim, down, curvature, noise):
        d = int(round(dim))
        k = min(down, d - 1)
        table = saddle_escape_table(k, curvature, noise)
        settings = (k, curvature, noise)
        if shown.get("settings") != settings:
            shown["settings"] = settings
            _draw_escape_settings(art, table, eps_line, *settings)
        runs = table[d]
        art["lines"].set_data(*_broken_lines(runs.distance[:, :ND_SHOWN]))
        art["mine"].set_offsets(np.c_[runs.eps, runs.escape])
        median = np.median(runs.escape)
        art["ring"].set_data([d], [median])
        return _escape_in_d_sentence(d, down, k, curvature, noise, runs)

    return widgets.Demo(
        fig, controls, draw, alt=ESCAPE_IN_D_ALT, exported=("dim", "noise")
    ).warm_up("dim")


ESCAPE_IN_D_ALT = (
    "Three panels about 100 runs of gradient descent from random starts 0.01 "
    "from a saddle in d dimensions. Left: for 25 of the runs, a blue line of the "
    "distance from the stable manifold (log axis) against the step; the lines "
    "rise straight until they cross a dashed red line at 1, the escape. Middle: "
    "each run as a dot, the steps it took to escape against how far its start "
    "was from the stable manifold (log axis): blue for the chosen d, grey for "
    "the other dimensions; a black line is the theory without noise and, with "
    "noise, a dashed orange line and band are the theory's median and 10 to 90% "
    "range. Right: the median escape time against d on a log axis, measured "
    "(blue dots without noise, orange squares with it) and the theory (lines); "
    "the chosen d is ringed in red."
)


def _escape_in_d_panels(ax_run, ax_eps, ax_dim) -> dict:
    """Lay out the three panels of `escape_in_d_demo`; return its artists."""
    art = {}
    # The runs as one line broken by NaNs: one artist to redraw, not 25.
    (art["lines"],) = ax_run.plot([], [], color=plotting.BLUE, lw=1, alpha=0.6)
    ax_run.axhline(ND_ESCAPE, color=plotting.VERMILION, ls="--", lw=1.2)
    plotting.log_axis(ax_run, "y", exponents=range(-6, 1))
    ax_run.set(
        ylim=(1e-6, 2), xlabel="step", ylabel="distance from the stable manifold"
    )
    ax_run.set_title("1. each run: ×(1 + ημ) a step")
    art["others"] = ax_eps.scatter([], [], s=9, lw=0, color=plotting.GREY, alpha=0.4)
    art["mine"] = ax_eps.scatter(
        [], [], s=18, color=plotting.BLUE, ec="white", lw=0.4, zorder=5
    )
    (art["theory"],) = ax_eps.plot(
        [], [], color=plotting.BLACK, lw=1, zorder=1.5, label="theory, no noise"
    )
    art["band"] = ax_eps.fill_between(
        [], [], [], color=plotting.ORANGE, alpha=0.25, lw=0
    )
    (art["noisy"],) = ax_eps.plot(
        [], [], "--", color=plotting.ORANGE, lw=2, label="with noise: median, 10–90%"
    )
    ax_eps.legend(loc="upper right", fontsize=9)
    plotting.log_axis(ax_eps, "x", exponents=range(-6, -1))
    ax_eps.set(
        xlim=(10**-6.5, 10**-1.5), xlabel="start's distance ε from the stable manifold"
    )
    ax_eps.set_ylabel("steps to escape")
    ax_eps.set_title("2. escape time depends on ε")
    (art["theory_d"],) = ax_dim.plot([], [], color=plotting.BLUE, lw=1.2)
    (art["measured_d"],) = ax_dim.plot(
        [], [], "o", color=plotting.BLUE, ms=5, label="no noise"
    )
    (art["theory_dn"],) = ax_dim.plot([], [], color=plotting.ORANGE, lw=1.2, ls="--")
    (art["measured_dn"],) = ax_dim.plot(
        [], [], "s", color=plotting.ORANGE, ms=5, label="with noise σ"
    )
    (art["ring"],) = ax_dim.plot(
        [], [], "o", ms=14, mfc="none", mec=plotting.VERMILION, mew=2.5, zorder=6
    )
    plotting.log_axis(ax_dim, "x", exponents=range(0, 4))
    ax_dim.set(xlim=(1.4, 1500), xlabel="dimension d", ylabel="median steps to escape")
    ax_dim.set_title("3. and on d only through ε")
    ax_dim.legend(loc="upper left", fontsize=9)
    return art


def _broken_lines(distance: np.ndarray):
    """Return (x, y) drawing each column of `distance` against the step."""
    rows, runs = distance.shape
    steps = np.r_[np.arange(rows, dtype=float), np.nan]
    x = np.tile(steps, runs)
    y = np.r_[distance, np.full((1, runs), np.nan)].T.ravel()
    return x, y


def _draw_escape_settings(art, table, eps_line, down, curvature, noise) -> None:
    """Redraw what k, μ and σ set: limits, grey dots, theory, medians by d."""
    top = plotting.nice_ceiling(max(r.escape.max() for r in table.values()) * 1.1)
    art["lines"].axes.set_xlim(0, top)
    for ax in (art["mine"].axes, art["ring"].axes):
        ax.set_ylim(0, top)
    art["others"].set_offsets(
        np.concatenate([np.c_[r.eps, r.escape] for r in table.values()])
    )
    art["theory"].set_data(eps_line, first_step_after(eps_line, curvature, ND_LR))
    dims = np.array(list(table))
    measured = [np.median(r.escape) for r in table.values()]
    quiet = saddle_escape_table(down, curvature, 0.0)
    art["measured_d"].set_data(dims, [np.median(r.escape) for r in quiet.values()])
    art["theory_d"].set_data(dims, escape_median_by_dim(dims, down, curvature, 0.0))
    if noise:
        low, mid, high = escape_time_quantiles(eps_line, down, curvature, noise)
        art["noisy"].set_data(eps_line, mid)
        art["band"].set_verts(
            [np.r_[np.c_[eps_line, low], np.c_[eps_line, high][::-1]]]
        )
        art["measured_dn"].set_data(dims, measured)
        art["theory_dn"].set_data(
            dims, escape_median_by_dim(dims, down, curvature, noise)
        )
    else:
        for key in ("noisy", "measured_dn", "theory_dn"):
            art[key].set_data([np.nan], [np.nan])
        art["band"].set_verts([np.full((1, 2), np.nan)])


def _escape_in_d_sentence(d, down, k, curvature, noise, runs) -> str:
    theory = first_step_after(runs.eps, curvature, ND_LR) if not noise else None
    text = f"d = {d}, k = {k}" + (f" (at most d − 1, not {down})" if k < down else "")
    text += f": median escape after {np.median(runs.escape):.0f} steps"
    if theory is not None:
        hits = int(np.sum(runs.escape == theory))
        return (
            f"{text}; {hits} of {len(runs.escape)} runs escaped at the first whole "
            f"step after ln(1/ε)/ln(1 + {ND_LR:g}·{curvature:g}), as predicted."
        )
    quiet = np.median(saddle_escape_table(k, curvature, 0.0)[d].escape)
    return (
        f"{text} with noise σ = {noise:g}, against {quiet:.0f} without; the "
        f"noise alone puts a run {noise_distance(k, curvature, noise):.1e} from the "
        "stable manifold."
    )
