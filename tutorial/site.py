"""A static site of the tutorial: every notebook as a page that needs no kernel.

``python -m tutorial site OUTDIR`` (see `tutorial.publish`) writes, next to
the decks, one page per notebook executed in export mode:

- all the prose, speaker notes as ordinary text, maths typeset by a local
  MathJax;
- each code cell folded under "Python code" (open it to read it), except an
  exercise's check cell, shown open with a note that checks need Python;
- each demo as its player: the exported control answers with precomputed
  pictures, the other controls are shown disabled.

``index.html`` is the notebook map: each notebook's title and opening
paragraph, with links to its page, its deck and its PDF. Every link is
relative and every asset local: the folder works from ``file://`` and from
any static host.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from . import export, slides, web_assets

__all__ = ["page", "write_index", "intro"]

TEMPLATE_NAME = "tutorial_page.html.j2"
TEMPLATE = """\
{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_js_requirejs -%}
HEAD_JS
<link rel="stylesheet" href="assets/tutorial/site.css">
{%- endblock html_head_js_requirejs -%}
{%- block body_header -%}
{{ super() }}
{{ resources.tutorial.header }}
{%- endblock body_header -%}
{% block body_footer %}
{{ resources.tutorial.footer }}
{{ super() }}
{% endblock body_footer %}
{% block input_group -%}
{%- if cell.metadata.get('tutorial_check') -%}
<div class="tp-check-code">
{{ super() }}
</div>
{%- else -%}
<details class="tp-code"><summary>Python code</summary>
{{ super() }}
</details>
{%- endif -%}
{% endblock input_group %}
{% block footer_js %}
<script>
document.addEventListener("DOMContentLoaded", function () {
  TutorialPlayers.watch();
});
</script>
{% endblock footer_js %}
""".replace("HEAD_JS", slides.HEAD_JS)

HEADER = """\
<nav class="tp-nav" aria-label="tutorial">
<a href="index.html">All notebooks</a>{links}
</nav>
<p class="tp-banner">A read-only page: no Python runs here. Sliders under a demo
replay pictures drawn in advance; the other controls, the code and the exercise
checks work in the notebook ({notebook}, in Jupyter or on Binder).</p>
"""

FOOTER = """\
<nav class="tp-nav tp-footer" aria-label="next and previous">
{links}
</nav>
"""

INDEX = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="assets/tutorial/site.css">
<script src="{mathjax}"></script>
<script type="text/x-mathjax-config">
MathJax.Hub.Config({{tex2jax: {{inlineMath: [["$", "$"], ["\\\\(", "\\\\)"]],
  processEscapes: true}}, messageStyle: "none"}});
</script>
</head>
<body class="tp-index">
<main>
<h1>{title}</h1>
<p>Interactive notebooks on why fitting a network's weights is a hard
optimization problem. Read them here (no Python needed: sliders replay pictures
drawn in advance), project the lecture slides, or open the notebooks in Jupyter
or on Binder to run and change everything.</p>
<ul class="tp-map">
{items}
</ul>
</main>
</body>
</html>
"""


def _checks(nb) -> None:
    """Mark the code cells whose output is an exercise check (shown open)."""
    for cell in nb.cells:
        if cell.cell_type == "code" and any(
            export.output_info(out).get("slides") is False for out in cell.outputs
        ):
            cell.metadata["tutorial_check"] = True


def exporter():
    """Return nbconvert's HTMLExporter set up for local assets."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(
        extra_loaders=[DictLoader({TEMPLATE_NAME: TEMPLATE})],
        template_file=TEMPLATE_NAME,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        **{k: v for k, v in web_assets.URLS.items() if k != "reveal_url_prefix"},
    )


def _link(href: str, text: str, rel: str = "") -> str:
    rel = f' rel="{rel}"' if rel else ""
    return f' · <a href="{html.escape(href)}"{rel}>{html.escape(text)}</a>'


def page(nb, name: str, neighbours=(None, None), pdf: bool = False) -> str:
    """Return the static page of a notebook executed in export mode.

    `neighbours` are the names of the previous and next notebooks (or None).
    """
    import copy

    nb = copy.deepcopy(nb)
    _checks(nb)
    links = _link(f"{name}.slides.html", "lecture slides")
    if pdf:
        links += _link(f"{name}.pdf", "PDF handout")
    before, after = neighbours
    steps = ""
    if before:
        steps += f'<a href="{before}.html" rel="prev">← {before}</a> '
    if after:
        steps += f'<a href="{after}.html" rel="next">{after} →</a>'
    resources = {
        "metadata": {"name": name},
        "tutorial": {
            "header": HEADER.format(links=links, notebook=f"nbs/{name}.ipynb"),
            "footer": FOOTER.format(links=steps),
        },
    }
    body, _ = exporter().from_notebook_node(nb, resources=resources)
    return slides.offline(body, ".html")


def intro(nb) -> str:
    """Return the notebook's opening paragraph (markdown), after its title."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", cell.source)]
        for p in paragraphs:
            if p and not p.startswith("#"):
                # "... In this notebook you will" leads into a list: end the
                # paragraph at its last whole sentence instead.
                whole = re.match(r"(?s)(.*[.!?])\s", p + " ")
                return whole.group(1) if whole else p
    return ""


def write_index(outdir: Path, names, titles, nbs, pdf: bool = False) -> Path:
    """Write ``outdir/index.html``: the notebook map with every way to read each."""
    from nbconvert.filters import markdown2html

    items = []
    for name, title, nb in zip(names, titles, nbs, strict=True):
        text = slides.offline(markdown2html(intro(nb)), ".html")
        ways = f'<a href="{name}.slides.html">slides</a>'
        if pdf:
            ways += f' · <a href="{name}.pdf">PDF</a>'
        items.append(
            f'<li><h2><a href="{name}.html">{html.escape(title)}</a></h2>'
            f'{text}<p class="tp-ways">{ways}</p></li>'
        )
    text = INDEX.format(
        title="Why training a neural network is hard",
        items="\n".join(items),
        mathjax=web_assets.URLS["mathjax_url"],
    )
    path = Path(outdir) / "index.html"
    path.write_text(text, encoding="utf-8")
    return path
