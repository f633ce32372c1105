"""Publish the notebooks for readers with no kernel: slides, a site, handouts.

``python -m tutorial slides OUTDIR`` and ``python -m tutorial site OUTDIR``
both come here. Each notebook runs once, in a fresh kernel in export mode
(``TUTORIAL_EXPORT=1``, see `tutorial.export`), so every demo displays its
player with precomputed pictures. Then:

1. the pictures move out of the notebook into files,
   ``OUTDIR/frames/NN_topic/<hash>.png`` (identical pictures once), which the
   pages load only when a demo is shown;
2. the saved widget state keeps only widgets still shown live (a `Demo`'s own
   widgets are not), so no page carries pictures it never shows;
3. each notebook becomes a deck (`tutorial.slides`), and with ``site`` a page
   (`tutorial.site`); with ``--pdf`` a PDF handout per deck
   (`tutorial.handouts`); then an index page;
4. the size of every deck and page (HTML and its pictures) is printed and
   checked: at most `PAGE_BUDGET` bytes each, `TOTAL_BUDGET` for the whole
   folder.

Layout of OUTDIR: ``index.html``, ``NN_topic.slides.html``, ``NN_topic.html``
(site), ``NN_topic.pdf`` (handouts), ``frames/``, ``assets/``. Every link is
relative, so the folder works from ``file://`` and from any static host.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import re
import shutil
import time
from pathlib import Path

import nbformat

from . import export, slides, web_assets

__all__ = [
    "NBS",
    "PAGE_BUDGET",
    "TOTAL_BUDGET",
    "notebooks",
    "execute_all",
    "store_frames",
    "players",
    "prune_widget_state",
    "sizes",
    "build",
]

NBS = Path(__file__).resolve().parent.parent / "nbs"
PAGE_BUDGET = 10_000_000  # bytes: one deck or page with all its pictures
TOTAL_BUDGET = 80_000_000  # bytes: the whole OUTDIR

_PLAYER_DATA = re.compile(r'<script\b[^>]*\bclass="tp-data"[^>]*>(.*?)</script>', re.S)
_DATA_PNG = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")
_MODEL_REF = re.compile(r"IPY_MODEL_([0-9a-f]+)")
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def notebooks(folder: Path = NBS) -> list[Path]:
    """Return the tutorial's notebooks in reading order."""
    return sorted(Path(folder).glob("[0-9][0-9]_*.ipynb"))


def _client(path: Path, timeout: int):
    from nbclient import NotebookClient

    return NotebookClient(
        nbformat.read(path, as_version=4),
        timeout=timeout,
        kernel_name="python3",
        store_widget_state=True,
        resources={"metadata": {"path": str(Path(path).parent)}},
    )


def execute_all(paths, timeout: int = 600, jobs: int = 2, done=None) -> list:
    """Run notebooks in fresh kernels in export mode, `jobs` at a time.

    Returns the executed notebooks in order. Each kernel is its own process,
    so running two at once roughly halves the wait on a machine with two
    cores. ``done(i, path, nb)`` is called as each notebook finishes.
    """
    if jobs < 1:
        raise ValueError(f"jobs: must be at least 1, got {jobs}")
    env = {**os.environ, export.ENV: "1"}

    async def run_all():
        gate = asyncio.Semaphore(jobs)

        async def run(i, path):
            async with gate:
                client = _client(path, timeout)
                await client.async_execute(env=env)
            if done:
                done(i, path, client.nb)
            return client.nb

        return await asyncio.gather(*(run(i, p) for i, p in enumerate(paths)))

    return asyncio.run(run_all())


def store_frames(nb, outdir: Path, name: str) -> list[Path]:
    """Move the pictures of every static output into files; return them.

    Each ``data:image/png`` URI in a static output (`tutorial.export`) is
    written once to ``outdir/frames/<name>/<hash>.png`` and replaced by that
    path, relative to `outdir`, where the pages are.
    """
    folder = Path(outdir) / "frames" / name
    shutil.rmtree(folder, ignore_errors=True)
    written: dict[str, Path] = {}

    def to_file(match) -> str:
        data = match.group(1)
        digest = hashlib.sha256(data.encode("ascii")).hexdigest()[:20]
        path = folder / f"{digest}.png"
        if digest not in written:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(base64.b64decode(data))
            written[digest] = path
        return f"frames/{name}/{path.name}"

    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if export.output_info(out) and "text/html" in out.get("data", {}):
                text = out["data"]["text/html"]
                if isinstance(text, list):
                    text = "".join(text)
                out["data"]["text/html"] = _DATA_PNG.sub(to_file, text)
    return list(written.values())


def players(nb) -> list[tuple[str, dict]]:
    """Return (cell id, data) for every demo player in a notebook's outputs."""
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text = out.get("data", {}).get("text/html", "")
            text = "".join(text) if isinstance(text, list) else text
            for match in _PLAYER_DATA.finditer(text):
                data = json.loads(match.group(1))  # "<\\/" is JSON for "</"
                found.append((cell.get("id", ""), data))
    return found


def prune_widget_state(nb) -> int:
    """Keep only the widget models that a shown widget needs; return how many.

    A demo in export mode shows a player, not its widgets, but they were
    created all the same and their state (pictures included) is saved. The
    state of widgets no output shows is dropped, and with none left the
    widget renderer is not loaded at all.
    """
    widgets = nb.metadata.get("widgets", {}).get(_WIDGET_STATE)
    if not widgets:
        nb.metadata.pop("widgets", None)
        return 0
    state = widgets.get("state", {})
    todo = [
        out["data"][_WIDGET_VIEW]["model_id"]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if _WIDGET_VIEW in out.get("data", {})
    ]
    keep: set[str] = set()
    while todo:
        model = todo.pop()
        if model in keep or model not in state:
            continue
        keep.add(model)
        todo += _MODEL_REF.findall(repr(state[model].get("state", {})))
    if not keep:
        nb.metadata.pop("widgets")
        return 0
    widgets["state"] = {k: v for k, v in state.items() if k in keep}
    return len(keep)


def sizes(outdir: Path, names, suffixes=(".slides.html", ".html")) -> dict:
    """Return {file name: (HTML bytes, picture bytes)} for each deck and page."""
    outdir = Path(outdir)
    table = {}
    for name in names:
        frames = outdir / "frames" / name
        pictures = sum(p.stat().st_size for p in frames.glob("*.png"))
        for suffix in suffixes:
            page = outdir / f"{name}{suffix}"
            if page.is_file():
                table[page.name] = (page.stat().st_size, pictures)
    return table


def folder_size(folder: Path) -> int:
    """Return the bytes of every file under `folder`."""
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def _megabytes(n: int) -> str:
    return f"{n / 1e6:5.2f} MB"


def build(
    outdir: Path,
    paths=None,
    *,
    pages: bool = False,
    pdf: bool = False,
    notes: bool = False,
    timeout: int = 600,
    jobs: int = 2,
    log=print,
) -> Path:
    """Execute notebooks in export mode and publish them into `outdir`.

    Parameters
    ----------
    outdir : Path
        Created if needed (see the module docstring for its layout).
    paths : list of Path, optional
        Notebooks to publish; default: every notebook in ``nbs/``.
    pages : bool
        Also write the static site: one page per notebook, and an index page
        with the notebook map instead of the list of decks.
    pdf : bool
        Also write one PDF handout per deck (needs Playwright and Chromium).
    notes : bool
        Put each slide's speaker notes on a page after it in the PDFs.
    timeout : int
        Seconds any one cell may run.
    jobs : int
        Notebooks executed at the same time.
    log : callable
        Receives one progress line per notebook, then the sizes.

    Returns
    -------
    Path
        The index page.

    Raises
    ------
    ValueError
        For a missing notebook or bad arguments.
    RuntimeError
        If a notebook fails, assets cannot be had, or a size budget is passed.
    """
    from . import site

    outdir = Path(outdir)
    paths = [Path(p) for p in paths] if paths else notebooks()
    if not paths:
        raise ValueError(f"paths: no notebooks given or found in {NBS}")
    for path in paths:
        if not path.is_file():
            raise ValueError(f"paths: no notebook at {path}")
    if notes and not pdf:
        raise ValueError("notes: speaker notes go into the PDFs; add pdf (--pdf)")
    if pdf:
        from . import handouts

        handouts.check_available()
    outdir.mkdir(parents=True, exist_ok=True)
    assets = web_assets.install(outdir, log=log)
    log(f"assets in {assets}")
    start, finished = time.perf_counter(), []
    names = [p.stem for p in paths]

    def publish(i, path, nb):
        name = path.stem
        neighbours = (
            names[i - 1] if i > 0 else None,
            names[i + 1] if i + 1 < len(names) else None,
        )
        store_frames(nb, outdir, name)
        prune_widget_state(nb)
        written = [outdir / f"{name}.slides.html"]
        written[0].write_text(slides.deck(nb, name), encoding="utf-8")
        if pages:
            written.append(outdir / f"{name}.html")
            text = site.page(nb, name, neighbours, pdf=pdf)
            written[1].write_text(text, encoding="utf-8")
        finished.append(path)
        seconds = time.perf_counter() - start
        made = ", ".join(p.name for p in written)
        log(f"[{len(finished)}/{len(paths)}] {path.name} -> {made} ({seconds:.0f} s)")
        for _, data in players(nb):
            shape = " × ".join(
                f"{c['label']} ({len(c['labels'])})" for c in data["controls"]
            )
            log(f"    player: {shape}, {len(data['frames'])} pictures")

    executed = execute_all(paths, timeout=timeout, jobs=jobs, done=publish)
    titles = [slides.title(nb) for nb in executed]
    if pdf:
        from . import handouts

        for line in handouts.write(outdir, names, notes=notes):
            log(line)
    if pages:
        index = site.write_index(outdir, names, titles, executed, pdf=pdf)
    else:
        decks = [(f"{n}.slides.html", t) for n, t in zip(names, titles, strict=True)]
        index = slides.write_index(outdir, decks)
    report(outdir, names, log)
    log(f"open {index.as_uri()}")
    return index


def report(outdir: Path, names, log=print) -> None:
    """Print each deck's and page's size; raise if a budget is passed."""
    table = sizes(outdir, names)
    over = []
    log("sizes (HTML + pictures; shared assets counted once in the total):")
    for page, (text, pictures) in table.items():
        total = text + pictures
        log(
            f"  {page:42s} {_megabytes(text)} + {_megabytes(pictures)}"
            f" = {_megabytes(total)}"
        )
        if total > PAGE_BUDGET:
            over.append(f"{page} weighs {total / 1e6:.1f} MB")
    whole = folder_size(outdir)
    assets = folder_size(Path(outdir) / "assets")
    log(f"  assets {_megabytes(assets)}; whole folder {_megabytes(whole)}")
    if whole > TOTAL_BUDGET:
        over.append(f"the whole export weighs {whole / 1e6:.1f} MB")
    if over:
        raise RuntimeError(
            "size budget passed: "
            + "; ".join(over)
            + f" (at most {PAGE_BUDGET / 1e6:.0f} MB a deck or page, "
            f"{TOTAL_BUDGET / 1e6:.0f} MB in all). Lower tutorial.player."
            "FRAME_BUDGET, or export fewer controls."
        )
