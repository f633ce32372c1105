"""Print the widest SIMD features numpy uses here, for NPY_DISABLE_CPU_FEATURES.

numpy compiles its exp, log, tanh, sin and cos kernels for several SIMD
widths and picks the widest this CPU has. Turning that width off makes numpy
compute as a machine without it would: an AVX-512 machine then computes like
an AVX2 one (most laptops and AMD servers), and an AVX2 machine like an older
or smaller one. Elsewhere (ARM) every optional feature numpy dispatches to is
turned off. Prints nothing if numpy dispatches to nothing this CPU has.

    python tests/other_cpu/widest_simd.py           # e.g. X86_V4 AVX512_ICL AVX512_SPR
    python tests/other_cpu/widest_simd.py --check   # are those in the variable off?

--check fails unless every feature named in NPY_DISABLE_CPU_FEATURES is off:
numpy only warns (an ImportWarning, hidden by default) about a name it does not
know, and feature names changed in numpy 2.4 (X86_V4 where AVX512F was).
"""

from __future__ import annotations

import os
import sys

# Widest first. numpy >= 2.4 names the x86 levels X86_V4 (AVX-512) and X86_V3
# (AVX2, FMA); older numpy names the features one by one.
TIERS = (
    ("X86_V4", "AVX512"),
    ("X86_V3", "AVX2", "FMA3", "AVX", "F16C"),
)


def cpu_tables() -> tuple[dict, list]:
    """Return numpy's {feature: on} table and the features it dispatches to."""
    try:
        from numpy._core import _multiarray_umath as umath
    except ImportError:  # numpy < 2
        from numpy.core import _multiarray_umath as umath
    return umath.__cpu_features__, list(umath.__cpu_dispatch__)


def widest(features: dict, dispatch: list) -> list[str]:
    """Return the widest tier of dispatched features that this CPU has on."""
    present = [f for f in dispatch if features.get(f)]
    for prefixes in TIERS:
        tier = [f for f in present if f.startswith(prefixes)]
        if tier:
            return tier
    return present


def main(argv: list[str]) -> int:
    features, dispatch = cpu_tables()
    if argv == ["--check"]:
        named = os.environ.get("NPY_DISABLE_CPU_FEATURES", "").replace(",", " ")
        still_on = [f for f in named.split() if features.get(f, False)]
        unknown = [f for f in named.split() if f not in features]
        if still_on or unknown:
            print(
                f"NPY_DISABLE_CPU_FEATURES did not take: still on {still_on}, "
                f"unknown to this numpy {unknown}",
                file=sys.stderr,
            )
            return 1
        return 0
    if argv:
        print(__doc__, file=sys.stderr)
        return 2
    print(" ".join(widest(features, dispatch)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
