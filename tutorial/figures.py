"""Every demo's picture at its default settings, as PNG files.

``python -m tutorial figures OUTDIR`` builds each demo of each section
module's ``DEMOS`` (headless, no kernel) and saves what a learner first sees,
for handouts and static pages: ``OUTDIR/sNN_<demo>.png``.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time
from pathlib import Path

__all__ = ["section_modules", "render"]


def section_modules() -> list[str]:
    """Return the names of the section modules (``s01_...``), in order."""
    import tutorial

    return sorted(
        info.name
        for info in pkgutil.iter_modules(tutorial.__path__)
        if re.fullmatch(r"s\d\d_\w+", info.name)
    )


def _wanted(module: str, only) -> bool:
    # "01", "s01" and the full module name all select notebook 01's demos.
    return not only or any(
        module == s or module[1:3] == s.lstrip("s")[:2] for s in only
    )


def render(outdir: Path, only=None, log=print) -> list[Path]:
    """Save every demo's first picture into `outdir`; return the PNG paths.

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
    RuntimeError
        If a demo fails to draw; the files already written are kept.
    """
    modules = [m for m in section_modules() if _wanted(m, only)]
    if not modules:
        raise ValueError(f"only: no section module matches {only}")
    jobs = []
    for name in modules:
        module = importlib.import_module(f"tutorial.{name}")
        jobs += [(name, demo, make) for demo, make in module.DEMOS.items()]
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for i, (module, demo_name, make) in enumerate(jobs, 1):
        start = time.perf_counter()
        demo = make()
        if demo.error is not None:
            raise RuntimeError(f"{module}.{demo_name}: {demo.error!r}")
        path = outdir / f"{module[:3]}_{demo_name}.png"
        path.write_bytes(demo.png())
        written.append(path)
        seconds = time.perf_counter() - start
        log(f"[{i}/{len(jobs)}] {module}.{demo_name} -> {path} ({seconds:.1f} s)")
    return written
