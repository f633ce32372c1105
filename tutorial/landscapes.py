"""Error surfaces: value, gradient and Hessian, vectorised over points.

A `Landscape` is any twice-differentiable function of `dim` real variables,
together with a box to draw it in and the minima we know about. The toy
surfaces here are small closed-form functions; `tutorial.nn` builds the same
kind of object from a neural network's loss over its weights, so one optimizer
serves both.

A network's training loss is also a loss *over examples*: the mean of one
loss per training example. Such a landscape knows its number of examples
(`examples`) and can weight them (`weighted_fdf`), so that
`tutorial.optimizers.optimize` can take real minibatch steps on it and
`Landscape.batch_grad` can give the gradient over any subset of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Landscape",
    "quadratic",
    "rastrigin",
    "plateau",
    "get",
    "names",
]

PointsFn = Callable[[np.ndarray], np.ndarray]
WeightedFn = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

# Limits that keep every surface's arrays small enough for a laptop.
MAX_HESSIAN_BYTES = 1 << 26  # one call's Hessians: 64 MiB (a few temporaries too)
MAX_QUADRATIC_DIM = 2000  # a quadratic stores its dim × dim matrix
MAX_EIGENVALUE = 1e9  # |λ|: keeps ½ λ x² finite far beyond any plotting box


@dataclass(frozen=True, eq=False)
class Landscape:
    """A surface f: R^dim -> R with exact gradient and Hessian.

    Parameters
    ----------
    name : str
        Short name, as accepted by `get` for the named surfaces.
    dim : int
        Number of variables (weights).
    bounds : tuple of two arrays, each of shape (dim,)
        The box ``(low, high)`` in which the surface is usually drawn.
    minima : array of shape (k, dim)
        Known local minima (may be empty, ``k = 0``).
    f, df, d2f : callables
        Value, gradient and Hessian on points of shape ``(N, dim)``, returning
        ``(N,)``, ``(N, dim)`` and ``(N, dim, dim)``. Use the methods
        `value`, `grad` and `hessian`, which accept any leading axes.
    description : str
        One line for learners.
    fdf : callable or None
        Value and gradient together on ``(N, dim)`` points, for surfaces (such
        as a network's loss) where computing both at once is cheaper.
    examples : int
        For a loss over training examples, f = (1/m) Σⱼ ℓⱼ, the number m of
        examples; 0 for a surface without data.
    weighted_fdf : callable or None
        Given with `examples`: ``weighted_fdf(x, weights)`` with points x of
        shape ``(N, dim)`` and weights of shape ``(m, N)`` returns the full
        loss f at every point, ``(N,)``, and the gradient of Σⱼ weightsⱼ ℓⱼ,
        ``(N, dim)``: each point gets its own weighting of the examples. One
        pass gives both, which is what a minibatch step needs (the gradient
        over its batch, the full loss to record). Weights 1/m give the full
        gradient (up to rounding); 1/B on B examples and 0 elsewhere give the
        mean gradient over that minibatch.
    """

    name: str
    dim: int
    bounds: tuple[np.ndarray, np.ndarray]
    minima: np.ndarray
    f: PointsFn
    df: PointsFn
    d2f: PointsFn
    description: str = ""
    fdf: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]] | None = None
    examples: int = 0
    weighted_fdf: WeightedFn | None = None

    def __post_init__(self):
        if (self.examples > 0) != (self.weighted_fdf is not None):
            raise ValueError(
                "examples and weighted_fdf go together: a loss over m >= 1 "
                "examples gives both, a surface without data neither"
            )

    def _flat(self, x) -> tuple[np.ndarray, tuple[int, ...]]:
        x = np.asarray(x, dtype=float)
        if x.ndim == 0 or x.shape[-1] != self.dim:
            raise ValueError(
                f"x must have shape (..., {self.dim}) for the {self.name!r} "
                f"surface (dim={self.dim}); got shape {x.shape}"
            )
        return x.reshape(-1, self.dim), x.shape[:-1]

    # Far from the box a value may overflow: ±inf is then the right answer
    # (and exp(-z) -> inf inside a sigmoid gives an exact 0), not a warning.
    def value(self, x) -> np.ndarray:
        """Return f(x); `x` of shape (..., dim) gives shape (...)."""
        flat, lead = self._flat(x)
        with np.errstate(over="ignore"):
            return self.f(flat).reshape(lead)

    def grad(self, x) -> np.ndarray:
        """Return the gradient; `x` of shape (..., dim) gives (..., dim)."""
        flat, lead = self._flat(x)
        with np.errstate(over="ignore"):
            return self.df(flat).reshape(lead + (self.dim,))

    def hessian(self, x) -> np.ndarray:
        """Return the Hessian; `x` of shape (..., dim) gives (..., dim, dim)."""
        flat, lead = self._flat(x)
        size = flat.shape[0] * self.dim * self.dim * 8
        if size > MAX_HESSIAN_BYTES:
            raise ValueError(
                f"x: {flat.shape[0]} Hessians of dim={self.dim} would need "
                f"{size / 2**20:.0f} MiB (at most {MAX_HESSIAN_BYTES >> 20} MiB); "
                "ask for fewer points"
            )
        with np.errstate(over="ignore"):
            return self.d2f(flat).reshape(lead + (self.dim, self.dim))

    def batch_grad(self, x, batch) -> np.ndarray:
        """Return the mean gradient over the examples `batch`, one batch per point.

        Parameters
        ----------
        x : array of shape (n, dim) or (dim,)
        batch : int array of shape (n, B) or (B,)
            Indices in [0, m) of the examples each point averages over; an
            example listed twice counts twice. A (B,) batch serves every point.

        Returns
        -------
        array of shape (n, dim), or (dim,) for a single point x
        """
        if not self.examples:
            raise ValueError(
                f"the {self.name!r} surface is not a loss over examples, so it "
                "has no minibatch gradient"
            )
        flat, lead = self._flat(x)
        if len(lead) > 1:
            raise ValueError(f"x must have shape (n, {self.dim}) or ({self.dim},)")
        n, m = flat.shape[0], self.examples
        idx = np.asarray(batch)
        if idx.ndim == 1:
            idx = np.broadcast_to(idx, (n, idx.size))
        if (
            idx.ndim != 2
            or idx.shape[0] != n
            or idx.shape[1] == 0
            or idx.dtype.kind not in "iu"
            or not np.all((idx >= 0) & (idx < m))
        ):
            raise ValueError(
                f"batch must be whole numbers in [0, {m - 1}] of shape (B,) or "
                f"({n}, B) with B >= 1; got {np.shape(batch)}"
            )
        weights = np.zeros((m, n))
        np.add.at(weights, (idx, np.arange(n)[:, None]), 1.0 / idx.shape[1])
        with np.errstate(over="ignore"):
            grad = self.weighted_fdf(flat, weights)[1]
        return grad.reshape(lead + (self.dim,))

    @property
    def span(self) -> np.ndarray:
        """Return the size of the plotting box along each axis, shape (dim,)."""
        return self.bounds[1] - self.bounds[0]

    def __repr__(self) -> str:
        return f"Landscape({self.name!r}, dim={self.dim})"


def _box(low, high) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(low, dtype=float), np.asarray(high, dtype=float)


def _stack_hessian(*entries: np.ndarray) -> np.ndarray:
    """Build (N, 2, 2) Hessians from the entries h_xx, h_xy, h_yy."""
    hxx, hxy, hyy = entries
    return np.stack([np.stack([hxx, hxy], -1), np.stack([hxy, hyy], -1)], -2)


# ---------------------------------------------------------------- quadratics


def quadratic(eigenvalues, angle: float = 0.0) -> Landscape:
    """Return f(x) = ½ Σ λᵢ zᵢ² with z = R(angle) x.

    Parameters
    ----------
    eigenvalues : sequence of float, length dim
        The curvatures λᵢ along the principal axes. Negative values are
        allowed: a mix of signs is a saddle, all negative a maximum, a zero a
        flat direction.
    angle : float
        Rotation of the principal axes in radians; only for dim = 2.
    """
    try:
        lam = np.atleast_1d(np.asarray(eigenvalues, dtype=float))
    except (TypeError, ValueError, OverflowError):
        lam = np.array([np.nan])
    if (
        lam.ndim != 1
        or not 1 <= lam.size <= MAX_QUADRATIC_DIM
        or not np.all(np.abs(lam) <= MAX_EIGENVALUE)
    ):
        raise ValueError(
            f"eigenvalues must be a 1-D sequence of 1 to {MAX_QUADRATIC_DIM} "
            f"numbers in [-{MAX_EIGENVALUE:g}, {MAX_EIGENVALUE:g}]; "
            f"got {eigenvalues!r}"
        )
    angle = _real(angle, "angle")
    dim = lam.size
    if angle != 0.0 and dim != 2:
        raise ValueError(f"angle is only defined for 2 eigenvalues; got {dim}")
    rot = np.eye(dim)
    if dim == 2:
        c, s = np.cos(angle), np.sin(angle)
        rot = np.array([[c, s], [-s, c]])
    a = rot.T @ np.diag(lam) @ rot
    a = (a + a.T) / 2

    def f(x):
        return 0.5 * np.einsum("ni,ij,nj->n", x, a, x)

    def df(x):
        return x @ a

    def d2f(x):
        return np.broadcast_to(a, (len(x), dim, dim)).copy()

    minima = np.zeros((1, dim)) if np.all(lam > 0) else np.zeros((0, dim))
    return Landscape(
        name="quadratic",
        dim=dim,
        bounds=_box(-2 * np.ones(dim), 2 * np.ones(dim)),
        minima=minima,
        f=f,
        df=df,
        d2f=d2f,
        description=f"quadratic with eigenvalues {np.round(lam, 3).tolist()}",
    )


# ------------------------------------------------------- classic test surfaces


def _rosenbrock() -> Landscape:
    def f(p):
        x, y = p[:, 0], p[:, 1]
        return (1 - x) ** 2 + 100 * (y - x**2) ** 2

    def df(p):
        x, y = p[:, 0], p[:, 1]
        return np.stack([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)], -1)

    def d2f(p):
        x, y = p[:, 0], p[:, 1]
        return _stack_hessian(2 - 400 * y + 1200 * x**2, -400 * x, 200 + 0 * x)

    return Landscape(
        name="rosenbrock",
        dim=2,
        bounds=_box([-2, -1], [2, 3]),
        minima=np.array([[1.0, 1.0]]),
        f=f,
        df=df,
        d2f=d2f,
        description="a long curved banana-shaped valley; minimum at (1, 1)",
    )


def _himmelblau() -> Landscape:
    def f(p):
        x, y = p[:, 0], p[:, 1]
        return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2

    def df(p):
        x, y = p[:, 0], p[:, 1]
        a, b = x**2 + y - 11, x + y**2 - 7
        return np.stack([4 * x * a + 2 * b, 2 * a + 4 * y * b], -1)

    def d2f(p):
        x, y = p[:, 0], p[:, 1]
        hxx = 12 * x**2 + 4 * y - 42
        hyy = 12 * y**2 + 4 * x - 26
        return _stack_hessian(hxx, 4 * x + 4 * y, hyy)

    minima = np.array(
        [
            [3.0, 2.0],
            [-2.805118086952745, 3.131312518250573],
            [-3.779310253377747, -3.283185991286170],
            [3.584428340330492, -1.848126526964404],
        ]
    )
    return Landscape(
        name="himmelblau",
        dim=2,
        bounds=_box([-5, -5], [5, 5]),
        minima=minima,
        f=f,
        df=df,
        d2f=d2f,
        description="four minima of equal depth (zero), one in each quarter",
    )


def _six_hump_camel() -> Landscape:
    def f(p):
        x, y = p[:, 0], p[:, 1]
        return (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2

    def df(p):
        x, y = p[:, 0], p[:, 1]
        gx = 8 * x - 8.4 * x**3 + 2 * x**5 + y
        gy = x - 8 * y + 16 * y**3
        return np.stack([gx, gy], -1)

    def d2f(p):
        x, y = p[:, 0], p[:, 1]
        return _stack_hessian(8 - 25.2 * x**2 + 10 * x**4, 1 + 0 * x, -8 + 48 * y**2)

    # Two global minima (f = -1.0316) and four local ones, found by Newton's
    # method from a grid and checked in the tests.
    minima = np.array(
        [
            [0.08984201310031807, -0.7126564030207396],
            [-0.08984201310031807, 0.7126564030207396],
            [-1.703606714969981, 0.7960835686726251],
            [1.703606714969981, -0.7960835686726251],
            [-1.6071047529201974, -0.5686514548841314],
            [1.6071047529201974, 0.5686514548841314],
        ]
    )
    return Landscape(
        name="six_hump_camel",
        dim=2,
        bounds=_box([-2, -1], [2, 1]),
        minima=minima,
        f=f,
        df=df,
        d2f=d2f,
        description="two global and four local minima",
    )


def rastrigin(dim: int = 2) -> Landscape:
    """Return the Rastrigin surface 10·dim + Σ (xᵢ² − 10 cos 2πxᵢ).

    A bowl covered in ripples: a local minimum near every integer point, the
    global one at the origin. Works in any dimension.
    """
    dim = _check_dim(dim)
    two_pi = 2 * np.pi

    def f(x):
        return 10 * dim + np.sum(x**2 - 10 * np.cos(two_pi * x), axis=-1)

    def df(x):
        return 2 * x + 10 * two_pi * np.sin(two_pi * x)

    def d2f(x):
        diag = 2 + 10 * two_pi**2 * np.cos(two_pi * x)
        return diag[:, :, None] * np.eye(dim)

    return Landscape(
        name="rastrigin",
        dim=dim,
        bounds=_box(-5.12 * np.ones(dim), 5.12 * np.ones(dim)),
        minima=np.zeros((1, dim)),
        f=f,
        df=df,
        d2f=d2f,
        description=(
            "a bowl covered in ripples: many local minima, the best at the origin"
        ),
    )


def _double_well() -> Landscape:
    tilt = 0.3

    def f(p):
        x, y = p[:, 0], p[:, 1]
        return (x**2 - 1) ** 2 + tilt * x + 0.5 * y**2

    def df(p):
        x, y = p[:, 0], p[:, 1]
        return np.stack([4 * x * (x**2 - 1) + tilt, y], -1)

    def d2f(p):
        x = p[:, 0]
        return _stack_hessian(12 * x**2 - 4, 0 * x, 1 + 0 * x)

    # Roots of 4x³ − 4x + 0.3 with positive curvature: the deeper well on the
    # left, a shallower one on the right.
    minima = np.array([[-1.0355787140888537, 0.0], [0.9601495555191055, 0.0]])
    return Landscape(
        name="double_well",
        dim=2,
        bounds=_box([-2, -1.5], [2, 1.5]),
        minima=minima,
        f=f,
        df=df,
        d2f=d2f,
        description="two valleys: a deep one on the left, a shallower one on the right",
    )


def _x_cos_pi_x() -> Landscape:
    def f(p):
        x = p[:, 0]
        return x * np.cos(np.pi * x)

    def df(p):
        x = p[:, 0]
        return (np.cos(np.pi * x) - np.pi * x * np.sin(np.pi * x))[:, None]

    def d2f(p):
        x = p[:, 0]
        h = -2 * np.pi * np.sin(np.pi * x) - np.pi**2 * x * np.cos(np.pi * x)
        return h[:, None, None]

    minima = np.array([[-0.2738526868008509], [1.0904082219467213]])
    return Landscape(
        name="x_cos_pi_x",
        dim=1,
        bounds=_box([-1.0], [2.0]),
        minima=minima,
        f=f,
        df=df,
        d2f=d2f,
        description="a 1-D curve with a shallow local minimum and a deeper global one",
    )


def _monkey_saddle() -> Landscape:
    def f(p):
        x, y = p[:, 0], p[:, 1]
        return x**3 - 3 * x * y**2

    def df(p):
        x, y = p[:, 0], p[:, 1]
        return np.stack([3 * x**2 - 3 * y**2, -6 * x * y], -1)

    def d2f(p):
        x, y = p[:, 0], p[:, 1]
        return _stack_hessian(6 * x, -6 * y, -6 * x)

    return Landscape(
        name="monkey_saddle",
        dim=2,
        bounds=_box([-1.5, -1.5], [1.5, 1.5]),
        minima=np.zeros((0, 2)),
        f=f,
        df=df,
        d2f=d2f,
        description="x³ − 3xy²: three ways down, and a flat point in the middle",
    )


def plateau(dim: int = 2, width: float = 0.5) -> Landscape:
    """Return 1 − exp(−|x|² / (2·width²)): a narrow well in a vast flat plain.

    Far from the origin the gradient is exponentially small, so gradient
    descent barely moves although the loss is high: a flat region.
    """
    dim = _check_dim(dim)
    width = _real(width, "width", 1e-3, 1e3)
    s2 = width**2

    def f(x):
        return 1 - np.exp(-np.sum(x**2, -1) / (2 * s2))

    def df(x):
        e = np.exp(-np.sum(x**2, -1) / (2 * s2))
        return (e / s2)[:, None] * x

    def d2f(x):
        e = np.exp(-np.sum(x**2, -1) / (2 * s2))[:, None, None]
        outer = x[:, :, None] * x[:, None, :]
        return e / s2 * (np.eye(dim) - outer / s2)

    return Landscape(
        name="plateau",
        dim=dim,
        bounds=_box(-3 * np.ones(dim), 3 * np.ones(dim)),
        minima=np.zeros((1, dim)),
        f=f,
        df=df,
        d2f=d2f,
        description=(
            "a narrow well in a large flat plain: far away, the slope is almost zero"
        ),
    )


def _real(value, name: str, low: float = -np.inf, high: float = np.inf) -> float:
    """Return `value` as a float if it is a finite number in [low, high]."""
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, bool
    )
    if not (ok and np.isfinite(value) and low <= value <= high):
        where = f" in [{low:g}, {high:g}]" if np.isfinite([low, high]).all() else ""
        raise ValueError(f"{name} must be a finite number{where}; got {value!r}")
    return float(value)


def _check_dim(dim) -> int:
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim < 1:
        raise ValueError(f"dim must be a whole number >= 1; got {dim!r}")
    if dim > 10_000:
        raise ValueError(f"dim must be at most 10000; got {dim}")
    return int(dim)


_NAMED: dict[str, Callable[[], Landscape]] = {
    "bowl": lambda: _renamed(quadratic([1.0, 1.0]), "bowl", "a round bowl: convex"),
    "valley": lambda: _renamed(
        quadratic([0.5, 10.0], angle=np.pi / 6),
        "valley",
        "a long narrow tilted valley: convex but ill-conditioned (κ = 20)",
    ),
    "rosenbrock": _rosenbrock,
    "himmelblau": _himmelblau,
    "six_hump_camel": _six_hump_camel,
    "rastrigin": rastrigin,
    "double_well": _double_well,
    "x_cos_pi_x": _x_cos_pi_x,
    "saddle": lambda: _renamed(
        quadratic([2.0, -2.0]), "saddle", "x² − y²: up along x, down along y"
    ),
    "monkey_saddle": _monkey_saddle,
    "plateau": plateau,
}


def _renamed(q: Landscape, name: str, description: str) -> Landscape:
    return Landscape(
        name=name,
        dim=q.dim,
        bounds=q.bounds,
        minima=q.minima,
        f=q.f,
        df=q.df,
        d2f=q.d2f,
        description=description,
    )


def names() -> list[str]:
    """Return the names accepted by `get`, in a stable order."""
    return list(_NAMED)


def get(name: str) -> Landscape:
    """Return the named surface (see `names`)."""
    if not isinstance(name, str) or name not in _NAMED:
        raise ValueError(f"name must be one of {', '.join(_NAMED)}; got {name!r}")
    return _NAMED[name]()
