"""Command line: ``python -m tutorial lab`` (more subcommands: see --help)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT / "nbs"


def first_notebook() -> Path:
    """Return the notebook a learner should open first."""
    notebooks = sorted(NBS.glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        raise SystemExit(f"no notebooks found in {NBS}")
    return notebooks[0]


def lab(args) -> int:
    """Open JupyterLab at the first notebook, on 127.0.0.1 with a token."""
    command = [
        sys.executable, "-m", "jupyter", "lab",
        f"--ServerApp.root_dir={ROOT}",
        f"--ServerApp.ip={args.ip}",
        f"--ServerApp.port={args.port}",
        str(first_notebook().relative_to(ROOT)),
    ]  # fmt: skip
    if args.no_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return subprocess.call(command, cwd=ROOT)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tutorial",
        description="Why training a neural network is hard: interactive notebooks.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("lab", help="open the tutorial in JupyterLab (127.0.0.1, token)")
    p.add_argument("--port", type=int, default=8888)
    p.add_argument("--ip", default="127.0.0.1", choices=["127.0.0.1", "localhost"])
    p.add_argument("--no-browser", action="store_true")
    p.set_defaults(run=lab)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
