"""Vectorised training: 1,000 XOR networks in one `optimize` call vs a loop.

The task of notebook 03 at full size: 1,000 networks 2-4-1 with tanh hidden
units, each from its own random start, trained by full-batch gradient descent
(lr 0.2, mean squared error) for 2,000 steps on the four XOR points. Timed three ways:

- vectorised: one ``optimize`` call moves all 1,000 networks each step,
  recording every 10th step (all 2,000 would be 272 MB, over optimize's
  memory cap) or only the first and last;
- loop: the same training as a plain Python loop over networks, one
  ``optimize`` call per network; timed on a sample of networks and scaled to
  1,000 (each network costs the same), and checked to give the same weights.

Target: vectorised <= 1 s.

    .venv/bin/python benchmarks/training.py [--runs 5] [--loop-sample 20] [--json FILE]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import table, write_json  # noqa: E402

from tutorial import datasets  # noqa: E402
from tutorial.nn import MLP  # noqa: E402
from tutorial.optimizers import optimize  # noqa: E402

NETWORKS, STEPS, LR, SEED, EVERY = 1000, 2000, 0.2, 0, 10


def problem():
    X, y = datasets.xor()
    net = MLP([2, 4, 1], "tanh")
    return net.landscape(X, y), net.init(NETWORKS, seed=SEED)


def timed(fn, runs: int) -> tuple[list[float], object]:
    """Return wall-clock seconds of each run (and CPU seconds) and the result."""
    times, result = [], None
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        CPU.append(time.process_time() - cpu)
    return times, result


CPU: list[float] = []


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--loop-sample", type=int, default=20)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    surface, w0 = problem()

    full_t, full = timed(
        lambda: optimize(surface, w0, lr=LR, steps=STEPS, every=EVERY), args.runs
    )
    full_cpu = float(np.median(CPU))
    ends_t, ends = timed(
        lambda: optimize(surface, w0, lr=LR, steps=STEPS, every=STEPS), args.runs
    )
    sample = np.linspace(0, NETWORKS - 1, args.loop_sample).astype(int)

    def loop():
        return [optimize(surface, w0[i], lr=LR, steps=STEPS).final[0] for i in sample]

    loop_t, looped = timed(loop, max(1, args.runs // 2))
    # Same arithmetic up to rounding: a few networks end far out on a flat
    # tanh plateau, where rounding differences grow, so compare the losses.
    loop_loss = surface.value(np.array(looped))
    gap = float(np.max(np.abs(loop_loss - full.final_loss[sample])))
    per_net = float(np.median(loop_t)) / len(sample)
    learned = float(np.mean(full.final_loss < 0.01))

    vec, ends_s = float(np.median(full_t)), float(np.median(ends_t))
    loop_s = per_net * NETWORKS
    rows = [
        {"training": f"vectorised, every {EVERY}th step recorded", "seconds": vec},
        {"training": "vectorised, first and last recorded", "seconds": ends_s},
        {
            "training": f"Python loop over networks (x{NETWORKS} from {len(sample)})",
            "seconds": loop_s,
        },
    ]
    for row in rows:
        row["x faster than loop"] = f"{loop_s / row['seconds']:.0f}"
        row["seconds"] = f"{row['seconds']:.3f}"
    print(
        f"{NETWORKS} XOR networks 2-4-1 tanh, {STEPS} full-batch GD steps "
        f"(lr {LR}), median of {args.runs} runs"
    )
    print(table(rows, ["training", "seconds", "x faster than loop"]))
    print(
        f"\nlearned XOR (loss < 0.01): {learned:.1%} of networks; final losses "
        f"of loop and vectorised runs differ by at most {gap:.1e}"
    )
    print(f"vectorised CPU time (median): {full_cpu:.3f} s")
    print(f"target vectorised <= 1 s: {'ok' if vec <= 1.0 else 'SLOW'}")
    write_json(
        args.json,
        {
            "networks": NETWORKS,
            "steps": STEPS,
            "runs": args.runs,
            "vectorised_s": full_t,
            "vectorised_ends_only_s": ends_t,
            "loop_per_network_s": per_net,
            "loop_estimate_s": loop_s,
            "vectorised_cpu_s": full_cpu,
            "max_loss_gap": gap,
            "learned_share": learned,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
