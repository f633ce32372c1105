"""Critical points of any surface, minima and saddles alike, from many starts.

Training only finds minima: it goes downhill. To see the saddles too we minimise
the squared slope ½|∇L|², whose gradient is H∇L and which is zero at every
critical point, whatever its kind. Each start takes Levenberg–Marquardt steps
Δ = −(H² + μI)⁻¹ H∇L, accepted only when |∇L| shrinks; μ falls after a success
(trust the quadratic model more) and grows after a miss. All starts move
together, one batched solve per step.
"""

from __future__ import annotations

import numpy as np

from .landscapes import Landscape

__all__ = ["find_critical_points"]


def find_critical_points(
    landscape: Landscape, x0, *, iterations: int = 40, stop: float = 1e-12
):
    """Search for a critical point from every start.

    Parameters
    ----------
    landscape : Landscape
    x0 : array of shape (n, dim)
        Starting points.
    iterations : int
        Levenberg–Marquardt steps, 1 to 1000.
    stop : float
        A search whose |∇L| is below this is finished (it takes no more steps,
        which saves its Hessians).

    Returns
    -------
    x : array of shape (n, dim)
        Where each search ended.
    grad_norm : array of shape (n,)
        |∇L| there: keep the points where it is small enough for your purpose.
    """
    if not isinstance(landscape, Landscape):
        raise ValueError(
            f"landscape must be a tutorial.landscapes.Landscape; got {landscape!r}"
        )
    if isinstance(iterations, bool) or not isinstance(iterations, (int, np.integer)):
        raise ValueError(
            f"iterations must be a whole number in [1, 1000]; got {iterations!r}"
        )
    if not 1 <= iterations <= 1000:
        raise ValueError(f"iterations must be in [1, 1000]; got {iterations}")
    if not (isinstance(stop, (int, float, np.floating)) and stop >= 0):
        raise ValueError(f"stop must be a number >= 0; got {stop!r}")
    try:
        x = np.array(x0, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"x0 must be an array of numbers; got {x0!r}") from None
    if x.ndim != 2 or x.shape[1] != landscape.dim or x.shape[0] == 0:
        raise ValueError(
            f"x0 must have shape (n, {landscape.dim}) with n >= 1; got {x.shape}"
        )
    if not np.all(np.isfinite(x)):
        raise ValueError("x0 must be finite; it contains NaN or infinity")
    n, dim = x.shape
    mu = np.full(n, 1e-2)
    g = landscape.grad(x)
    gn = np.einsum("ni,ni->n", g, g)
    eye = np.eye(dim)
    with np.errstate(all="ignore"):
        for _ in range(iterations):
            active = np.flatnonzero(gn > stop * stop)
            if active.size == 0:
                break
            xa, ga = x[active], g[active]
            H = landscape.hessian(xa)
            lhs = H @ H + mu[active, None, None] * eye
            step = np.linalg.solve(lhs, np.matmul(H, ga[:, :, None]))[..., 0]
            g_new = landscape.grad(xa - step)
            gn_new = np.einsum("ni,ni->n", g_new, g_new)
            better = np.isfinite(gn_new) & (gn_new < gn[active])
            done = active[better]
            x[done] = xa[better] - step[better]
            g[done], gn[done] = g_new[better], gn_new[better]
            mu[active] = np.clip(
                np.where(better, mu[active] / 3, mu[active] * 4), 1e-12, 1e8
            )
    return x, np.sqrt(gn)
