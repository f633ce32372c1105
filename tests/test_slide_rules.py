"""The slide rules, read from the notebooks (no kernel, no browser).

What a lecturer projects: at most about 80 words of prose on a slide (the rest
of the explanation in speaker notes), no code and no exercise check on a slide
(set-up, exercise, check and ``# NBVAL_CHECK_OUTPUT`` cells have slide type
``skip``; a demo's one-line cell has slide type ``-``). `tutorial.audit`
counts it; ``python -m tutorial audit`` prints it.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from tutorial import audit

NBS = Path(__file__).resolve().parent.parent / "nbs"
NOTEBOOKS = sorted(NBS.glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_slide_keeps_the_slide_rules(path):
    slides = audit.slides_of(nbformat.read(path, as_version=4))
    broken = [
        f"slide {s.number} ({s.heading[:40]}): {problem}"
        for s in slides
        for problem in s.problems(audit.MAX_WORDS)
    ]
    assert broken == [], f"{path.stem}:\n" + "\n".join(broken)
