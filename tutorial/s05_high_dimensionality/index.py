"""Index against loss in a real network: its critical points, and the demo."""

from __future__ import annotations

import functools

import numpy as np

from .. import plotting, widgets
from ..nn import MLP
from ..optimizers import optimize


def spearman(a, b) -> float:
    """Return Spearman's rank correlation of a and b (ties get average ranks)."""

    def ranks(v):
        v = np.asarray(v, dtype=float)
        _, inverse, counts = np.unique(v, return_inverse=True, return_counts=True)
        start = np.cumsum(counts) - counts
        return (start + (counts - 1) / 2)[inverse]

    ra, rb = ranks(a), ranks(b)
    if ra.shape != rb.shape or ra.size < 2:
        raise ValueError("a and b must be two sequences of the same length >= 2")
    if ra.std() == 0 or rb.std() == 0:
        return 0.0
    return float(np.corrcoef(ra, rb)[0, 1])


def sine_net():
    """Return (net, loss surface): a 1-3-1 tanh network fitting sin 2x at 16 x."""
    X = np.linspace(-2, 2, 16)[:, None]
    y = np.sin(2 * X[:, 0])
    net = MLP([1, 3, 1])
    return net, net.landscape(X, y)


CRITICAL_STARTS = 240  # 200 random weights + 40 ends of training runs
NEGATIVE = -1e-5  # an eigenvalue below this counts as a downhill direction


@functools.lru_cache(maxsize=1)
def critical_points():
    """Find critical points of a 1-3-1 tanh network fitting sin 2x (16 points).

    Minimises ½|∇L|² from 240 starts at once (200 random weight vectors and
    the ends of 40 short training runs, so minima are among them). Its
    gradient is H∇L; we take Levenberg–Marquardt steps
    Δ = −(H² + μI)⁻¹ H∇L, accepted only when |∇L| shrinks, which converge to
    a critical point of any kind: minimum or saddle.

    Returns
    -------
    dict
        ``w`` (240, 10): where each search ended; arrays of shape (240,):
        ``loss``, ``index`` (share of Hessian eigenvalues below −1e-5),
        ``grad_norm`` (|∇L| at the end).
    """
    net, surface = sine_net()
    trained = optimize(
        surface,
        net.init(40, seed=1),
        lr=0.1,
        steps=2000,
        method="momentum",
        every=2000,
    ).final
    w = np.r_[net.init(CRITICAL_STARTS - 40, seed=0, scale=1.5), trained]
    n, dim = w.shape
    mu = np.full(n, 1e-2)
    g = surface.grad(w)
    gn = (g * g).sum(1)
    eye = np.eye(dim)
    with np.errstate(all="ignore"):
        for _ in range(40):
            H = surface.hessian(w)
            rhs = np.einsum("nij,nj->ni", H, g)[..., None]
            step = np.linalg.solve(H @ H + mu[:, None, None] * eye, rhs)[..., 0]
            g_new = surface.grad(w - step)
            gn_new = (g_new * g_new).sum(1)
            better = np.isfinite(gn_new) & (gn_new < gn)
            w = np.where(better[:, None], w - step, w)
            g = np.where(better[:, None], g_new, g)
            gn = np.where(better, gn_new, gn)
            # Trust the quadratic model more after a success, less after a miss.
            mu = np.clip(np.where(better, mu / 3, mu * 4), 1e-12, 1e8)
    evals = np.linalg.eigvalsh(surface.hessian(w))
    return {
        "w": w,
        "loss": surface.value(w),
        "index": (evals < NEGATIVE).mean(1),
        "grad_norm": np.sqrt(gn),
    }


def index_demo(tol: float = 1e-6, starts: int = CRITICAL_STARTS) -> widgets.Demo:
    """Critical points of a small network: loss against share of ways down."""
    found = critical_points()
    fig, (ax_pts, ax_tol) = plotting.new_figure(11.0, 4.2, ncols=2)
    with plotting.style():
        dots = ax_pts.scatter(
            [], [], s=[], color=plotting.BLUE, alpha=0.7, edgecolor=plotting.BLACK
        )
        ax_pts.set(xlim=(-0.03, 0.45), ylim=(-0.03, 0.6))
        ax_pts.set_xlabel("index: share of Hessian eigenvalues < 0")
        ax_pts.set_ylabel("loss at the critical point")
        ax_pts.text(
            0.99,
            0.02,
            "dot area: how many searches ended there",
            transform=ax_pts.transAxes,
            ha="right",
            color=plotting.GREY,
        )
        # A fixed title, a short count that changes (rule 4).
        ax_pts.set_title("Critical points: loss against index")
        kept_note = ax_pts.text(
            0.02, 0.97, "", transform=ax_pts.transAxes, ha="left", va="top", fontsize=12
        )

        edges = np.logspace(-16, 1, 35)
        stairs = ax_tol.stairs(np.zeros(34), edges, fill=True, color=plotting.SKY)
        ax_tol.set_xscale("log")
        tol_line = ax_tol.axvline(
            tol, color=plotting.VERMILION, lw=2, label="tolerance"
        )
        ax_tol.set(xlim=(1e-16, 10), ylim=(0, CRITICAL_STARTS * 0.6))
        plotting.log_axis(ax_tol, "x", range(-16, 1, 4))
        ax_tol.set_xlabel("|∇L| where the search stopped")
        ax_tol.set_ylabel("starts")
        ax_tol.set_title("Kept: left of the red line")
        ax_tol.legend(loc="upper right")

    controls = {
        "tol": widgets.log_slider(
            "gradient tolerance", tol, 1e-12, 1e-1, steps=22, fmt=".0e"
        ),
        "starts": widgets.restarts_slider(starts, min=20, max=CRITICAL_STARTS),
    }

    shown = {}  # the number of starts whose histogram is drawn

    def draw(tol, starts):
        loss = found["loss"][:starts]
        index = found["index"][:starts]
        gnorm = found["grad_norm"][:starts]
        keep = gnorm < tol
        # Many starts land on the same point (the network's symmetries): draw
        # each (index, loss) pair once, its area growing with the count.
        pairs = np.round(np.c_[index[keep], loss[keep]], 3)
        uniq, counts = (
            np.unique(pairs, axis=0, return_counts=True)
            if keep.any()
            else (np.zeros((0, 2)), np.zeros(0))
        )
        dots.set_offsets(uniq)
        dots.set_sizes(30 + 250 * counts / max(counts.max(initial=0), 1))
        if shown.get("starts") != starts:  # the tolerance leaves it as it is
            shown["starts"] = starts
            counts_by_bin = np.histogram(np.clip(gnorm, 1e-16, 9), bins=edges)[0]
            stairs.set_data(counts_by_bin, edges)
        tol_line.set_xdata([tol, tol])
        rho = spearman(loss[keep], index[keep]) if keep.sum() >= 2 else 0.0
        kept_note.set_text(f"{keep.sum()} of {starts} kept")
        return (
            f"Tolerance {tol:.0e}: {keep.sum()} critical points kept, "
            f"{len(uniq)} distinct; rank correlation of loss and index "
            f"ρ = {rho:.2f}."
        )

    alt = (
        "Left: critical points of a 1-3-1 tanh network fitting sin 2x, as blue "
        "dots, their index (share of Hessian eigenvalues below zero) across and "
        "their loss up; a dot's area grows with how many searches ended there; "
        "only points whose gradient is below the tolerance are shown. Right: a "
        "histogram of the gradient norm where each search stopped, on a log "
        "scale, with a vermilion line at the tolerance: the searches left of it "
        "are kept."
    )
    demo = widgets.Demo(fig, controls, draw, alt=alt, exported=("tol",))
    return demo.warm_up("tol")
