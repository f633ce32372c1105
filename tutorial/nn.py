"""A tiny multilayer perceptron whose loss over its weights is a Landscape.

All weights of one network are one flat vector of length `dim`. Functions take
many such vectors at once, shape (..., dim), and work on all the networks in
one array operation: internally the networks sit on the last, contiguous axis,
so the first layer is a single matrix product for every network together.
`WidthBlock` goes one step further: networks of several widths side by side
as a single Landscape, so that one `optimize` call trains them all.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .landscapes import Landscape
from .seeding import generator

__all__ = ["MLP", "Layer", "WidthBlock", "ACTIVATIONS", "LOSSES"]

ACTIVATIONS = ("tanh", "sigmoid", "relu")
LOSSES = ("mse", "bce")
MAX_NETWORKS = 1_000_000
MAX_INIT_BYTES = 1 << 28  # n × dim weights from `init`: 256 MiB
MAX_PASS_BYTES = 1 << 28  # one forward and backward pass over many networks


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# Each activation as three parts, chosen so that a forward pass makes no
# temporary array and gives the same numbers bit for bit as the textbook
# formulas: `scale`, the factor its formula first multiplies z by (exact, a
# power of two, so the first layer folds it into its inputs); `finish`, the
# rest of the formula, in place on scale·z; and `dact`, the derivative written
# in terms of the output a = act(z) (backprop reuses the forward values; for
# relu, a > 0 exactly where z > 0), into a given array.
def _tanh_finish(u):
    # tanh(z) = 2 / (1 + exp(-2z)) - 1 with u = -2z: cheaper than np.tanh on
    # this kind of CPU, and as accurate (< 1e-15).
    np.exp(u, out=u)
    u += 1.0
    np.divide(2.0, u, out=u)
    u -= 1.0


def _sigmoid_finish(u):
    np.exp(u, out=u)  # u = -z
    u += 1.0
    np.divide(1.0, u, out=u)


def _dtanh(a, out):
    np.multiply(a, a, out=out)
    np.subtract(1.0, out, out=out)


def _dsigmoid(a, out):
    np.subtract(1.0, a, out=out)
    np.multiply(a, out, out=out)


_ACT = {
    "tanh": (-2.0, _tanh_finish, _dtanh),
    "sigmoid": (-1.0, _sigmoid_finish, _dsigmoid),
    "relu": (
        1.0,
        lambda u: np.maximum(u, 0.0, out=u),
        lambda a, out: np.greater(a, 0.0, out=out),
    ),
}
MAX_KEPT_BYTES = 1 << 25  # a landscape keeps at most 32 MiB of work arrays


class _Work:
    """The arrays of one forward and backward pass, reused from step to step.

    A pass over n networks fills a few (m, units, n) arrays. Kept, every step
    touches the same memory, which stays in the CPU's caches; made anew, memory
    of this size can come back from the operating system page by page (seen
    here: about a hundred page faults per pass when passes run on their own).
    """

    def __init__(self, sizes, m: int, n: int):
        self.n = n
        self.z = [np.empty((m, units, n)) for units in sizes[1:]]
        self.back = [np.empty((m, units, n)) for units in sizes[1:-1]]

    @staticmethod
    def fits(sizes, m: int, n: int) -> bool:
        """Return True if the arrays are small enough to keep."""
        return 8 * m * n * (sum(sizes[1:]) + sum(sizes[1:-1])) <= MAX_KEPT_BYTES


class Layer(NamedTuple):
    """Where one layer's weights sit in a flat weight vector.

    ``w[weights].reshape(fan_in, fan_out)`` is its weight matrix and
    ``w[biases]`` its bias vector, for a weight vector ``w`` of shape (dim,).
    """

    fan_in: int
    fan_out: int
    weights: slice
    biases: slice


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
    layers : tuple of Layer
        Where each layer's weight matrix and bias vector sit in that vector.
    """

    def __init__(self, sizes, activation: str = "tanh"):
        sizes = list(sizes) if np.ndim(sizes) == 1 else None
        if (
            sizes is None
            or len(sizes) < 2
            or not all(
                isinstance(s, (int, np.integer))
                and not isinstance(s, bool)
                and 1 <= s <= 4096
                for s in sizes
            )
        ):
            raise ValueError(
                "sizes must list at least two layer widths, each a whole number "
                "in [1, 4096], e.g. [2, 4, 1]"
            )
        if not isinstance(activation, str) or activation not in _ACT:
            allowed = ", ".join(ACTIVATIONS)
            raise ValueError(f"activation must be one of {allowed}; got {activation!r}")
        self.sizes = [int(s) for s in sizes]
        self.activation = activation
        self._scale, self._finish, self._dact = _ACT[activation]
        self._slices = []
        start = 0
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:], strict=True):
            w = slice(start, start + fan_in * fan_out)
            b = slice(w.stop, w.stop + fan_out)
            self._slices.append(Layer(fan_in, fan_out, w, b))
            start = b.stop
        self.dim = start

    def __repr__(self) -> str:
        return f"MLP({self.sizes}, activation={self.activation!r})"

    @property
    def layers(self) -> tuple[Layer, ...]:
        """Return where each layer's weights and biases sit, input layer first."""
        return tuple(self._slices)

    @property
    def name(self) -> str:
        """Return a short name such as ``2-4-1 tanh``."""
        return "-".join(map(str, self.sizes)) + f" {self.activation}"

    # ------------------------------------------------------------ weights

    def init(self, n: int = 1, seed: int | None = None, scale: float = 1.0):
        """Draw `n` weight vectors, shape (n, dim).

        Every weight and bias of a layer with `fan_in` inputs is drawn from
        N(0, scale² / fan_in) (LeCun et al. 1998): scale 1 keeps the signal's
        size from layer to layer. A small scale starts near a flat critical
        point: every weight zero except the output bias, which fits the mean
        target (with a squared loss and a linear output, on XOR, bias 0.5 and
        loss 0.25; all weights zero gives loss 0.5 and is not critical). Its
        Hessian is degenerate, not a strict saddle (notebook 04, "Three kinds
        of flat").
        """
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise ValueError(
                f"n must be a whole number in [1, {MAX_NETWORKS}]; got {n!r}"
            )
        if not 1 <= n <= MAX_NETWORKS:
            raise ValueError(f"n must be in [1, {MAX_NETWORKS}]; got {n}")
        if n * self.dim * 8 > MAX_INIT_BYTES:
            raise ValueError(
                f"n: {n} networks of {self.dim} weights would need "
                f"{n * self.dim * 8 / 2**20:.0f} MiB (at most "
                f"{MAX_INIT_BYTES >> 20} MiB); ask for fewer networks"
            )
        if not (
            isinstance(scale, (int, float, np.integer, np.floating))
            and not isinstance(scale, bool)
            and 0 <= scale <= 1000
        ):
            raise ValueError(f"scale must be a number in [0, 1000]; got {scale!r}")
        rng = generator(seed)
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
        X = _numbers(X, "X")
        if X.ndim != 2 or X.shape[1] != self.sizes[0] or X.shape[0] == 0:
            raise ValueError(
                f"X must have shape (m, {self.sizes[0]}) with m >= 1; got {X.shape}"
            )
        if not np.all(np.isfinite(X)):
            raise ValueError("X must be finite; it contains NaN or infinity")
        return X

    # ------------------------------------------------------------ forward

    def _scaled(self, X1: np.ndarray) -> np.ndarray:
        """Return [X, 1] times the first activation's first factor (see _ACT)."""
        return X1 * self._scale if len(self.sizes) > 2 else X1

    def _forward(self, wt, X1, X1_scaled, work: _Work | None = None):
        """Run all N networks; wt is (dim, N), X1 is [X, 1]. Return activations.

        `X1_scaled` is `_scaled(X1)`. Activations are (m, units, N) after the
        inputs X1; the last entry is the linear output. They are written into
        `work` if given, else into new arrays.
        """
        n = wt.shape[1]
        m = X1.shape[0]
        acts = [X1]
        a = X1
        last = len(self._slices) - 1
        for k, (fan_in, fan_out, ws, bs) in enumerate(self._slices):
            z = work.z[k] if work else np.empty((m, fan_out, n))
            scale = self._scale if k < last else 1.0
            if k == 0:
                # A layer's bias rows follow its weight rows, so [W; b] is one
                # (in + 1, out * N) block and one matrix product with [X, 1]
                # computes the first layer of every network at once (with the
                # activation's first factor folded into the inputs).
                Wb = wt[ws.start : bs.stop].reshape(fan_in + 1, fan_out * n)
                np.matmul(X1_scaled, Wb, out=z.reshape(m, fan_out * n))
            else:
                W = wt[ws].reshape(fan_in, fan_out, n)
                np.einsum("min,ion->mon", a, W, out=z)
                z += wt[bs]
                if scale != 1.0:
                    z *= scale
            if k < last:
                self._finish(z)
            a = z
            acts.append(a)
        return acts

    def predict(self, w, X) -> np.ndarray:
        """Return the network outputs, shape (..., m, out), for w (..., dim)."""
        flat, lead = self._weights(w)
        X1 = _with_ones(self._inputs(X))
        with np.errstate(all="ignore"):
            wt = np.ascontiguousarray(flat.T)
            out = self._forward(wt, X1, self._scaled(X1))[-1]
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
        y = self._targets(y, len(X), loss)
        yt = y[:, :, None]
        X1 = _with_ones(X)
        X1_scaled = self._scaled(X1)
        # Bytes one network needs in a forward and backward pass: about three
        # (m, units) arrays per layer, and a few copies of its weights.
        per_network = 8 * (3 * len(X) * sum(self.sizes) + 4 * self.dim)
        kept = []  # the work arrays of the last pass, while n stays the same

        def fdf(w, weights=None):
            if w.shape[0] * per_network > MAX_PASS_BYTES:
                raise ValueError(
                    f"w: {w.shape[0]} networks on {len(X)} examples at once would "
                    f"need {w.shape[0] * per_network / 2**20:.0f} MiB (at most "
                    f"{MAX_PASS_BYTES >> 20} MiB); pass fewer weight vectors"
                )
            # For runs stored in Fortran order (as `optimize` keeps them) w.T
            # is already contiguous and this is free; the gradient comes back
            # in the same layout.
            wt = np.ascontiguousarray(w.T)
            n = wt.shape[1]
            if not kept or kept[0].n != n:
                fits = _Work.fits(self.sizes, len(X), n)
                kept[:] = [_Work(self.sizes, len(X), n)] if fits else []
            work = kept[0] if kept else None
            acts = self._forward(wt, X1, X1_scaled, work)
            value, delta = _LOSS[loss](acts[-1], yt, weights)
            return value, self._backward(wt, acts, delta, work).T

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
            examples=len(X),
            weighted_fdf=fdf,
        )

    def _targets(self, y, m: int, loss: str) -> np.ndarray:
        """Check the targets and the loss; return y as (m, outputs)."""
        if loss not in LOSSES:
            raise ValueError(f"loss must be one of {', '.join(LOSSES)}; got {loss!r}")
        y = _numbers(y, "y")
        shape = y.shape
        if y.ndim == 1:
            y = y[:, None]
        if y.shape != (m, self.sizes[-1]):
            raise ValueError(
                f"y must have shape ({m},) or ({m}, {self.sizes[-1]}); got {shape}"
            )
        if not np.all(np.isfinite(y)):
            raise ValueError("y must be finite; it contains NaN or infinity")
        if loss == "bce" and not np.all((y >= 0) & (y <= 1)):
            raise ValueError("y must lie in [0, 1] for loss='bce'")
        return y

    def _backward(self, wt, acts, delta, work: _Work | None = None) -> np.ndarray:
        """Backpropagate d loss / d output; return the gradient, (dim, N).

        Uses up the hidden activations in `acts` (their arrays are reused).
        """
        n = wt.shape[1]
        grad = np.empty_like(wt)
        for k in range(len(self._slices) - 1, -1, -1):
            fan_in, fan_out, ws, bs = self._slices[k]
            a_in = acts[k]
            if k == 0:
                # [X, 1]ᵀ @ delta: weight and bias gradients in one product.
                m = a_in.shape[0]
                gwb = grad[ws.start : bs.stop].reshape(fan_in + 1, fan_out * n)
                np.matmul(a_in.T, delta.reshape(m, fan_out * n), out=gwb)
                break
            np.add.reduce(delta, axis=0, out=grad[bs])
            W = wt[ws].reshape(fan_in, fan_out, n)
            gw = grad[ws].reshape(fan_in, fan_out, n)
            back = work.back[k - 1] if work else np.empty_like(a_in)
            np.einsum("min,mon->ion", a_in, delta, out=gw)
            # back = act'(z) · (W delta); the activations are used up here, so
            # W delta goes into their array and no third one is needed.
            self._dact(a_in, back)
            back *= np.einsum("ion,mon->min", W, delta, out=a_in)
            delta = back
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


# Each loss, given the outputs (m, outputs, N) and targets yt (m, outputs, 1),
# returns the mean loss over all examples (N,) and its derivative with respect
# to the outputs (m, outputs, N). With `weights` (m, N) the derivative is that
# of Σⱼ weightsⱼ ℓⱼ instead, ℓⱼ being example j's loss (the mean over its
# outputs): each network gets its own minibatch.
def _mse(out, yt, weights):
    count = out.shape[0] * out.shape[1]
    err = np.subtract(out, yt, out=out)  # the outputs are not needed again
    value = np.einsum("mon,mon->n", err, err) / count
    if weights is None:
        return value, np.multiply(err, 2.0 / count, out=err)
    err *= (weights * (2.0 / out.shape[1]))[:, None, :]
    return value, err


def _bce(out, yt, weights):
    count = out.shape[0] * out.shape[1]
    value = (np.logaddexp(0.0, out) - yt * out).sum((0, 1)) / count
    if weights is None:
        return value, (_sigmoid(out) - yt) / count
    return value, (_sigmoid(out) - yt) * (weights / out.shape[1])[:, None, :]


_LOSS = {"mse": _mse, "bce": _bce}


def _numbers(value, name: str) -> np.ndarray:
    """Return `value` as a float array, or say which argument was not numbers."""
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} must be an array of numbers; got {value!r}") from None


def _with_ones(X: np.ndarray) -> np.ndarray:
    """Return [X, 1], shape (m, inputs + 1): the inputs with a bias column."""
    return np.concatenate([X, np.ones((X.shape[0], 1))], axis=1)


class WidthBlock:
    """One-hidden-layer tanh networks of several widths, trained as one Landscape.

    One point of ``block.landscape`` holds one k-h-1 network of each width h
    side by side (k inputs, one output read as a logit). Its weights are
    ordered like those of one k-H-1 network, H the sum of the widths, except
    that each width's hidden units feed only that width's own output. Its
    value is the sum of the networks' cross-entropy losses on (X, y); as they
    share no weight, each network gets exactly its own gradient, and descent
    on the sum is descent on each network on its own. All networks then share
    every array operation, instead of one `optimize` call per width (notebook
    03 trains XOR networks of six widths this way).

    The forward and backward passes run in single precision, about twice as
    fast as double on these small arrays; the weights stay in double (in
    `optimize`), and `MLP` in double gives the losses to report. Single
    precision changes XOR's final losses by about 1e-6.

    Parameters
    ----------
    widths : sequence of int
        Hidden units of each network.
    X : array of shape (m, k)
    y : array of shape (m,)
        Targets in [0, 1].

    Attributes
    ----------
    networks : list of MLP
        ``MLP([k, h, 1])`` for each width: `pack` and `unpack` convert between
        their weights and the block's.
    landscape : Landscape
        The summed loss over the block's weights, shape (dim,).
    """

    def __init__(self, widths, X, y):
        X = _numbers(X, "X")
        if X.ndim != 2:
            raise ValueError(f"X must have shape (m, inputs); got {X.shape}")
        widths = tuple(widths) if np.ndim(widths) == 1 else ()
        if not widths or not all(
            isinstance(w, (int, np.integer)) and not isinstance(w, bool) and 1 <= w
            for w in widths
        ):
            raise ValueError("widths must list whole numbers >= 1, e.g. (2, 4)")
        k = X.shape[1]
        self.networks = [MLP([k, w, 1]) for w in widths]
        self.networks[0].landscape(X, y, loss="bce")  # checks X and y
        f32 = np.float32
        self.widths = np.array(widths)
        self.k, self.m = k, len(X)
        self.X1 = np.c_[X, np.ones(self.m)].astype(f32)
        self.X1T = np.ascontiguousarray(self.X1.T)
        yt = np.asarray(y, dtype=float)
        self.yt = yt[:, None, None].astype(f32)
        # softplus(z) − y·z = softplus((1 − 2y)·z) for y in {0, 1}
        self.sign = (1 - 2 * self.yt).astype(f32)
        self.H, self.G = int(self.widths.sum()), len(widths)
        self.first = np.r_[0, np.cumsum(self.widths)[:-1]]  # each width's first unit
        # S[g, i] = 1 if hidden unit i belongs to network g: outputs = S @ (a · v).
        self.S = np.zeros((self.G, self.H), dtype=f32)
        for g, (s, w) in enumerate(zip(self.first, self.widths, strict=True)):
            self.S[g, s : s + w] = 1.0
        self.ST = np.ascontiguousarray(self.S.T)
        self.dim = dim = (k + 2) * self.H + self.G
        self.work = {}  # number of points -> working arrays, allocated once
        self.landscape = Landscape(
            name=f"{k}-({'+'.join(map(str, widths))})-1 tanh block",
            dim=dim,
            bounds=(-3.0 * np.ones(dim), 3.0 * np.ones(dim)),
            minima=np.zeros((0, dim)),
            f=lambda w: self.fdf(w)[0],
            df=lambda w: self.fdf(w)[1],
            d2f=self._hessian,
            description="summed cross-entropy of tanh networks of several widths",
            fdf=self.fdf,
        )

    def pack(self, weights) -> np.ndarray:
        """Put one (n, networks[g].dim) array of weights per width into (n, dim)."""
        H, parts = self.H, self.k + 2  # MLP's order: W₁ row by row, b₁, v
        out = np.empty((weights[0].shape[0], self.dim))
        for g, (x, s, w) in enumerate(
            zip(weights, self.first, self.widths, strict=True)
        ):
            for part in range(parts):
                here = slice(part * H + s, part * H + s + w)
                out[:, here] = x[:, part * w : (part + 1) * w]
            out[:, parts * H + g] = x[:, parts * w]  # the output bias
        return out

    def unpack(self, points) -> list[np.ndarray]:
        """Undo `pack`: a list of (n, networks[g].dim) arrays, one per width."""
        H, parts = self.H, self.k + 2
        return [
            np.concatenate(
                [points[:, part * H + s : part * H + s + w] for part in range(parts)]
                + [points[:, parts * H + g, None]],
                axis=1,
            )
            for g, (s, w) in enumerate(zip(self.first, self.widths, strict=True))
        ]

    def fdf(self, w):
        """Return (summed loss (n,), gradient (n, dim)) at points w (n, dim)."""
        m, H, rows = self.m, self.H, self.k + 1
        # (dim, n), each weight's values over all runs in a row; `optimize`
        # keeps its runs in Fortran order, so this is a plain conversion.
        wt = np.ascontiguousarray(w.T, dtype=np.float32)
        n = wt.shape[1]
        if n not in self.work:
            self.work.clear()
            self.work[n] = tuple(np.empty((m, H, n), np.float32) for _ in range(3))
        a, tmp, back = self.work[n]
        # Forward: [X, 1] @ [W₁; b₁] for every unit of every network at once.
        np.matmul(self.X1, wt[: rows * H].reshape(rows, H * n), out=a.reshape(m, H * n))
        np.tanh(a, out=a)
        v = wt[rows * H : (rows + 1) * H]
        out = np.matmul(self.S, np.multiply(a, v, out=tmp))  # (m, G, n) logits
        out += wt[(rows + 1) * H :]
        value = self._loss(out)
        # Backward: d loss / d out = (sigmoid(out) − y) / m.
        delta = np.negative(out, out=out)
        np.exp(delta, out=delta)
        delta += 1.0
        np.divide(1.0, delta, out=delta)
        delta -= self.yt
        delta /= m
        grad = np.empty(wt.shape, dtype=np.float32)  # C order: reshaped views below
        np.add.reduce(delta, axis=0, out=grad[(rows + 1) * H :])
        np.matmul(self.ST, delta, out=back)  # each unit gets its own network's delta
        np.add.reduce(
            np.multiply(a, back, out=tmp), axis=0, out=grad[rows * H : (rows + 1) * H]
        )
        back *= v
        np.multiply(a, a, out=tmp)
        np.subtract(1.0, tmp, out=tmp)
        back *= tmp
        np.matmul(
            self.X1T, back.reshape(m, H * n), out=grad[: rows * H].reshape(rows, H * n)
        )
        return value, grad.T

    def _loss(self, out) -> np.ndarray:
        """Return the summed cross-entropy (n,) of the logits `out` (m, G, n)."""
        # softplus(±out), written so that exp cannot overflow.
        z = out * self.sign
        loss = np.abs(z)
        np.negative(loss, out=loss)
        np.exp(loss, out=loss)
        np.log1p(loss, out=loss)
        loss += np.maximum(z, 0.0, out=z)
        return loss.sum((0, 1), dtype=float) / self.m

    def _hessian(self, w):
        """Central differences of the gradient, as `MLP` does."""
        n, dim = w.shape
        h = 1e-2  # single-precision gradients: a larger step than MLP's
        eye = np.eye(dim) * h
        plus = self.fdf((w[:, None, :] + eye).reshape(-1, dim))[1]
        minus = self.fdf((w[:, None, :] - eye).reshape(-1, dim))[1]
        cols = (plus - minus).reshape(n, dim, dim) / (2 * h)
        cols = cols.astype(float)
        return (cols + np.swapaxes(cols, 1, 2)) / 2
