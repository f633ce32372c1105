"""Lecture slides that work offline: executed notebooks as reveal.js decks.

``python -m tutorial slides OUTDIR`` runs each notebook in a fresh kernel (so
every demo's last frame is kept in the saved widget state), exports it with
nbconvert's reveal.js template, and writes ``OUTDIR/index.html`` linking the
decks. Every script, style sheet and font a deck loads is a local file in
``OUTDIR/assets`` (see `tutorial.web_assets`), so the decks open from
``file://`` with no network: no CDN, no web fonts, no mermaid import.
"""

from __future__ import annotations

import asyncio
import html
import re
import time
from pathlib import Path

import nbformat

from . import web_assets

__all__ = [
    "NBS",
    "notebooks",
    "execute",
    "execute_all",
    "export",
    "write_index",
    "build",
]

NBS = Path(__file__).resolve().parent.parent / "nbs"

# Our variant of nbconvert's reveal template, changed only where it would reach
# the network or where a lecture needs it:
# - no mermaid import (nbconvert 7 always adds one, from a CDN);
# - arrows step through every slide, sub-slide and fragment in order
#   ("linear"), so a speaker with a clicker never skips a vertical slide;
# - a 1280 x 800 canvas, because the demos' figures are wide; a slide that is
#   taller (question, demo and explanation) is shrunk to fit, down to 60 %,
#   and scrolls beyond that rather than lose its bottom;
# - the widget manager finds its icon fonts next to its script (it looks for
#   them beside the "@jupyter-widgets/..." modules, which require.js would
#   otherwise place in OUTDIR itself).
TEMPLATE_NAME = "offline_reveal.html.j2"
TEMPLATE = """\
{%- extends 'reveal/index.html.j2' -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_js_requirejs -%}
<script src="{{ resources.require_js_url }}"></script>
<script>
require.config({paths: {
  "@jupyter-widgets": "{{ resources.widget_renderer_url.rsplit('/', 1)[0] }}"}});
</script>
{%- endblock html_head_js_requirejs -%}
{%- block html_head_css -%}
<style>
/* A slide too tall even when shrunk (see fit below) scrolls instead of
   being cut off at the bottom. */
.reveal .slides section { max-height: 100%; overflow-y: auto; }
</style>
{%- endblock html_head_css -%}
{% block footer_js %}
<script>
require({waitSeconds: 60},
  ["{{ reveal_url_prefix }}/dist/reveal.js",
   "{{ reveal_url_prefix }}/plugin/notes/notes.js"],
  function (Reveal, RevealNotes) {
    window.Reveal = Reveal;  // for the console and the browser tests
    Reveal.initialize({
      controls: true, progress: true, history: true, slideNumber: "c/t",
      navigationMode: "linear", transition: "{{ reveal_transition }}",
      width: 1280, height: 800, plugins: [RevealNotes],
    });
    // MathJax typeset the hidden slides at zero width: lay the math of the
    // slide now shown out again (as nbconvert's own template does).
    // A slide taller than the canvas (a question, its demo and the
    // explanation) is shrunk to fit, down to 60 %; beyond that it scrolls.
    // Maths and pictures settle after the slide is shown, so fit again later.
    function fit(slide) {
      slide = slide || Reveal.getCurrentSlide();
      slide.style.zoom = "";
      var need = slide.scrollHeight, room = Reveal.getConfig().height;
      if (need > room) slide.style.zoom = Math.max(room / need, 0.6);
    }
    window.fitSlide = fit;
    function show(slide) {
      fit(slide);
      [300, 1000, 2500].forEach(function (ms) {
        setTimeout(function () { fit(slide); }, ms);
      });
    }
    Reveal.on("ready", function (event) { show(event.currentSlide); });
    Reveal.on("slidechanged", function (event) {
      var slide = event.currentSlide;
      if (window.MathJax && MathJax.Hub && MathJax.Hub.getAllJax(slide).length) {
        MathJax.Hub.Rerender(slide);
        MathJax.Hub.Queue(function () { fit(slide); });
      }
      show(slide);
    });
  });
</script>
{% endblock footer_js %}
"""

_NOTEBOOK_LINK = re.compile(r'href="(\d\d_\w+)\.ipynb')
_REMOTE_IMAGE = re.compile(r'<img\b[^>]*\bsrc="(?:https?:)?//[^"]*"[^>]*>')

# No web fonts: "white" uses reveal.js's bundled Source Sans Pro files; the
# default "simple" theme would ask Google Fonts.
THEME = "white"

INDEX = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 44em; margin: 3em auto;
       padding: 0 1em; line-height: 1.5; color: #222; }}
li {{ margin: 0.4em 0; font-size: 1.25em; }}
a {{ color: #0072B2; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p>Lecture slides, one deck per notebook. Use the arrow keys to step through a
deck; press <kbd>S</kbd> for the speaker's view with notes. They work offline.</p>
<ol>
{items}
</ol>
</body>
</html>
"""


def notebooks(folder: Path = NBS) -> list[Path]:
    """Return the tutorial's notebooks in reading order."""
    return sorted(Path(folder).glob("[0-9][0-9]_*.ipynb"))


def title(nb) -> str:
    """Return the notebook's title: its first "# " heading, without the "# "."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "untitled"


def _client(path: Path, timeout: int):
    from nbclient import NotebookClient

    return NotebookClient(
        nbformat.read(path, as_version=4),
        timeout=timeout,
        kernel_name="python3",
        store_widget_state=True,
        resources={"metadata": {"path": str(Path(path).parent)}},
    )


def execute(path: Path, timeout: int = 600):
    """Run a notebook in a fresh kernel; return it with outputs and widget state."""
    client = _client(path, timeout)
    client.execute()
    return client.nb


def execute_all(paths, timeout: int = 600, jobs: int = 2, done=None) -> list:
    """Run notebooks in fresh kernels, `jobs` at a time; return them in order.

    Each kernel is its own process, so running two at once roughly halves the
    wait on a machine with two cores. ``done(i, path, nb)`` is called as each
    notebook finishes.
    """
    if jobs < 1:
        raise ValueError(f"jobs: must be at least 1, got {jobs}")

    async def run_all():
        gate = asyncio.Semaphore(jobs)

        async def run(i, path):
            async with gate:
                client = _client(path, timeout)
                await client.async_execute()
            if done:
                done(i, path, client.nb)
            return client.nb

        return await asyncio.gather(*(run(i, p) for i, p in enumerate(paths)))

    return asyncio.run(run_all())


def exporter():
    """Return nbconvert's SlidesExporter set up for local assets."""
    from jinja2 import DictLoader
    from nbconvert import SlidesExporter

    exp = SlidesExporter(
        extra_loaders=[DictLoader({TEMPLATE_NAME: TEMPLATE})],
        template_file=TEMPLATE_NAME,
        reveal_theme=THEME,
        reveal_transition="slide",
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        **web_assets.URLS,
    )
    return exp


def export(nb, name: str) -> str:
    """Return the reveal.js deck of an executed notebook as HTML text.

    Links to another notebook ("see 02_convex_vs_nonconvex.ipynb") point to
    that notebook's deck instead. An image from the web (a badge, say) would
    be a broken picture in a lecture hall, so it becomes its alt text.
    """
    body, _ = exporter().from_notebook_node(nb, resources={"metadata": {"name": name}})
    body = _REMOTE_IMAGE.sub(_alt_text, body)
    return _NOTEBOOK_LINK.sub(r'href="\1.slides.html', body)


def _alt_text(match) -> str:
    alt = re.search(r'alt="([^"]*)"', match.group(0))
    return f"<span>{alt.group(1) if alt else ''}</span>"


def write_index(outdir: Path, decks: list[tuple[str, str]]) -> Path:
    """Write ``outdir/index.html`` linking each (file name, title) deck."""
    items = "\n".join(
        f'<li><a href="{html.escape(f)}">{html.escape(t)}</a></li>' for f, t in decks
    )
    text = INDEX.format(title="Why training a neural network is hard", items=items)
    path = Path(outdir) / "index.html"
    path.write_text(text, encoding="utf-8")
    return path


def build(
    outdir: Path, paths=None, timeout: int = 600, jobs: int = 2, log=print
) -> Path:
    """Execute and export notebooks into `outdir`; return the index page.

    Parameters
    ----------
    outdir : Path
        Created if needed; gets one ``NN_topic.slides.html`` per notebook,
        ``assets/`` and ``index.html``.
    paths : list of Path, optional
        Notebooks to build; default: every notebook in ``nbs/``.
    timeout : int
        Seconds any one cell may run.
    jobs : int
        Notebooks executed at the same time.
    log : callable
        Receives one progress line per notebook.
    """
    outdir = Path(outdir)
    paths = [Path(p) for p in paths] if paths else notebooks()
    if not paths:
        raise ValueError(f"paths: no notebooks given or found in {NBS}")
    for path in paths:
        if not path.is_file():
            raise ValueError(f"paths: no notebook at {path}")
    outdir.mkdir(parents=True, exist_ok=True)
    assets = web_assets.install(outdir, log=log)
    log(f"assets in {assets}")
    start, finished = time.perf_counter(), []

    def write_deck(i, path, nb):
        target = outdir / f"{path.stem}.slides.html"
        target.write_text(export(nb, path.stem), encoding="utf-8")
        finished.append(path)
        seconds = time.perf_counter() - start
        log(f"[{len(finished)}/{len(paths)}] {path.name} -> {target} ({seconds:.0f} s)")

    executed = execute_all(paths, timeout=timeout, jobs=jobs, done=write_deck)
    decks = [
        (f"{p.stem}.slides.html", title(nb))
        for p, nb in zip(paths, executed, strict=True)
    ]
    index = write_index(outdir, decks)
    log(f"open {index.as_uri()}")
    return index
