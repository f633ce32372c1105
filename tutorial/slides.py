"""Lecture slides that work offline: executed notebooks as reveal.js decks.

`deck` turns a notebook executed in export mode (see `tutorial.publish`,
which ``python -m tutorial slides OUTDIR`` runs) into a reveal.js deck. What
a lecturer projects, and nothing else:

- no code input on any slide; a demo shows its player (controls, picture,
  sentence) and answers its exported control with no kernel;
- no output that is marked for pages only (a check's feedback);
- markdown cells of slide type ``notes`` become speaker notes (press S);
- a 1280 × 720 canvas; a slide taller than that is shrunk to fit (down to
  60 %, then it scrolls), and `fitSlide` records the zoom it needed in
  ``data-fit`` for the tests and the audit;
- ``?print-pdf`` prints one page per slide with fragments shown
  (`tutorial.handouts`), ``&showNotes=separate-page`` adds the notes.

Every script, style sheet and font a deck loads is a local file under
``OUTDIR/assets`` (see `tutorial.web_assets`): no CDN, no web fonts, no
mermaid import, so the decks open from ``file://`` with no network.
"""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path

from . import export, web_assets

__all__ = [
    "WIDTH",
    "HEIGHT",
    "HEAD_JS",
    "deck",
    "for_slides",
    "offline",
    "title",
    "write_index",
]

WIDTH, HEIGHT = 1280, 720  # reveal.js's reference size: a 16:9 projector

# Our variant of nbconvert's reveal template, changed only where it would reach
# the network or where a lecture needs it:
# - no mermaid import (nbconvert 7 always adds one, from a CDN);
# - arrows step through every slide, sub-slide and fragment in order
#   ("linear"), so a speaker with a clicker never skips a vertical slide;
# - text sized for a projector (prose 24 px on the 1280 × 720 canvas);
# - demo players (assets/tutorial/export.js) fetch their pictures when their
#   slide is shown, not when the deck opens;
# - the widget manager (for any live widget left) finds its icon fonts next to
#   its script.
# Scripts every exported page loads (in nbconvert's require.js block): the
# widget manager finds its icon fonts next to its script, and the players.
HEAD_JS = """\
<script src="{{ resources.require_js_url }}"></script>
<script>
require.config({paths: {
  "@jupyter-widgets": "{{ resources.widget_renderer_url.rsplit('/', 1)[0] }}"}});
</script>
<link rel="stylesheet" href="assets/tutorial/export.css">
<script src="assets/tutorial/export.js"></script>"""
TEMPLATE_NAME = "offline_reveal.html.j2"
TEMPLATE = """\
{%- extends 'reveal/index.html.j2' -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_js_requirejs -%}
HEAD_JS
{%- endblock html_head_js_requirejs -%}
{%- block html_head_css -%}
<script type="text/x-mathjax-config">
// Speaker notes keep their TeX: the speaker's view (a window of its own,
// without MathJax) would show typeset maths twice. Printed notes are typeset.
MathJax.Hub.Config({tex2jax: {ignoreClass: "tex2jax_ignore|notes"}});
</script>
<style>
:root {
  --jp-content-font-size1: 24px;
  --jp-ui-font-size1: 22px;
  --jp-code-font-size: 20px;
}
/* A slide too tall even when shrunk (see fit below) scrolls instead of
   being cut off at the bottom. */
.reveal .slides section { max-height: 100%; overflow-y: auto; }
.reveal .slides section .jp-Cell { padding: 0; }
.reveal table { font-size: 1em; }
.reveal .jp-mod-noOutputs.jp-mod-noInput { display: none; }
.reveal .jp-OutputArea-child, .reveal .jp-OutputArea-output { margin: 0; padding: 0; }
/* A player's labels at 23 px stay 20 px or more on a slide shrunk to 0.9;
   its sliders are 10em (230 px) so that three controls still share a row. */
.reveal .tp-player { font-size: 23px; margin: 0.3em 0 0; }
.reveal .tp-control input[type="range"] { width: 10em; }
.reveal img.tp-picture { margin: 0.15em 0; }
.reveal .tp-sentence { font-size: 24px; margin: 0; }
.reveal .tp-note { margin: 0; }
.reveal .tp-site-only { display: none; }
/* reveal.js draws its navigation arrows over the slide's bottom right corner:
   the last block of a slide (and a player's sentence, often the last line)
   ends its lines short of them. Two rules: a browser without the `of`
   selector drops only the first. */
.reveal .slides section > :nth-last-child(1 of div) p { padding-right: 92px; }
.reveal .tp-sentence { padding-right: 92px; }
/* Printing: one page per slide, never a scroll bar. */
html.print-pdf .reveal .slides section { overflow: hidden; }
html.print-pdf .speaker-notes-pdf { font-size: 22px; line-height: 1.4; }
</style>
{%- endblock html_head_css -%}
{% block footer_js %}
<script>
require({waitSeconds: 60},
  ["{{ reveal_url_prefix }}/dist/reveal.js",
   "{{ reveal_url_prefix }}/plugin/notes/notes.js"],
  function (Reveal, RevealNotes) {
    window.Reveal = Reveal;  // for the console, the tests and the PDF printer
    Reveal.initialize({
      controls: true, progress: true, history: true, slideNumber: "c/t",
      navigationMode: "linear", transition: "{{ reveal_transition }}",
      width: WIDTH, height: HEIGHT, plugins: [RevealNotes],
      pdfSeparateFragments: false, pdfMaxPagesPerSlide: 1,
    });
    // A slide taller than the canvas (a question, its demo and the
    // explanation) is shrunk to fit, down to 60 %; beyond that it scrolls.
    // Maths and pictures settle after the slide is shown, so fit again later.
    function fit(slide) {
      slide = slide || Reveal.getCurrentSlide();
      slide.style.zoom = "";
      var need = slide.scrollHeight, room = Reveal.getConfig().height;
      var zoom = need > room ? Math.max(room / need, 0.6) : 1;
      if (zoom < 1) slide.style.zoom = zoom;
      slide.dataset.fit = zoom.toFixed(3);
      return zoom;
    }
    window.fitSlide = fit;
    // reveal.js centres a slide when it is shown, before its pictures are
    // in: centred again once it is fitted, or its foot would be cut off.
    function refit(slide) {
      fit(slide);
      if (slide === Reveal.getCurrentSlide()) Reveal.layout();
    }
    function show(slide) {
      if (!slide.dataset.refits) {  // once per slide: when a picture comes in
        slide.dataset.refits = "load";
        slide.addEventListener("load", function () { refit(slide); }, true);
      }
      TutorialPlayers.activate(slide);
      refit(slide);
      [300, 1000, 2500].forEach(function (ms) {
        setTimeout(function () { refit(slide); }, ms);
      });
    }
    if (Reveal.isPrintingPDF()) {
      // Every player shows its first picture; tutorial.handouts fits every
      // slide once maths and pictures are in, then prints.
      TutorialPlayers.activate(document, true);
      Reveal.on("pdf-ready", function () {
        // No blank page after the last slide (or its page of notes).
        var pages = document.querySelectorAll(
          ".pdf-page, .speaker-notes-pdf[data-layout='separate-page']");
        if (pages.length) pages[pages.length - 1].style.pageBreakAfter = "avoid";
        document.querySelectorAll(".speaker-notes-pdf").forEach(function (notes) {
          MathJax.Hub.Queue(["Typeset", MathJax.Hub, notes]);
        });
        window.pdfReady = true;
      });
      window.fitAll = function () {
        document.querySelectorAll(".reveal .slides section").forEach(function (s) {
          if (s.querySelector("section")) return;
          // reveal.js gave each printed slide a width in px, which a zoom
          // would shrink too: widen it by as much.
          s.style.width = WIDTH + "px";
          s.style.width = WIDTH / fit(s) + "px";
        });
      };
      return;
    }
    Reveal.on("ready", function (event) { show(event.currentSlide); });
    Reveal.on("slidechanged", function (event) {
      var slide = event.currentSlide;
      // A control keeps the keyboard only on its own slide.
      if (document.activeElement && document.activeElement.blur
          && !slide.contains(document.activeElement)) {
        document.activeElement.blur();
      }
      // MathJax typeset the hidden slides at zero width: lay the math of the
      // slide now shown out again (as nbconvert's own template does).
      // Queued, so that it never runs while the first typeset of the deck
      // is still going (that showed some formulas twice).
      if (window.MathJax && MathJax.Hub) {
        MathJax.Hub.Queue(["Rerender", MathJax.Hub, slide], function () {
          refit(slide);
        });
      }
      show(slide);
    });
  });
</script>
{% endblock footer_js %}
"""
TEMPLATE = TEMPLATE.replace("HEAD_JS", HEAD_JS)
TEMPLATE = TEMPLATE.replace("WIDTH", str(WIDTH)).replace("HEIGHT", str(HEIGHT))

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
<meta name="viewport" content="width=device-width, initial-scale=1">
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
deck; press <kbd>S</kbd> for the speaker's view with notes. Sliders under a
demo work here too: click one (or reach it with <kbd>Tab</kbd>) and move it with
the arrow keys; <kbd>Esc</kbd> gives the arrows back to the slides. The decks
work offline.</p>
<ol>
{items}
</ol>
</body>
</html>
"""


def title(nb) -> str:
    """Return the notebook's title: its first "# " heading, without the "# "."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "untitled"


def exporter():
    """Return nbconvert's SlidesExporter set up for local assets, no code."""
    from jinja2 import DictLoader
    from nbconvert import SlidesExporter

    return SlidesExporter(
        extra_loaders=[DictLoader({TEMPLATE_NAME: TEMPLATE})],
        template_file=TEMPLATE_NAME,
        reveal_theme=THEME,
        reveal_transition="slide",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        **web_assets.URLS,
    )


def for_slides(nb):
    """Return a copy of an executed notebook without what slides never show.

    Outputs marked for pages only (``"slides": false`` in their ``tutorial``
    display metadata, see `tutorial.export`) are dropped.
    """
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                out
                for out in cell.outputs
                if export.output_info(out).get("slides", True)
            ]
    return nb


def deck(nb, name: str) -> str:
    """Return the reveal.js deck of an executed notebook as HTML text.

    Links to another notebook point to its deck; see `offline`.
    """
    body, _ = exporter().from_notebook_node(
        for_slides(nb), resources={"metadata": {"name": name}}
    )
    return offline(body, ".slides.html")


def offline(body: str, suffix: str) -> str:
    """Return exported HTML fit for a hall with no network.

    Links to a notebook (``NN_topic.ipynb``) point to ``NN_topic<suffix>``,
    its deck or page; an image from the web (a badge, say) would be a broken
    picture, so it becomes its alt text.
    """
    body = _REMOTE_IMAGE.sub(_alt_text, body)
    return _NOTEBOOK_LINK.sub(rf'href="\1{suffix}', body)


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
