"""Notebook hygiene, and each notebook's tie to its section module.

The notebooks themselves are executed by nbval (`pytest` collects nbs/).
"""

import re
from pathlib import Path

import nbformat
import pytest

from tutorial import sections
from tutorial.notebooks import CELL_METADATA, NOTEBOOK_METADATA, clean, is_checked

NBS = Path(__file__).resolve().parent.parent / "nbs"
NOTEBOOKS = sorted(NBS.glob("*.ipynb"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert set(nb.metadata) <= set(NOTEBOOK_METADATA)
    for i, cell in enumerate(nb.cells):
        assert set(cell.metadata) <= set(CELL_METADATA), (
            f"cell {i}: {set(cell.metadata)}"
        )
        if cell.cell_type == "code" and not is_checked(cell):
            assert cell.outputs == [] and cell.execution_count is None, (
                f"cell {i} has output"
            )
        if is_checked(cell):
            text = "".join(o.get("text", "") for o in cell.outputs)
            assert cell.outputs and len(text) < 2000, (
                f"cell {i}: checked output missing"
            )
    assert clean(nb) == nb, "run: python -m tutorial.notebooks " + path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_follows_the_skeleton(path):
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert nb.cells[0].source.startswith("# "), "first cell: the title"
    for heading in ("## Summary", "## Further reading"):
        assert heading in text, f"missing {heading!r}"
    for cell in nb.cells:
        assert "slideshow" in cell.metadata, "every cell needs a slide type"
    years = re.findall(r"\((?:19|20)\d\d\)", text)
    assert years, "cite sources by title and year"


@pytest.mark.parametrize("module", sections.MODULES)
def test_each_section_module_has_its_notebook_and_every_demo_is_shown(module):
    number, topic = module[1:3], module[4:]
    path = NBS / f"{number}_{topic}.ipynb"
    assert path.exists(), f"{module} has no notebook {path.name}"
    source = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
    for name, make in sections.load(module).DEMOS.items():
        assert f"{make.__name__}(" in source, (
            f"demo {name!r} is not used in {path.name}"
        )
