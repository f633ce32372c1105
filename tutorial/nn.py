"""A tiny multilayer perceptron whose loss over its weights is a Landscape.

All weights of one network are one flat vector of length `dim`. Functions take
many such vectors at once, shape (..., dim), and work on all the networks in
one array operation: internally the networks sit on the last, contiguous axis,
so the first layer is a single matrix product for every network together.
"""

from __future__ import annotations

import numpy as np

from .landscapes import Landscape

__all__ = ["MLP", "ACTIVATIONS", "LOSSES"]

ACTIVATIONS = ("tanh", "sigmoid", "relu")
LOSSES = ("mse", "bce")
MAX_NETWORKS = 1_000_000


def _tanh(z):
    # Cheaper than np.tanh on this kind of CPU, and as accurate (< 1e-15).
    return 2.0 / (1.0 + np.exp(-2.0 * z)) - 1.0


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# Each activation with its derivative written in terms of its output a = act(z),
# so backprop reuses the forward values (for relu, a > 0 exactly where z > 0).
_ACT = {
    "tanh": (_tanh, lambda a: 1.0 - a * a),
    "sigmoid": (_sigmoid, lambda a: a * (1.0 - a)),
    "relu": (lambda z: np.maximum(z, 0.0), lambda a: (a > 0).astype(float)),
}


class MLP:
    """A fully connected network with a linear output layer.

    Parameters
    ----------
    sizes : sequence of int
        Units per layer, input first: ``[2, 4, 1]`` is 2 inputs, 4 hidden
        units, 1 output.
    activation : {"tanh", "sigmoid", "relu"}
        Activation of the hidden layers.

    Attributes
    ----------
    dim : int
        Number of weights and biases, the length of a flat weight vector.
        Layer by layer, each weight matrix (inputs × outputs, row-major) is
        followed by its bias vector.
    """

    def __init__(self, sizes, activation: str = "tanh"):
        sizes = list(sizes) if np.ndim(sizes) == 1 else None
        if (
            sizes is None
            or len(sizes) < 2
            or not all(
                isinstance(s, (int, np.integer)) and 1 <= s <= 4096 for s in sizes
            )
        ):
            raise ValueError(
                "sizes must list at least two layer widths, each a whole number "
                "in [1, 4096], e.g. [2, 4, 1]"
            )
        if activation not in _ACT:
            allowed = ", ".join(ACTIVATIONS)
            raise ValueError(f"activation must be one of {allowed}; got {activation!r}")
        self.sizes = [int(s) for s in sizes]
        self.activation = activation
        self._act, self._dact = _ACT[activation]
        self._slices = []
        start = 0
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:], strict=True):
            w = slice(start, start + fan_in * fan_out)
            b = slice(w.stop, w.stop + fan_out)
            self._slices.append((fan_in, fan_out, w, b))
            start = b.stop
        self.dim = start

    def __repr__(self) -> str:
        return f"MLP({self.sizes}, activation={self.activation!r})"

    @property
    def name(self) -> str:
        """Return a short name such as ``2-4-1 tanh``."""
        return "-".join(map(str, self.sizes)) + f" {self.activation}"

    # ------------------------------------------------------------ weights

    def init(self, n: int = 1, seed: int | None = None, scale: float = 1.0):
        """Draw `n` weight vectors, shape (n, dim).

        Every weight and bias of a layer with `fan_in` inputs is drawn from
        N(0, scale² / fan_in) (LeCun et al. 1998): scale 1 keeps the signal's
        size from layer to layer, a small scale starts near the flat saddle at
        zero.
        """
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise ValueError(
                f"n must be a whole number in [1, {MAX_NETWORKS}]; got {n!r}"
            )
        if not 1 <= n <= MAX_NETWORKS:
            raise ValueError(f"n must be in [1, {MAX_NETWORKS}]; got {n}")
        if not (np.isfinite(scale) and scale >= 0):
            raise ValueError(f"scale must be finite and >= 0; got {scale}")
        rng = np.random.default_rng(seed)
        w = rng.standard_normal((n, self.dim))
        for fan_in, _, ws, bs in self._slices:
            w[:, ws.start : bs.stop] *= scale / np.sqrt(fan_in)
        return w

    def unflatten(self, w) -> list[tuple[np.ndarray, np.ndarray]]:
        """Return [(W, b), ...] for one weight vector of shape (dim,)."""
        w = self._weights(w)[0]
        if w.shape[0] != 1:
            raise ValueError("unflatten takes one weight vector of shape (dim,)")
        return [(w[0, ws].reshape(fi, fo), w[0, bs]) for fi, fo, ws, bs in self._slices]

    def _weights(self, w) -> tuple[np.ndarray, tuple[int, ...]]:
        w = np.asarray(w, dtype=float)
        if w.ndim == 0 or w.shape[-1] != self.dim:
            raise ValueError(
                f"w must have shape (..., {self.dim}) for {self.name}; got {w.shape}"
            )
        return w.reshape(-1, self.dim), w.shape[:-1]

    def _inputs(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.sizes[0] or X.shape[0] == 0:
            raise ValueError(
                f"X must have shape (m, {self.sizes[0]}) with m >= 1; got {X.shape}"
            )
        if not np.all(np.isfinite(X)):
            raise ValueError("X must be finite; it contains NaN or infinity")
        return X

    # ------------------------------------------------------------ forward

    def _forward(self, wt: np.ndarray, X: np.ndarray):
        """Run all N networks; wt is (dim, N). Return activations and outputs.

        Activations are (m, units, N); the last entry is the linear output.
        """
        n = wt.shape[1]
        acts = [X]
        a = X
        last = len(self._slices) - 1
        for k, (fan_in, fan_out, ws, bs) in enumerate(self._slices):
            W = wt[ws].reshape(fan_in, fan_out, n)
            b = wt[bs]
            if k == 0:
                # One matrix product for every network: (m, in) @ (in, out*N).
                z = (X @ W.reshape(fan_in, fan_out * n)).reshape(-1, fan_out, n)
            else:
                z = np.empty((a.shape[0], fan_out, n))
                for o in range(fan_out):
                    z[:, o] = np.einsum("min,in->mn", a, W[:, o])
            z += b
            a = z if k == last else self._act(z)
            acts.append(a)
        return acts

    def predict(self, w, X) -> np.ndarray:
        """Return the network outputs, shape (..., m, out), for w (..., dim)."""
        flat, lead = self._weights(w)
        X = self._inputs(X)
        with np.errstate(all="ignore"):
            out = self._forward(np.ascontiguousarray(flat.T), X)[-1]
        return np.moveaxis(out, -1, 0).reshape(lead + out.shape[:2])

    # ------------------------------------------------------------ landscape

    def landscape(self, X, y, loss: str = "mse") -> Landscape:
        """Return the training loss as a Landscape over the flat weights.

        Parameters
        ----------
        X : array of shape (m, inputs)
        y : array of shape (m,) or (m, outputs)
            Targets; for ``bce`` they must lie in [0, 1].
        loss : {"mse", "bce"}
            ``mse``: mean squared error of the outputs. ``bce``: binary
            cross-entropy with the output read as a logit.
        """
        X = self._inputs(X)
        if loss not in LOSSES:
            raise ValueError(f"loss must be one of {', '.join(LOSSES)}; got {loss!r}")
        y = np.asarray(y, dtype=float)
        if y.ndim == 1:
            y = y[:, None]
        if y.shape != (X.shape[0], self.sizes[-1]):
            raise ValueError(
                f"y must have shape ({X.shape[0]},) or ({X.shape[0]}, "
                f"{self.sizes[-1]}); got {np.shape(y)}"
            )
        if not np.all(np.isfinite(y)):
            raise ValueError("y must be finite; it contains NaN or infinity")
        if loss == "bce" and not np.all((y >= 0) & (y <= 1)):
            raise ValueError("y must lie in [0, 1] for loss='bce'")
        count = y.size
        yt = y[:, :, None]

        def fdf(w):
            wt = np.ascontiguousarray(w.T)
            acts = self._forward(wt, X)
            out = acts[-1]
            if loss == "mse":
                err = out - yt
                value = np.einsum("mon,mon->n", err, err) / count
                delta = err * (2.0 / count)
            else:
                value = (np.logaddexp(0.0, out) - yt * out).sum((0, 1)) / count
                delta = (_sigmoid(out) - yt) / count
            return value, self._backward(wt, acts, delta).T

        def f(w):
            return fdf(w)[0]

        def df(w):
            return fdf(w)[1]

        def d2f(w):
            return self._hessian(df, w)

        return Landscape(
            name=f"{self.name} {loss}",
            dim=self.dim,
            bounds=(-3.0 * np.ones(self.dim), 3.0 * np.ones(self.dim)),
            minima=np.zeros((0, self.dim)),
            f=f,
            df=df,
            d2f=d2f,
            description=f"{loss} loss of a {self.name} network on {len(X)} examples",
            fdf=fdf,
        )

    def _backward(self, wt, acts, delta) -> np.ndarray:
        """Backpropagate d loss / d output; return the gradient, (dim, N)."""
        n = wt.shape[1]
        grad = np.empty_like(wt)
        for k in range(len(self._slices) - 1, -1, -1):
            fan_in, fan_out, ws, bs = self._slices[k]
            a_in = acts[k]
            grad[bs] = delta.sum(0)
            if k == 0:
                gw = a_in.T @ delta.reshape(a_in.shape[0], fan_out * n)
                grad[ws] = gw.reshape(fan_in * fan_out, n)
                break
            W = wt[ws].reshape(fan_in, fan_out, n)
            gw = grad[ws].reshape(fan_in, fan_out, n)
            back = np.zeros_like(a_in)
            for o in range(fan_out):
                d_o = delta[:, o]
                gw[:, o] = np.einsum("min,mn->in", a_in, d_o)
                back += W[:, o] * d_o[:, None, :]
            delta = back * self._dact(a_in)
        return grad

    def _hessian(self, df, w) -> np.ndarray:
        """Central differences of the exact gradient, for all networks at once.

        Accurate to about 1e-8; enough to read the signs of the eigenvalues.
        """
        n, dim = w.shape
        h = 1e-5
        eye = np.eye(dim) * h
        plus = (w[:, None, :] + eye).reshape(-1, dim)
        minus = (w[:, None, :] - eye).reshape(-1, dim)
        cols = (df(plus) - df(minus)).reshape(n, dim, dim) / (2 * h)
        return (cols + np.swapaxes(cols, 1, 2)) / 2
