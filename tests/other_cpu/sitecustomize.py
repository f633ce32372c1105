"""Test harness: imitate another CPU by nudging every random draw by one ulp.

numpy picks its exp, log, tanh, sin and cos kernels (and OpenBLAS its matrix
kernels) by CPU, so the same seed gives numbers that differ in the last bit
from one machine to another, and long chaotic runs (XOR training, restarts)
can end differently. Disabling numpy's widest SIMD kernels
(NPY_DISABLE_CPU_FEATURES) imitates that only for the functions this
machine's kernels differ in. This module shakes the rest: with this folder on
PYTHONPATH, every Python process (pytest, its notebook kernels, its
subprocesses) gets a `tutorial.seeding.generator` whose float draws are moved
by one unit in the last place, up or down at random: the starting weights and
points of every run then differ from this machine's as another CPU's first
step would make them differ. The nudges are seeded too (TUTORIAL_SHAKE_SEED,
default 1), so "same seed, same picture" still holds within the shaken run.
Draws that do not go through `generator` (the optimizers' gradient noise) are
left as they are: the runs they perturb start from shaken points anyway.

Nothing in the tutorial knows about this; only `./run other-cpu` (the second
test run in .ci/run) puts this folder on PYTHONPATH.
"""

import importlib.abc
import os
import sys

SHAKE_SEED = int(os.environ.get("TUTORIAL_SHAKE_SEED", "1"))


def shaken_generator_class(np):
    class ShakenGenerator(np.random.Generator):
        """A Generator whose float draws are one ulp up or down, reproducibly."""

        def __init__(self, seed):
            super().__init__(np.random.PCG64(seed))
            self._nudges = np.random.default_rng([SHAKE_SEED, *np.atleast_1d(seed)])

        def _nudge(self, x):
            x = np.asarray(x)
            up = self._nudges.integers(0, 2, x.shape, dtype=bool)
            away = np.where(up, np.inf, -np.inf).astype(x.dtype)
            moved = np.nextafter(x, away)
            return moved if moved.ndim else moved[()]

        def random(self, *args, **kwargs):
            return self._nudge(super().random(*args, **kwargs))

        def uniform(self, *args, **kwargs):
            return self._nudge(super().uniform(*args, **kwargs))

        def standard_normal(self, *args, **kwargs):
            return self._nudge(super().standard_normal(*args, **kwargs))

        def normal(self, *args, **kwargs):
            return self._nudge(super().normal(*args, **kwargs))

    return ShakenGenerator


def shake(seeding) -> None:
    """Replace seeding.generator with one that returns a shaken Generator."""
    import numpy as np

    plain = seeding.generator
    shaken_class = shaken_generator_class(np)

    def generator(seed, *, allow_none: bool = True):
        rng = plain(seed, allow_none=allow_none)  # the same checks and errors
        return rng if seed is None else shaken_class(int(seed))

    generator.__doc__ = plain.__doc__
    generator.shaken = True
    seeding.generator = generator


class ShakeOnImport(importlib.abc.MetaPathFinder):
    """Patch tutorial.seeding as it is imported, before any module binds it."""

    def find_spec(self, name, path, target=None):
        if name != "tutorial.seeding":
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        else:
            return None
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            shake(module)

        spec.loader.exec_module = exec_module
        return spec


if __name__ == "sitecustomize":  # Python's start-up, not a test importing it
    sys.meta_path.insert(0, ShakeOnImport())
