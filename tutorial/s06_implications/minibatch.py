"""Real noise: minibatch SGD against the Gaussian model of gradient noise."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from .. import plotting, widgets
from ..optimizers import optimize
from ._common import (
    BATCH,
    COPIES,
    EVERY,
    LR,
    SGD_RUNS,
    STEPS,
    _batch_slider,
    _floor,
    _loss_axis,
    _read_only,
    _solved,
    data_surface,
    examples,
    network,
    starts,
    train_sgd,
)


def gradient_noise(w, batch: int, data: str = "exact") -> np.ndarray:
    """Return the typical size of a minibatch gradient's error at w (..., 9).

    A batch of B of the m examples, drawn without replacement, has a gradient
    whose error g_B − g has mean zero and mean squared length
    (m − B) / (B (m − 1)) times the mean squared distance of the examples'
    own gradients g_i from their mean g. We return its square root: the
    spread of the examples' gradients, shrunk by the batch. At an exact fit
    every g_i is zero, and so is this.
    """
    w = np.asarray(w, dtype=float)
    flat = w.reshape(-1, w.shape[-1])
    surface = data_surface(data)
    X, y = examples(data)
    # Copies of an example share its gradient: one per distinct (x, y).
    _, first, counts = np.unique(
        np.c_[X, y], axis=0, return_index=True, return_counts=True
    )
    grads = np.stack([surface.batch_grad(flat, [i]) for i in first])
    share = counts / counts.sum()
    mean = np.einsum("e,epd->pd", share, grads)
    spread = np.einsum("e,ep->p", share, ((grads - mean) ** 2).sum(-1))
    m = surface.examples
    shrink = (m - batch) / (batch * (m - 1))
    return np.sqrt(spread * shrink).reshape(w.shape[:-1])


def _summary_of(traj, noise) -> dict:
    return _read_only(
        {
            "t": traj.t,
            "median": np.median(traj.loss, axis=1),
            "noise": noise,
            "final_loss": traj.final_loss,
            "learned": _solved(traj),
        }
    )


@lru_cache(maxsize=4)
def _full_run(n: int, seed) -> dict:
    traj = optimize(data_surface(), starts(n, seed), lr=LR, steps=STEPS, every=EVERY)
    return _summary_of(traj, np.zeros(traj.t.size))


@lru_cache(maxsize=8)
def _sgd_run(batch: int, n: int, seed) -> dict:
    traj = train_sgd(starts(n, seed), batch=batch, seed=seed)
    return _summary_of(traj, np.median(gradient_noise(traj.path, batch), axis=1))


@lru_cache(maxsize=12)
def _model_run(sigma: float, n: int, seed) -> dict:
    traj = optimize(
        data_surface(),
        starts(n, seed),
        lr=LR,
        steps=STEPS,
        every=EVERY,
        noise=sigma,
        seed=seed,
    )
    return _summary_of(traj, np.full(traj.t.size, sigma * math.sqrt(network().dim)))


def sgd_vs_model(batch: int = BATCH, sigma: float = 0.1, n: int = SGD_RUNS, seed=0):
    """Train the same n starts three ways on the exact XOR examples.

    Full-batch descent, minibatch SGD with `batch`, and descent with the
    Gaussian model of noise of size `sigma`, all at η = LR for STEPS steps.
    Returns {"full", "sgd", "model"}: dicts with ``t``, ``median`` (rows,) the
    median loss, ``noise`` (rows,) the median size of the gradient's error
    (3σ for the model: σ in each of 9 weights), ``final_loss`` (n,) and
    ``learned`` (n,). Each of the three is cached (read-only arrays), so a
    demo that changes σ trains only the model's runs again.
    """
    return {
        "full": _full_run(n, seed),
        "sgd": _sgd_run(batch, n, seed),
        "model": _model_run(sigma, n, seed),
    }


def _sgd_panels(floor: float):
    fig, (ax_l, ax_n) = plotting.new_figure(11.0, 4.0, ncols=2)
    colours = {"full": plotting.GREY, "sgd": plotting.BLUE, "model": plotting.ORANGE}
    labels = {
        "full": "full batch (no noise)",
        "sgd": "minibatch SGD",
        "model": "Gaussian model",
    }
    with plotting.style():
        loss = {
            k: ax_l.plot(
                [], [], color=c, ls="--" if k == "full" else "-", label=labels[k]
            )[0]
            for k, c in colours.items()
        }
        _loss_axis(ax_l, f"1. median loss of {SGD_RUNS} runs, same starts", floor=floor)
        ax_l.legend(loc="lower left")
        noise = {
            k: ax_n.plot([], [], color=colours[k], label=labels[k])[0]
            for k in ("sgd", "model")
        }
        plotting.log_axis(ax_n, "y")
        ax_n.set(
            xlim=(0, STEPS),
            ylim=(1e-16, 10),
            xlabel="step",
            ylabel="size of the gradient's error",
        )
        ax_n.set_title("2. how big the noise is (median)")
        ax_n.legend(loc="lower left")
    return fig, loss, noise


def sgd_demo(batch: int = BATCH, sigma: float = 0.1):
    """Median loss: full batch, minibatch, Gaussian model | size of their noise."""
    floor = 1e-30
    fig, loss, noise = _sgd_panels(floor)
    controls = {
        "batch": _batch_slider(batch),
        "sigma": widgets.float_slider(
            "Gaussian model σ", sigma, 0.0, 0.5, 0.05, continuous_update=False
        ),
    }

    def draw(batch, sigma):
        batch = int(round(batch))
        res = sgd_vs_model(batch, round(sigma, 3))
        for key, line in loss.items():
            line.set_data(res[key]["t"], _floor(res[key]["median"], floor))
        for key, line in noise.items():
            line.set_data(res[key]["t"], _floor(res[key]["noise"], 1e-16))
        said = {
            k: f"median loss {np.median(r['final_loss']):.0e}, "
            f"{r['learned'].mean():.0%} learned"
            for k, r in res.items()
        }
        return (
            f"After {STEPS} steps at η = {LR}: minibatch B = {batch}: {said['sgd']}; "
            f"Gaussian σ = {sigma:g}: {said['model']}; full batch: {said['full']}."
        )

    alt = (
        f"Two panels, {SGD_RUNS} runs from the same starts on XOR with every corner "
        f"{COPIES} times, η = {LR}. 1: median loss against step (log axis) for "
        "full-batch descent (grey dashed), minibatch SGD with batch size B (blue) "
        "and descent with the Gaussian noise model of size σ (orange). 2: the "
        "median size of each one's gradient error against step (log axis): "
        "minibatch in blue, the model's constant 3σ in orange."
    )
    return widgets.Demo(fig, controls, draw, alt=alt, exported=("batch",))
