"""Command line: ``python -m tutorial lab|slides|figures|app`` (see --help).

- ``lab``: JupyterLab at the first notebook, on 127.0.0.1 with a token;
- ``slides OUTDIR``: offline reveal.js decks (``--pdf``: PDF handouts too);
- ``site OUTDIR``: every notebook as a static page, plus the decks;
- ``audit``: what each slide puts on screen (words, code, checks);
- ``figures OUTDIR``: every demo's first picture as PNG;
- ``app NOTEBOOK``: one notebook as a code-free Voilà app on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import importlib.util
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


def missing(*modules: str) -> list[str]:
    """Return those of `modules` that are not installed."""
    return [m for m in modules if importlib.util.find_spec(m) is None]


def lab(args) -> int:
    """Open JupyterLab at the first notebook, on 127.0.0.1 with a token."""
    if missing("jupyterlab"):
        raise SystemExit(
            "lab: JupyterLab is not installed; pip install -e '.[lab]' (./run lab does)"
        )
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        f"--ServerApp.root_dir={ROOT}",
        f"--ServerApp.ip={args.ip}",
        f"--ServerApp.port={args.port}",
        str(first_notebook().relative_to(ROOT)),
    ]
    if args.no_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return subprocess.call(command, cwd=ROOT)


def slides(args, pages: bool = False) -> int:
    """Execute the notebooks and write offline reveal.js decks plus an index."""
    if missing("nbclient", "nbconvert"):
        raise SystemExit(
            f"{args.command}: nbconvert is not installed; "
            "pip install -e '.[lab]' (./run lab does)"
        )
    from . import publish

    try:
        publish.build(
            args.outdir,
            args.notebooks or None,
            pages=pages,
            pdf=args.pdf,
            notes=args.notes,
            timeout=args.timeout,
            jobs=args.jobs,
        )
    except (ValueError, RuntimeError) as exc:
        raise SystemExit(f"{args.command}: {exc}") from None
    return 0


def site(args) -> int:
    """Execute the notebooks and write the static site (pages and decks)."""
    return slides(args, pages=True)


def audit(args) -> int:
    """Print what each slide puts on screen; exit 1 if a slide breaks a rule."""
    from . import audit as slide_audit

    argv = [str(p) for p in args.notebooks] + ["--max-words", str(args.max_words)]
    return slide_audit.main(argv)


def figures(args) -> int:
    """Render every demo at its defaults to PNG, one progress line per demo."""
    from . import figures as render

    try:
        render.render(args.outdir, args.sections or None)
    except (ValueError, RuntimeError) as exc:
        raise SystemExit(f"figures: {exc}") from None
    return 0


def app(args) -> int:
    """Serve one notebook as a code-free app with Voilà, on 127.0.0.1."""
    notebook = Path(args.notebook).resolve()
    if not notebook.is_file() or notebook.suffix != ".ipynb":
        raise SystemExit(f"app: no notebook at {args.notebook}")
    if missing("voila"):
        raise SystemExit(
            "app: Voilà is not installed; pip install -e '.[app]' (./run lab does)"
        )
    command = [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--Voila.ip=127.0.0.1",
        f"--Voila.port={args.port}",
        "--template=tutorial",
    ]
    if args.no_browser:
        command.append("--no-browser")
    # Voilà finds templates in the Jupyter data directories: ours first.
    here = Path(__file__).parent
    env = {
        **os.environ,
        "JUPYTER_PATH": os.pathsep.join(
            p for p in (str(here), os.environ.get("JUPYTER_PATH", "")) if p
        ),
    }
    return subprocess.call(command, cwd=notebook.parent, env=env)


def parser() -> argparse.ArgumentParser:
    """Return the command-line parser (one subcommand per way to use the tutorial)."""
    main_parser = argparse.ArgumentParser(
        prog="python -m tutorial",
        description="Why training a neural network is hard: interactive notebooks.",
    )
    sub = main_parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("lab", help="open the tutorial in JupyterLab (127.0.0.1, token)")
    p.add_argument("--port", type=int, default=8888)
    p.add_argument("--ip", default="127.0.0.1", choices=["127.0.0.1", "localhost"])
    p.add_argument("--no-browser", action="store_true")
    p.set_defaults(run=lab)

    for name, run, summary, description in [
        (
            "slides",
            slides,
            "write offline reveal.js slide decks and an index page",
            "Execute the notebooks and write reveal.js decks that work from "
            "file:// with no network (assets from npm, cached), plus index.html. "
            "Each demo's main slider answers with pictures drawn in advance.",
        ),
        (
            "site",
            site,
            "write a static site: every notebook as a page, and decks",
            "Execute the notebooks and write one HTML page per notebook (prose, "
            "maths, folded code, demos whose main slider works with no kernel), "
            "the slide decks, and index.html with the notebook map. Works from "
            "file:// and from any static host.",
        ),
    ]:
        p = sub.add_parser(name, help=summary, description=description)
        p.add_argument("outdir", type=Path, metavar="OUTDIR")
        p.add_argument(
            "notebooks",
            nargs="*",
            type=Path,
            metavar="NOTEBOOK",
            help="notebooks to build (default: all in nbs/)",
        )
        p.add_argument(
            "--pdf",
            action="store_true",
            help="also print each deck to OUTDIR/NN_topic.pdf, one page per slide "
            "(needs Playwright and Chromium)",
        )
        p.add_argument(
            "--notes",
            action="store_true",
            help="with --pdf: a page of speaker notes after each slide that has them",
        )
        p.add_argument("--timeout", type=int, default=600, help="seconds per cell")
        p.add_argument(
            "--jobs",
            type=int,
            default=min(2, os.cpu_count() or 1),
            help="notebooks to execute at once (default: %(default)s)",
        )
        p.set_defaults(run=run)

    p = sub.add_parser(
        "audit",
        help="count what each slide puts on screen (no browser)",
        description="Print each slide of each deck: words on screen, words in "
        "speaker notes, code cells and checks that are not skipped; then the "
        "slides that break the slide rules (exit status 1 if any).",
    )
    p.add_argument(
        "notebooks",
        nargs="*",
        type=Path,
        metavar="NOTEBOOK",
        help="notebooks to audit (default: all in nbs/)",
    )
    p.add_argument("--max-words", type=int, default=80, help="words per slide")
    p.set_defaults(run=audit)

    p = sub.add_parser(
        "figures",
        help="render every demo at its defaults to PNG",
        description="Render every demo of every notebook at its default "
        "settings to OUTDIR/sNN_<demo>.png, with a progress line per demo.",
    )
    p.add_argument("outdir", type=Path, metavar="OUTDIR")
    p.add_argument(
        "sections",
        nargs="*",
        metavar="NN",
        help="only these notebooks, e.g. 01 03 (default: all)",
    )
    p.set_defaults(run=figures)

    p = sub.add_parser(
        "app",
        help="serve one notebook as a code-free Voilà app (127.0.0.1)",
        description="Serve NOTEBOOK with Voilà on 127.0.0.1: demos without code, "
        "for live demos in class. Needs the [app] extra.",
    )
    p.add_argument("notebook", metavar="NOTEBOOK")
    p.add_argument("--port", type=int, default=8866)
    p.add_argument("--no-browser", action="store_true")
    p.set_defaults(run=app)
    return main_parser


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
