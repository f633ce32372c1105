"""The harness that imitates another CPU (tests/other_cpu, `./run other-cpu`)."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tutorial import seeding

HERE = Path(__file__).resolve().parent / "other_cpu"


def load(name: str):
    spec = importlib.util.spec_from_file_location(
        f"other_cpu_{name}", HERE / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "features, dispatch, widest",
    [
        # numpy >= 2.4 on an AVX-512 machine, and on an AVX2 one (this kind)
        ({"X86_V3": 1, "X86_V4": 1, "AVX512_ICL": 1, "AVX512_SPR": 0},
         ["X86_V3", "X86_V4", "AVX512_ICL", "AVX512_SPR"], ["X86_V4", "AVX512_ICL"]),
        ({"X86_V3": 1, "X86_V4": 0}, ["X86_V3", "X86_V4"], ["X86_V3"]),
        # numpy < 2.4 names features one by one
        ({"SSE41": 1, "AVX2": 1, "FMA3": 1, "AVX512F": 1, "AVX512_SKX": 1},
         ["SSE41", "AVX2", "FMA3", "AVX512F", "AVX512_SKX"], ["AVX512F", "AVX512_SKX"]),
        ({"SSE41": 1, "AVX2": 1, "FMA3": 1}, ["SSE41", "AVX2", "FMA3", "AVX512F"],
         ["AVX2", "FMA3"]),
        # ARM: every optional feature numpy dispatches to
        ({"ASIMDHP": 1, "ASIMDDP": 1, "SVE": 0}, ["ASIMDHP", "ASIMDDP", "SVE"],
         ["ASIMDHP", "ASIMDDP"]),
        ({"SSE3": 1}, [], []),
    ],
)  # fmt: skip
def test_the_widest_simd_features_are_the_ones_turned_off(features, dispatch, widest):
    assert load("widest_simd").widest(features, dispatch) == widest


def simd(*args, disable=None):
    env = dict(os.environ)
    env.pop("NPY_DISABLE_CPU_FEATURES", None)
    if disable is not None:
        env["NPY_DISABLE_CPU_FEATURES"] = disable
    return subprocess.run(
        [sys.executable, str(HERE / "widest_simd.py"), *args],
        env=env, capture_output=True, text=True,
    )  # fmt: skip


def test_the_check_fails_on_a_name_numpy_ignores():
    widest = simd().stdout.strip()
    assert simd("--check", disable=widest).returncode == 0
    failed = simd("--check", disable=f"{widest} NO_SUCH_FEATURE")
    assert failed.returncode == 1 and "NO_SUCH_FEATURE" in failed.stderr


def test_shaken_draws_are_one_ulp_away_and_reproducible():
    shake = load("sitecustomize")
    fake = type("seeding", (), {"generator": staticmethod(seeding.generator)})
    shake.shake(fake)
    for draw in ("random", "standard_normal"):
        plain = getattr(seeding.generator(7), draw)(10_000)
        shaken = getattr(fake.generator(7), draw)(10_000)
        ulps = np.abs(shaken - plain) / np.spacing(np.abs(plain))
        assert np.all((ulps > 0.49) & (ulps <= 1.0)), draw
        assert 0.4 < np.mean(shaken > plain) < 0.6  # up or down at random
        np.testing.assert_array_equal(shaken, getattr(fake.generator(7), draw)(10_000))
    plain = seeding.generator(3).uniform(-2, 2, (5, 2))
    shaken = fake.generator(3).uniform(-2, 2, (5, 2))
    assert shaken.shape == (5, 2) and np.all(shaken != plain)
    assert np.allclose(shaken, plain, rtol=1e-15, atol=0)
    with pytest.raises(ValueError, match="seed"):  # the same checks as before
        fake.generator(-1)


def test_on_pythonpath_it_shakes_every_module_that_draws():
    code = (
        "from tutorial import seeding, nn, s03_local_minima as s03\n"
        "assert seeding.generator.shaken and nn.generator is seeding.generator\n"
        "print(nn.MLP([2, 2, 1]).init(1, seed=0)[0, 0].hex())"
    )
    env = dict(os.environ, PYTHONPATH=str(HERE))
    shaken = subprocess.run([sys.executable, "-c", code], env=env, text=True,
                            capture_output=True)  # fmt: skip
    assert shaken.returncode == 0, shaken.stderr
    from tutorial.nn import MLP

    plain = MLP([2, 2, 1]).init(1, seed=0)[0, 0]
    moved = float.fromhex(shaken.stdout.strip())
    assert moved != plain and abs(moved - plain) <= 2 * np.spacing(abs(plain))
