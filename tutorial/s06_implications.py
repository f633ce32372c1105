"""Notebook 06, implications for training: no guarantees, and what helps.

Everything here is measured on one small problem: a 2-2-1 tanh network (nine
weights) fitted to the four XOR points by mean squared error. It is small
enough to train hundreds of copies at once in a fraction of a second, and hard
enough to show the three things gradient descent does not promise: a good
solution (quality), a known training time, and arriving at all (convergence).

Every experiment is one vectorised `optimize` call: restarts, learning rates
and noise levels sit side by side as separate runs, with per-run rates and
noise of shape (1, n).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from . import datasets, plotting, widgets
from .checks import Feedback, as_number, check_choice, check_number
from .nn import MLP
from .optimizers import optimize
from .sections import returns_inf

__all__ = [
    "network",
    "loss_surface",
    "starts",
    "learned",
    "steps_to_reach",
    "train",
    "restart_stats",
    "lr_sweep",
    "heat_map",
    "method_sweep",
    "schedule",
    "compare_schedules",
    "scale_sweep",
    "restarts_demo",
    "lr_demo",
    "heatmap_demo",
    "methods_demo",
    "schedule_demo",
    "ex06_best_of_k",
    "ex06_momentum_factor",
    "ex06_remedy",
    "DEMOS",
]

SIZES = (2, 2, 1)
STEPS = 600  # the training budget used throughout
EVERY = 10  # record every 10th step: curves stay smooth, memory stays small
LR = 0.3  # a good plain-GD rate for this problem (see lr_sweep)
TARGET = 0.01  # "arrived": mean squared error below this
SWEEP_LRS = np.geomspace(0.01, 3.0, 16)
HEAT_LRS = np.geomspace(0.03, 1.0, 9)
HEAT_NOISES = np.array([0.0, 0.03, 0.1, 0.3, 1.0])
METHOD_LRS = np.geomspace(0.003, 3.0, 11)
METHODS = {"gd": "gradient descent", "momentum": "momentum (β = 0.9)", "adam": "Adam"}
SCHEDULES = ("constant", "cosine", "step", "linear")
LOSS_FLOOR = 1e-8  # losses below this are drawn at the floor of the log axis


@lru_cache(maxsize=1)
def network() -> MLP:
    """Return the model: a 2-2-1 tanh network (9 weights)."""
    return MLP(list(SIZES), "tanh")


@lru_cache(maxsize=1)
def loss_surface():
    """Return the XOR training loss (mean squared error) as a Landscape."""
    X, y = datasets.xor()
    return network().landscape(X, y, loss="mse")


def starts(n: int, seed: int = 0, scale: float = 1.0) -> np.ndarray:
    """Return n random initial weight vectors, shape (n, 9)."""
    return network().init(n, seed=seed, scale=scale)


def learned(w) -> np.ndarray:
    """Return True for weights that classify all four XOR points correctly.

    A point counts as correct when the output is within 0.5 of its 0/1 label,
    so the verdict is not fooled by the jitter that noise leaves in the loss.
    """
    X, y = datasets.xor()
    out = network().predict(w, X)[..., 0]
    with np.errstate(invalid="ignore"):
        return (np.abs(out - y) < 0.5).all(-1)


@returns_inf("steps to reach TARGET are inf for runs that never do")
def steps_to_reach(traj, target: float = TARGET) -> np.ndarray:
    """Return the first recorded step with loss < target per run, inf if never."""
    hit = traj.loss < target
    first = traj.t[hit.argmax(0)].astype(float)
    return np.where(hit.any(0), first, np.inf)


def train(
    x0,
    lr=LR,
    *,
    steps: int = STEPS,
    noise=0.0,
    method: str = "gd",
    seed: int = 0,
    every: int = EVERY,
):
    """Train the XOR network from every row of x0 at once; return a Trajectory."""
    return optimize(
        loss_surface(),
        x0,
        lr=lr,
        steps=steps,
        noise=noise,
        method=method,
        seed=seed,
        every=every,
    )


def _summary(traj, groups: int) -> dict:
    """Split runs into `groups` equal blocks and summarise each block."""
    n = traj.final.shape[0] // groups
    ok = (learned(traj.final) & ~traj.diverged).reshape(groups, n)
    reach = steps_to_reach(traj).reshape(groups, n)
    final = traj.final_loss.reshape(groups, n)
    return {
        "learned": ok.mean(1),
        "diverged": traj.diverged.reshape(groups, n).mean(1),
        "arrived": np.isfinite(reach).mean(1),
        "median_steps": np.median(reach, axis=1),
        "median_loss": np.median(final, axis=1),
        "median_curve": np.median(traj.loss.reshape(-1, groups, n), axis=2),
        "t": traj.t,
    }


@returns_inf("steps to reach TARGET are inf for runs that never do")
def restart_stats(n: int = 200, lr: float = LR, seed: int = 0, scale: float = 1.0):
    """Return the quality of n restarts: a dict of arrays over the runs.

    Keys: ``final_loss`` (n,), ``learned`` (n,) bool, ``steps`` (n,) steps to
    reach TARGET (inf if never) and ``traj`` the Trajectory itself.
    """
    traj = train(starts(n, seed, scale), lr)
    return {
        "final_loss": traj.final_loss,
        "learned": learned(traj.final) & ~traj.diverged,
        "steps": steps_to_reach(traj),
        "traj": traj,
    }


@returns_inf("median steps to reach TARGET are inf where most runs never do")
def lr_sweep(
    lrs=SWEEP_LRS, n: int = 50, seed: int = 0, method: str = "gd", steps=STEPS
):
    """Train n restarts at each learning rate, all in one call.

    Every rate starts from the same n weight vectors, so rates are compared
    on equal terms. Returns a dict of arrays of shape (len(lrs),): the share
    that ``learned`` XOR, ``diverged``, ``arrived`` below TARGET, and the
    ``median_steps`` to arrive (inf where half or more never arrive, as in
    `steps_to_reach`) and ``median_loss`` at the end; plus ``lrs``,
    ``median_curve`` (rows, len(lrs)), the median loss at each recorded step
    ``t``.
    """
    lrs = np.asarray(lrs, dtype=float)
    x0 = np.tile(starts(n, seed), (lrs.size, 1))
    traj = train(x0, np.repeat(lrs, n)[None, :], method=method, steps=steps)
    return {"lrs": lrs, **_summary(traj, lrs.size)}


def heat_map(
    lrs=HEAT_LRS, noises=HEAT_NOISES, n: int = 16, seed: int = 0, steps: int = STEPS
):
    """Train n restarts for every (learning rate, noise) pair in one call.

    Returns a dict with ``median_loss`` and ``learned`` of shape
    (len(lrs), len(noises)), the axes ``lrs`` and ``noises``, and ``best``,
    the (i, j) index of the cell with the lowest median final loss.
    """
    lrs = np.asarray(lrs, dtype=float)
    noises = np.asarray(noises, dtype=float)
    cells = lrs.size * noises.size
    lr_grid, noise_grid = np.meshgrid(lrs, noises, indexing="ij")
    traj = train(
        np.tile(starts(n, seed), (cells, 1)),
        np.repeat(lr_grid.ravel(), n)[None, :],
        noise=np.repeat(noise_grid.ravel(), n)[None, :],
        seed=seed,
        steps=steps,
        every=steps,
    )
    stats = _summary(traj, cells)
    median = stats["median_loss"].reshape(lr_grid.shape)
    best = np.unravel_index(np.argmin(median), median.shape)
    return {
        "lrs": lrs,
        "noises": noises,
        "median_loss": median,
        "learned": stats["learned"].reshape(lr_grid.shape),
        "best": (int(best[0]), int(best[1])),
    }


@returns_inf("as lr_sweep")
def method_sweep(lrs=METHOD_LRS, n: int = 20, seed: int = 0, steps: int = STEPS):
    """Run `lr_sweep` for gradient descent, momentum and Adam on the same starts.

    Returns {method: lr_sweep result}.
    """
    return {m: lr_sweep(lrs, n, seed, method=m, steps=steps) for m in METHODS}


def schedule(kind: str, lr: float, steps: int = STEPS) -> np.ndarray:
    """Return a learning-rate schedule of shape (steps,).

    ``constant``: η throughout. ``cosine``: η·½(1 + cos(πt/T)), from η down to
    0 (Loshchilov & Hutter 2017). ``step``: η, then η/10 after half the steps
    and η/100 after three quarters. ``linear``: η·(1 − t/T).
    """
    if kind not in SCHEDULES:
        raise ValueError(f"kind must be one of {', '.join(SCHEDULES)}; got {kind!r}")
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be finite and > 0; got {lr}")
    t = np.arange(steps) / max(steps, 1)
    if kind == "constant":
        shape = np.ones_like(t)
    elif kind == "cosine":
        shape = 0.5 * (1 + np.cos(np.pi * t))
    elif kind == "step":
        shape = np.select([t < 0.5, t < 0.75], [1.0, 0.1], 0.01)
    else:
        shape = 1 - t
    # Keep every rate strictly positive, as optimize requires.
    return lr * np.maximum(shape, 1e-4)


def compare_schedules(
    lr: float = LR, noise: float = 0.1, kind: str = "cosine", n: int = 40, seed=0
):
    """Train the same starts with a constant rate and a decaying one, with noise.

    Both halves run in one call (the rate has shape (steps, 2n)) and see the
    same noise seed. Returns (constant, decayed): two dicts with ``loss``
    (rows, n), ``t`` and ``final_loss`` (n,).
    """
    x0 = starts(n, seed)
    lr_table = np.c_[
        np.repeat(schedule("constant", lr)[:, None], n, 1),
        np.repeat(schedule(kind, lr)[:, None], n, 1),
    ]
    traj = train(np.r_[x0, x0], lr_table, noise=noise, seed=seed)
    halves = []
    for part in (slice(0, n), slice(n, 2 * n)):
        halves.append(
            {"loss": traj.loss[:, part], "t": traj.t, "final_loss": traj.loss[-1, part]}
        )
    return tuple(halves)


@returns_inf("as lr_sweep")
def scale_sweep(scales=(0.1, 0.3, 1.0, 3.0), n: int = 100, seed: int = 0, lr=LR):
    """Train n restarts from each initial scale, in one call.

    Returns a dict of arrays of shape (len(scales),) as `lr_sweep` does, plus
    ``scales``.
    """
    scales = np.asarray(scales, dtype=float)
    x0 = starts(n, seed)
    traj = train((scales[:, None, None] * x0).reshape(-1, x0.shape[1]), lr)
    return {"scales": scales, **_summary(traj, scales.size)}


# ---------------------------------------------------------------- demos


def _floor(loss):
    return np.clip(plotting.positive_floor(loss, LOSS_FLOOR), LOSS_FLOOR, 1e3)


def _loss_axis(ax, title):
    ax.set_yscale("log")
    ax.set(xlim=(0, STEPS), ylim=(LOSS_FLOOR, 10), xlabel="step", ylabel="loss (MSE)")
    ax.axhline(TARGET, color=plotting.GREY, ls="--", lw=1)
    # x in axes fraction: the label stays at the right edge when steps change.
    ax.text(
        1.0,
        TARGET,
        "target ",
        ha="right",
        va="bottom",
        color=plotting.GREY,
        transform=ax.get_yaxis_transform(),
    )
    ax.set_title(title)


def restarts_demo(restarts: int = 100, scale: float = 1.0, seed: int = 0):
    """Loss curves of many restarts | histogram of their final losses."""
    shown = 40
    bins = np.linspace(np.log10(LOSS_FLOOR), 1.0, 19)
    fig, (ax_c, ax_h) = plotting.new_figure(10.5, 3.9, ncols=2)
    with plotting.style():
        lines = [ax_c.plot([], [], lw=1, alpha=0.7)[0] for _ in range(shown)]
        _loss_axis(ax_c, "1. each restart (blue: learned XOR, orange: not)")
        bars = ax_h.bar(
            bins[:-1],
            np.zeros(bins.size - 1),
            width=np.diff(bins),
            align="edge",
            color=plotting.BLUE,
            edgecolor="white",
        )
        ax_h.set(xlabel="final loss, log₁₀ (left is better)", ylabel="restarts")
        ax_h.set_xlim(bins[0], bins[-1])
        ax_h.set_title(f"2. final loss after {STEPS} steps (blue: below target)")

    controls = {
        "restarts": widgets.restarts_slider(restarts, min=10, max=400, step=10),
        "scale": widgets.float_slider(
            "initial scale", scale, 0.1, 4.0, 0.1, continuous_update=False
        ),
        "seed": widgets.seed_slider(seed),
    }
    # A redraw trains up to 400 networks: update when the slider is released.
    controls["seed"].continuous_update = False

    def draw(restarts, scale, seed):
        stats = restart_stats(restarts, LR, seed, scale)
        traj, ok = stats["traj"], stats["learned"]
        for i, line in enumerate(lines):
            if i < restarts:
                line.set_data(traj.t, _floor(traj.loss[:, i]))
                line.set_color(plotting.BLUE if ok[i] else plotting.ORANGE)
            else:
                line.set_data([], [])
        logs = np.log10(np.clip(stats["final_loss"], LOSS_FLOOR, 9.9))
        counts = np.histogram(logs, bins)[0]
        for bar, count, left in zip(bars, counts, bins, strict=False):
            bar.set_height(count)
            bar.set_color(plotting.BLUE if left < np.log10(TARGET) else plotting.ORANGE)
        ax_h.set_ylim(0, max(counts.max(), 1) * 1.1)
        reach = stats["steps"][np.isfinite(stats["steps"])]
        timing = (
            f" Those that arrived took {reach.min():.0f} to {reach.max():.0f} steps."
            if reach.size
            else ""
        )
        return (
            f"Initial scale {scale:.1f}: {ok.sum()} of {restarts} restarts learned XOR "
            f"({ok.mean():.0%}); the rest had not after {STEPS} steps.{timing}"
        )

    return widgets.Demo(fig, controls, draw)


@lru_cache(maxsize=2)
def _cached_sweep(seed: int = 0):
    return lr_sweep(SWEEP_LRS, 50, seed)


def lr_demo(lr: float = LR):
    """Loss curves at one rate | learned/diverged vs rate | time to arrive vs rate."""
    runs = 30
    sweep = _cached_sweep(0)
    fig, (ax_c, ax_f, ax_t) = plotting.new_figure(12.0, 3.9, ncols=3)
    with plotting.style():
        lines = [ax_c.plot([], [], lw=1, alpha=0.7)[0] for _ in range(runs)]
        _loss_axis(ax_c, f"1. {runs} restarts (grey: never arrive)")
        ax_f.semilogx(
            sweep["lrs"],
            sweep["learned"],
            "o-",
            color=plotting.BLUE,
            label="learned XOR",
        )
        ax_f.semilogx(
            sweep["lrs"],
            sweep["diverged"],
            "s-",
            color=plotting.DIVERGED,
            label="diverged",
        )
        ax_f.set(xlabel="learning rate η", ylabel="share of 50 restarts", ylim=(0, 1))
        ax_f.set_title("2. too small, right, too large")
        ax_f.legend(loc="center left")
        steps = sweep["median_steps"]
        steps = np.where(np.isfinite(steps), steps, np.nan)
        ax_t.semilogx(sweep["lrs"], steps, "o-", color=plotting.GREEN)
        ax_t.set(
            xlabel="learning rate η",
            ylabel=f"median steps to loss < {TARGET}",
            ylim=(0, STEPS),
        )
        ax_t.set_title("3. time to arrive (none: most never do)")
        ax_t.set_xlim(ax_f.get_xlim())
        marks = [
            ax.axvline(lr, color=plotting.BLACK, lw=1, ls=":") for ax in (ax_f, ax_t)
        ]

    controls = {"lr": widgets.lr_slider(lr, min=0.01, max=3.0, continuous_update=False)}

    def draw(lr):
        traj = train(starts(runs, 0), lr)
        reach = steps_to_reach(traj)
        for i, line in enumerate(lines):
            line.set_data(traj.t, _floor(traj.loss[:, i]))
            line.set_color(
                plotting.DIVERGED
                if traj.diverged[i]
                else plotting.BLUE
                if np.isfinite(reach[i])
                else plotting.GREY
            )
        for mark in marks:
            mark.set_xdata([lr, lr])
        arrived, div = np.isfinite(reach).sum(), traj.diverged.sum()
        if div > runs // 2:
            return f"η = {lr:.3g}: {div} of {runs} runs diverged. Too large."
        if arrived < runs // 2:
            return (
                f"η = {lr:.3g}: only {arrived} of {runs} runs reached loss {TARGET} "
                f"in {STEPS} steps. Too small (or stuck)."
            )
        return (
            f"η = {lr:.3g}: {arrived} of {runs} reached loss {TARGET}, in a median "
            f"of {np.median(reach[np.isfinite(reach)]):.0f} steps; {div} diverged."
        )

    return widgets.Demo(fig, controls, draw)


def heatmap_demo(steps: int = STEPS, restarts: int = 16, seed: int = 0):
    """Median final loss | share learned, over learning rate × gradient noise."""
    nl, nn_ = HEAT_LRS.size, HEAT_NOISES.size
    fig, (ax_l, ax_s) = plotting.new_figure(11.0, 4.2, ncols=2)
    with plotting.style():
        im_l = ax_l.imshow(
            np.zeros((nn_, nl)),
            origin="lower",
            aspect="auto",
            cmap="viridis",
            vmin=-8,
            vmax=0,
            zorder=plotting.IMAGE_ZORDER,
        )
        fig.colorbar(im_l, ax=ax_l, label="log₁₀ median final loss")
        im_s = ax_s.imshow(
            np.zeros((nn_, nl)),
            origin="lower",
            aspect="auto",
            cmap="cividis",
            vmin=0,
            vmax=1,
            zorder=plotting.IMAGE_ZORDER,
        )
        fig.colorbar(im_s, ax=ax_s, label="share that learned XOR")
        stars = []
        for ax, title in (
            (ax_l, "1. median final loss (dark is low)"),
            (ax_s, "2. share of restarts that learned"),
        ):
            ax.set_xticks(range(nl), [f"{v:.2g}" for v in HEAT_LRS], rotation=45)
            ax.set_yticks(range(nn_), [f"{v:g}" for v in HEAT_NOISES])
            ax.set(xlabel="learning rate η", ylabel="gradient noise σ")
            ax.set_title(title)
            stars.append(ax.plot([], [], "*", color="white", mec="black", ms=18)[0])

    controls = {
        "steps": widgets.steps_slider(steps, min=100, max=800, step=100),
        "restarts": widgets.int_slider("restarts per cell", restarts, 4, 24, 4),
        "seed": widgets.seed_slider(seed),
    }

    def draw(steps, restarts, seed):
        res = heat_map(n=restarts, seed=seed, steps=steps)
        loss = np.log10(np.clip(res["median_loss"], 1e-8, 1.0))
        im_l.set_data(loss.T)
        im_s.set_data(res["learned"].T)
        i, j = res["best"]
        for star in stars:
            star.set_data([i], [j])
        return (
            f"{nl * nn_ * restarts} networks, {steps} steps each. Best cell (star): "
            f"η = {HEAT_LRS[i]:.2g}, σ = {HEAT_NOISES[j]:g}, median loss "
            f"{res['median_loss'][i, j]:.1e}, {res['learned'][i, j]:.0%} learned."
        )

    return widgets.Demo(fig, controls, draw, manual=True)


def methods_demo(steps: int = STEPS, seed: int = 0):
    """Share learned vs learning rate | median loss at each method's best rate."""
    colours = {"gd": plotting.BLUE, "momentum": plotting.ORANGE, "adam": plotting.GREEN}
    fig, (ax_f, ax_c) = plotting.new_figure(11.0, 3.9, ncols=2)
    with plotting.style():
        sweep_lines, curve_lines = {}, {}
        for m, label in METHODS.items():
            (sweep_lines[m],) = ax_f.semilogx(
                [], [], "o-", color=colours[m], label=label
            )
            (curve_lines[m],) = ax_c.plot([], [], color=colours[m], label=label)
        ax_f.set(
            xlim=(METHOD_LRS[0], METHOD_LRS[-1]),
            ylim=(0, 1),
            xlabel="learning rate η",
            ylabel="share that learned XOR",
        )
        ax_f.set_title("1. same 20 starts, three optimizers")
        _loss_axis(ax_c, "2. median loss, each at its best η")
        ax_c.legend(loc="lower left")

    controls = {
        "steps": widgets.steps_slider(steps, min=100, max=800, step=100),
        "seed": widgets.seed_slider(seed),
    }

    def draw(steps, seed):
        words = []
        for m in METHODS:
            res = lr_sweep(METHOD_LRS, 20, seed, method=m, steps=steps)
            sweep_lines[m].set_data(res["lrs"], res["learned"])
            best = int(np.argmax(res["learned"]))
            curve_lines[m].set_data(res["t"], _floor(res["median_curve"][:, best]))
            words.append(
                f"{m} {res['learned'][best]:.0%} at η = {METHOD_LRS[best]:.2g}"
            )
        ax_c.set_xlim(0, steps)
        return f"Best share learned in {steps} steps: " + "; ".join(words) + "."

    return widgets.Demo(fig, controls, draw, manual=True)


def schedule_demo(lr: float = LR, noise: float = 0.1, kind: str = "cosine"):
    """Median loss with a constant and a decaying rate | the two schedules."""
    fig, (ax_c, ax_s) = plotting.new_figure(10.5, 3.8, ncols=2)
    with plotting.style():
        (const_line,) = ax_c.plot([], [], color=plotting.ORANGE, label="constant η")
        (decay_line,) = ax_c.plot([], [], color=plotting.BLUE, label="decaying η")
        _loss_axis(ax_c, "1. median loss of 40 noisy runs")
        ax_c.legend(loc="lower left")
        t = np.arange(STEPS)
        (const_s,) = ax_s.plot(t, np.zeros(STEPS), color=plotting.ORANGE)
        (decay_s,) = ax_s.plot(t, np.zeros(STEPS), color=plotting.BLUE)
        ax_s.set(xlim=(0, STEPS), xlabel="step", ylabel="learning rate η")
        ax_s.set_title("2. the two schedules")

    controls = {
        "lr": widgets.lr_slider(lr, min=0.03, max=1.0, continuous_update=False),
        "noise": widgets.noise_slider(
            noise, max=0.5, step=0.05, continuous_update=False
        ),
        "kind": widgets.choice("decay", list(SCHEDULES[1:]), kind),
    }

    def draw(lr, noise, kind):
        const, decay = compare_schedules(lr, noise, kind)
        const_line.set_data(const["t"], _floor(np.median(const["loss"], 1)))
        decay_line.set_data(decay["t"], _floor(np.median(decay["loss"], 1)))
        const_s.set_ydata(schedule("constant", lr))
        decay_s.set_ydata(schedule(kind, lr))
        ax_s.set_ylim(0, lr * 1.1)
        a, b = np.median(const["final_loss"]), np.median(decay["final_loss"])
        return (
            f"σ = {noise:g}: median final loss {a:.2e} with constant η = {lr:.3g}, "
            f"{b:.2e} with {kind} decay."
        )

    return widgets.Demo(fig, controls, draw)


# ---------------------------------------------------------------- exercises


def ex06_best_of_k(answer, k: int = 3) -> Feedback:
    """Check the chance that at least one of k restarts learns XOR."""
    value = as_number(answer)
    if isinstance(value, Feedback):
        return value
    p = float(restart_stats(200)["learned"].mean())
    return check_number(
        value,
        1 - (1 - p) ** k,
        rel=0.02,
        hint=f"One restart fails with probability 1 − p = {1 - p:.2f}; all {k} "
        f"fail together with probability (1 − p)^{k}.",
    )


def ex06_momentum_factor(answer) -> Feedback:
    """Check how much longer momentum's steps get on a steady slope (β = 0.9)."""
    return check_number(
        answer,
        10.0,
        rel=0.05,
        hint="On a steady slope the velocity settles where v = βv + η·g, so "
        "v = η·g / (1 − β).",
    )


REMEDIES = {
    "diverges": "lower the learning rate",
    "crawls": "raise the learning rate",
    "stuck": "restart from a new seed",
}


def ex06_remedy(answer, symptom: str = "diverges") -> Feedback:
    """Check the first thing to try for a symptom: diverges, crawls or stuck."""
    if symptom not in REMEDIES:
        return Feedback(
            False, f"Unknown symptom {symptom!r}; use one of {list(REMEDIES)}."
        )
    return check_choice(
        answer,
        REMEDIES[symptom],
        tuple(REMEDIES.values()),
        hint="Look at demos 2 and 1 again: which runs blew up, which ran out of "
        "steps, and which settled at a loss far above the target?",
        why=f"A run that {symptom}: {REMEDIES[symptom]}.",
    )


DEMOS = {
    "restarts": restarts_demo,
    "lr": lr_demo,
    "heatmap": heatmap_demo,
    "methods": methods_demo,
    "schedule": schedule_demo,
}
