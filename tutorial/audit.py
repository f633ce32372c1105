"""A static audit of the slides: what each slide of each deck puts on screen.

``python -m tutorial audit [NOTEBOOK ...]`` reads the notebooks (no kernel,
no browser) and groups their cells into slides as nbconvert does: a cell of
slide type ``slide`` or ``subslide`` starts a new screen, ``fragment`` and
``-`` join the screen above, ``notes`` are speaker notes, ``skip`` is left out.
For each slide it counts:

- ``words``: words of prose on screen (headings, text, tables; a formula is
  one word; speaker notes are not on screen);
- ``notes``: words in its speaker notes;
- ``code``: code cells on the slide other than a demo's one-line cell (slides
  never show code input, but these cells' printouts do appear);
- ``checks``: exercise checks and ``# NBVAL_CHECK_OUTPUT`` cells that are not
  skipped (their verdicts and printouts belong in the notebook, not on a slide).

The slide rules (see README): at most `MAX_WORDS` words on a slide, no code
and no check on a slide.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

__all__ = ["MAX_WORDS", "Slide", "slides_of", "words", "audit", "main"]

MAX_WORDS = 80
_CHECK = re.compile(r"\bchecks\.\w+\(|#\s*NBVAL_CHECK_OUTPUT")
# A demo's one-line cell, or a predict-first question's (it shows itself on a
# slide like a demo: tutorial.predict).
_DEMO_CALL = re.compile(r"^\s*\w+\.(?:\w+_demo|predict_\w+)\([^\n]*\)\s*;?\s*$")


@dataclass
class Slide:
    """One screen of a deck and what is on it."""

    number: int  # 1-based, in the order the arrow keys show them
    heading: str = ""
    words: int = 0
    notes: int = 0
    code: int = 0
    checks: int = 0
    demos: int = 0
    cells: list = field(default_factory=list)  # ids of the cells on screen

    def add(self, cell) -> None:
        """Count what a cell puts on this slide's screen."""
        self.cells.append(cell.get("id", ""))
        if cell.cell_type == "markdown":
            self.words += words(cell.source)
            if not self.heading:
                heading = re.search(r"^#+\s+(.*)$", cell.source, flags=re.M)
                self.heading = heading.group(1).strip() if heading else ""
        elif cell.cell_type == "code":
            if _CHECK.search(cell.source):
                self.checks += 1
            elif _DEMO_CALL.match(cell.source.strip()):
                self.demos += 1
            else:
                self.code += 1

    def problems(self, max_words: int = MAX_WORDS) -> list[str]:
        """Return what breaks the slide rules on this slide."""
        found = []
        if self.words > max_words:
            found.append(f"{self.words} words (at most {max_words})")
        if self.code:
            found.append(f"{self.code} code cell(s) on the slide")
        if self.checks:
            found.append(f"{self.checks} check cell(s) not skipped")
        return found


def words(markdown: str) -> int:
    """Return the number of words a markdown text shows (a formula is one)."""
    text = re.sub(r"\$\$.*?\$\$", " formula ", markdown, flags=re.S)
    text = re.sub(r"\$[^$\n]+\$", " formula ", text)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)  # images
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links: their text
    text = re.sub(r"<[^>]+>", " ", text)  # HTML tags
    return len(re.findall(r"[^\W_]+(?:['’.-][^\W_]+)*", text))


def _type(cell) -> str:
    return cell.metadata.get("slideshow", {}).get("slide_type", "-") or "-"


def slides_of(nb) -> list[Slide]:
    """Return the slides of a notebook, as its deck would show them."""
    found: list[Slide] = []
    for cell in nb.cells:
        kind = _type(cell)
        if kind == "skip":
            continue
        if kind == "notes":
            if found:
                found[-1].notes += words(cell.source)
            continue
        if not found or kind in ("slide", "subslide"):
            found.append(Slide(len(found) + 1))
        found[-1].add(cell)
    for slide in found:
        if not slide.heading:
            slide.heading = "(no heading)"
    return found


def audit(paths) -> dict[str, list[Slide]]:
    """Return {notebook name: its slides} for the given notebooks."""
    return {Path(p).stem: slides_of(nbformat.read(p, as_version=4)) for p in paths}


def main(argv=None, log=print) -> int:
    """Print every slide's counts, then the slides that break the rules."""
    from .publish import notebooks

    parser = argparse.ArgumentParser(
        prog="python -m tutorial audit", description=__doc__.splitlines()[0]
    )
    parser.add_argument("notebooks", nargs="*", type=Path, metavar="NOTEBOOK")
    parser.add_argument(
        "--max-words",
        type=int,
        default=MAX_WORDS,
        help="words a slide may carry (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    paths = args.notebooks or notebooks()
    for path in paths:
        if not Path(path).is_file():
            raise SystemExit(f"audit: no notebook at {path}")
    report = audit(paths)
    log(
        f"{'deck':28s} {'slide':>5s} {'words':>5s} {'notes':>5s} {'code':>4s} "
        f"{'check':>5s}  heading"
    )
    bad = []
    for name, found in report.items():
        for s in found:
            log(
                f"{name:28s} {s.number:5d} {s.words:5d} {s.notes:5d} {s.code:4d} "
                f"{s.checks:5d}  {s.heading[:50]}"
            )
            bad += [(name, s, p) for p in s.problems(args.max_words)]
    log("")
    total = sum(len(found) for found in report.values())
    log(f"{len(bad)} problem(s) on {total} slides")
    for name, s, problem in sorted(bad, key=lambda b: -b[1].words):
        log(f"  {name} slide {s.number} ({s.heading[:40]}): {problem}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
