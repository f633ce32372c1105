"""Vectorised training: 1,000 XOR networks in one `optimize` call.

The task of notebook 03 at full size: 1,000 networks 2-4-1 with tanh hidden
units, each from its own random start, trained on the four XOR points (mean
squared error, lr 0.2) for 2,000 steps. Timed:

- full batch: one ``optimize`` call moves all networks at every step,
  recording every 10th step (all 2,000 would be 272 MB), or only the first and
  last;
- minibatch: the same call with ``batch_size=2``, each network drawing its own
  batches;
- the floor: the one ``np.exp`` a step needs (the tanh of the hidden layer,
  4 examples × 4 units × 1,000 networks), 2,000 times on its own. numpy has
  no vectorised float64 exp for CPUs without AVX-512, so on those it is a
  large, fixed part of the full-batch time;
- a loop: the same training written out for one network at a time in plain
  numpy (its weight matrices, ``np.tanh``, the backward pass by hand), as a
  learner would write it; timed on a sample of networks, scaled to all of them,
  and checked to reach the same losses.

The vectorised cases run interleaved, run after run, so that a busy machine
slows them alike; medians of wall-clock and CPU seconds are reported.
Targets: full batch (first and last recorded) <= 0.5 s; minibatch within 1.5x
of full batch.

    .venv/bin/python benchmarks/training.py [--runs 7] [--networks 1000]
        [--loop-sample 10] [--json FILE]
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

STEPS, LR, SEED, EVERY, BATCH = 2000, 0.2, 0, 10, 2
TARGET_S, TARGET_RATIO = 0.5, 1.5


def problem(networks: int):
    X, y = datasets.xor()
    net = MLP([2, 4, 1], "tanh")
    return net, net.landscape(X, y), net.init(networks, seed=SEED)


def hidden_exp(net: MLP, w0: np.ndarray):
    """Return a function that runs the hidden layer's np.exp STEPS times."""
    X, _ = datasets.xor()
    # tanh(z) is computed from exp(-2 z): the starts' own -2 z for each
    # example, hidden unit and network, as the first step sees them.
    first = [net.unflatten(w)[0] for w in w0]
    u = np.stack([-2.0 * (X @ W + b) for W, b in first], axis=-1)
    out = np.empty_like(u)

    def run():
        for _ in range(STEPS):
            np.exp(u, out=out)

    return run


def loop_one(net: MLP, w: np.ndarray) -> float:
    """Train one network with plain numpy; return its final loss."""
    X, y = datasets.xor()
    y = y[:, None]
    (W1, b1), (W2, b2) = [(W.copy(), b.copy()) for W, b in net.unflatten(w)]
    m = len(X)
    for _ in range(STEPS):
        h = np.tanh(X @ W1 + b1)
        err = h @ W2 + b2 - y
        d_out = 2 * err / m
        d_h = (d_out @ W2.T) * (1 - h * h)
        W2 -= LR * (h.T @ d_out)
        b2 -= LR * d_out.sum(0)
        W1 -= LR * (X.T @ d_h)
        b1 -= LR * d_h.sum(0)
    h = np.tanh(X @ W1 + b1)
    return float(np.mean((h @ W2 + b2 - y) ** 2))


def interleaved(cases: dict, runs: int) -> dict:
    """Time each case once per run, in turn; return wall and CPU seconds."""
    times = {name: {"wall": [], "cpu": []} for name in cases}
    results = {}
    for _ in range(runs):
        for name, fn in cases.items():
            start, cpu = time.perf_counter(), time.process_time()
            results[name] = fn()
            times[name]["wall"].append(time.perf_counter() - start)
            times[name]["cpu"].append(time.process_time() - cpu)
    return times, results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--networks", type=int, default=1000)
    parser.add_argument("--loop-sample", type=int, default=10)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    net, surface, w0 = problem(args.networks)

    def train(**kwargs):
        return optimize(surface, w0, lr=LR, steps=STEPS, seed=SEED, **kwargs)

    cases = {
        f"full batch, every {EVERY}th step recorded": lambda: train(every=EVERY),
        "full batch, first and last recorded": lambda: train(every=STEPS),
        f"minibatch of {BATCH}, every {EVERY}th step recorded": lambda: train(
            every=EVERY, batch_size=BATCH
        ),
        "floor: the hidden layer's np.exp alone, once a step": hidden_exp(net, w0),
    }
    optimize(surface, w0, lr=LR, steps=10)  # warm up
    times, results = interleaved(cases, args.runs)
    full_name, target_name, batch_name, floor_name = cases
    sample = np.linspace(0, args.networks - 1, args.loop_sample).astype(int)
    start = time.perf_counter()
    looped = np.array([loop_one(net, w0[i]) for i in sample])
    loop_s = (time.perf_counter() - start) / len(sample) * args.networks
    gap = float(np.max(np.abs(looped - results[full_name].final_loss[sample])))

    wall = {name: float(np.median(t["wall"])) for name, t in times.items()}
    cpu = {name: float(np.median(t["cpu"])) for name, t in times.items()}
    rows = [
        {"training": name, "seconds": wall[name], "CPU seconds": cpu[name]}
        for name in cases
    ]
    rows.append(
        {
            "training": f"numpy loop over networks (x{args.networks} "
            f"from {len(sample)})",
            "seconds": loop_s,
            "CPU seconds": "",
        }
    )
    for row in rows:
        trained = row["training"] != floor_name
        row["x faster than loop"] = f"{loop_s / row['seconds']:.0f}" if trained else ""
        row["seconds"] = f"{row['seconds']:.3f}"
        if row["CPU seconds"]:
            row["CPU seconds"] = f"{row['CPU seconds']:.3f}"
    print(
        f"{args.networks} XOR networks 2-4-1 tanh, {STEPS} GD steps (lr {LR}), "
        f"median of {args.runs} interleaved runs"
    )
    print(table(rows, ["training", "seconds", "CPU seconds", "x faster than loop"]))
    learned = float(np.mean(results[full_name].final_loss < 0.01))
    learned_b = float(np.mean(results[batch_name].final_loss < 0.01))
    ratio = wall[batch_name] / wall[full_name]
    cpu_ratio = cpu[batch_name] / cpu[full_name]
    print(
        f"\nlearned XOR (loss < 0.01): {learned:.1%} of networks full batch, "
        f"{learned_b:.1%} with minibatches of {BATCH}; final losses of the loop "
        f"and the full-batch call differ by at most {gap:.1e}"
    )
    full = wall[target_name]
    print(
        f"target full batch (first and last recorded) <= {TARGET_S} s: {full:.3f} "
        f"{'ok' if full <= TARGET_S else 'SLOW'}; np.exp alone takes "
        f"{wall[floor_name]:.3f} s of it"
    )
    print(
        f"target minibatch / full batch <= {TARGET_RATIO}: {ratio:.2f} "
        f"(CPU {cpu_ratio:.2f}) {'ok' if ratio <= TARGET_RATIO else 'SLOW'}"
    )
    write_json(
        args.json,
        {
            "networks": args.networks, "steps": STEPS, "runs": args.runs,
            "times": times, "loop_estimate_s": loop_s,
            "loop_sample": len(sample), "max_loss_gap": gap,
            "learned_share": learned, "learned_share_minibatch": learned_b,
            "minibatch_ratio": ratio, "minibatch_cpu_ratio": cpu_ratio,
        },
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
