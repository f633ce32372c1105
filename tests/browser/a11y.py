"""Accessibility in the browser tests: axe-core's audit and measured contrast.

axe-core comes from the npm registry like the slides' scripts (pinned, fetched
once into the same cache, see `tutorial.web_assets`) and is injected into the
page under test. `audit` fails on serious or critical violations only in what
the tutorial renders (the caller names that part of the page) and prints
every count, so the lesser ones stay visible in the log.
"""

from __future__ import annotations

import functools
import time

AXE = {"axe-core": "4.10.3"}
FAILING = ("serious", "critical")
IMPACTS = ("critical", "serious", "moderate", "minor", "ipywidgets")

# In JupyterLab only what the notebook shows is ours: rendered prose and cell
# outputs. Its own interface (menus, toolbars, side panels, cell prompts and
# editors) is left out of the audit.
LAB_SCOPE = [".jp-Notebook .jp-MarkdownOutput", ".jp-Notebook .jp-OutputArea-output"]
# The slide on screen (reveal.js hides the others), not a stack of slides.
CURRENT_SLIDE = ".reveal .slides section.present:not(:has(section))"

# One exception, not ours to fix: ipywidgets 8 draws a slider's handle with
# noUiSlider, as a role="slider" element that it gives no accessible name
# (aria-input-field-name); its visible label beside it is not linked to it,
# and a kernel cannot add the attribute. Those nodes are counted apart
# ("ipywidgets' slider handles") and every other node of the rule still fails.
IPYWIDGETS_HANDLE = ("aria-input-field-name", ".widget-slider .noUi-handle")

_RUN_JS = """async ([include, known]) => {
  const nodes = include.flatMap(s => [...document.querySelectorAll(s)]);
  if (!nodes.length) return null;
  // (preload off: axe would fetch the stylesheets again, which file:// refuses)
  const result = await axe.run({include: nodes},
                               {resultTypes: ['violations'], preload: false});
  const out = [];
  for (const v of result.violations) {
    const theirs = v.nodes.filter(n => v.id === known[0]
      && document.querySelector(n.target[0])?.matches(known[1]));
    const ours = v.nodes.filter(n => !theirs.includes(n));
    if (theirs.length) out.push({id: v.id, impact: 'ipywidgets', help: v.help,
                                 nodes: theirs.length, where: []});
    if (ours.length) out.push({id: v.id, impact: v.impact, help: v.help,
      nodes: ours.length, where: ours.slice(0, 3).map(n => n.target.join(' '))});
  }
  return out;
}"""


@functools.cache
def axe_script() -> str:
    from tutorial import web_assets

    folder = web_assets.fetch(print, packages=AXE)["axe-core"]
    return (folder / "axe.min.js").read_text(encoding="utf-8")


def run(page, include) -> list[dict]:
    """Run axe-core on the elements the selectors `include` pick; return the
    violations, one entry per rule and impact, with their node counts."""
    include = [include] if isinstance(include, str) else list(include)
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(content=axe_script())
    start = time.perf_counter()
    found = page.evaluate(_RUN_JS, [include, list(IPYWIDGETS_HANDLE)])
    assert found is not None, f"nothing to audit under {include}"
    # The time it took, as an entry of no impact (report adds them up).
    return found + [{"id": "", "impact": "seconds", "nodes": 0,
                     "seconds": time.perf_counter() - start}]  # fmt: skip


def report(name: str, found: list[dict]) -> list[dict]:
    """Print one line of counts (by impact, and by rule); return what fails."""
    seconds = sum(v.get("seconds", 0.0) for v in found)
    found = [v for v in found if v["impact"] != "seconds"]
    counts = {impact: 0 for impact in IMPACTS}
    rules: dict = {}
    for v in found:
        counts[v["impact"]] += v["nodes"]
        key = (v["id"], v["impact"])
        rules[key] = rules.get(key, 0) + v["nodes"]
    listed = ", ".join(f"{rule} ({impact}, {n})" for (rule, impact), n in rules.items())
    summary = " ".join(f"{k} {n}" for k, n in counts.items())
    listed = f"; rules: {listed}" if listed else ""
    print(f"axe {name}: {summary}{listed} ({seconds:.1f} s)")
    failing = [v for v in found if v["impact"] in FAILING]
    for v in failing:
        print(f"  {v['id']} ({v['help']}): {'; '.join(v['where'])}")
    return failing


def audit(page, include, name: str) -> list[dict]:
    """Audit part of the page, print the counts; return the serious and
    critical violations (in what `include` selects)."""
    return report(name, run(page, include))


def deck(rows: list[dict], stem: str) -> list[dict]:
    """Report a deck's audit, slide by slide (its rows of slide measurements,
    see test_slides.py); return the serious and critical violations."""
    return report(
        f"deck {stem}", [v for r in rows if r["deck"] == stem for v in r["axe"]]
    )


# The contrast of an element's text against what is behind it: the first
# ancestor with an opaque background (WCAG 2.1's formula).
CONTRAST_JS = """(el) => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.04045 ? c / 12.92
                                       : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let back = null;
  for (let e = el; e; e = e.parentElement) {
    const c = rgb(getComputedStyle(e).backgroundColor);
    if (c.length >= 3 && (c.length === 3 || c[3] > 0.99)) { back = c; break; }
  }
  back = back || [255, 255, 255];
  const fore = rgb(getComputedStyle(el).color);
  const [hi, lo] = [lum(fore), lum(back)].sort((a, b) => b - a);
  return {ratio: (hi + 0.05) / (lo + 0.05), color: getComputedStyle(el).color,
          background: 'rgb(' + back.slice(0, 3).join(', ') + ')',
          text: el.innerText.slice(0, 60)};
}"""


def contrast(element) -> dict:
    """Return the contrast of an element's text: ratio, colours, its text."""
    return element.evaluate(CONTRAST_JS)
