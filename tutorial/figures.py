"""Every demo's picture at its default settings, as PNG files.

``python -m tutorial figures OUTDIR`` builds each demo of each section
module's ``DEMOS`` (headless, no kernel) and saves what a learner first sees,
for handouts and static pages: ``OUTDIR/sNN_<demo>.png``, with the picture in
words beside it (``OUTDIR/sNN_<demo>.txt``: the demo's text alternative, for
an ``alt`` attribute or a reader who cannot see the figure).
"""

from __future__ import annotations

import time
from pathlib import Path

from . import sections

__all__ = ["render"]


def render(outdir: Path, only=None, log=print) -> list[Path]:
    """Save every demo's first picture and its text alternative; return the PNGs.

    Parameters
    ----------
    outdir : Path
        Created if needed.
    only : list of str, optional
        Notebook numbers or module names ("01", "s02", ...); default: all.
    log : callable
        Receives one progress line per demo.

    Raises
    ------
    ValueError
        If `only` names no section module.
    RuntimeError
        If a demo fails to draw; the files already written are kept.
    """
    jobs = sections.demos(only)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for i, (module, demo_name) in enumerate(jobs, 1):
        start = time.perf_counter()
        demo = sections.build(module, demo_name)
        if demo.error is not None:
            raise RuntimeError(f"{module}.{demo_name}: {demo.error!r}")
        path = outdir / f"{module[:3]}_{demo_name}.png"
        path.write_bytes(demo.png())
        alt = demo.picture_name()
        path.with_suffix(".txt").write_text(alt + "\n", encoding="utf-8")
        written.append(path)
        seconds = time.perf_counter() - start
        log(f"[{i}/{len(jobs)}] {module}.{demo_name} -> {path} ({seconds:.1f} s)")
    return written
