"""The one list of section modules, demos, exercises and control positions; the
imports a section may make."""

import ast
from pathlib import Path

import pytest

from tutorial import sections, widgets

PACKAGE = Path(sections.__file__).parent


def test_every_section_file_is_listed_in_order():
    # A section is a module, or a package once its parts have modules of their own.
    files = sorted(
        p.stem for p in PACKAGE.glob("s[0-9][0-9]_*") if p.suffix in ("", ".py")
    )
    assert list(sections.MODULES) == files and len(files) >= 7


@pytest.mark.parametrize(
    "only, first",
    [
        (None, "s00"),
        (["03"], "s03"),
        (["s05"], "s05"),
        (["s02_convex_vs_nonconvex"], "s02"),
    ],
)
def test_select_takes_numbers_short_and_full_names(only, first):
    chosen = sections.select(only)
    assert chosen[0].startswith(first)
    assert len(chosen) == (len(sections.MODULES) if only is None else 1)


def test_select_and_load_refuse_unknown_names():
    with pytest.raises(ValueError, match="only"):
        sections.select(["99"])
    with pytest.raises(ValueError, match="name"):
        sections.load("s99_nothing")


def test_demos_and_exercises_come_from_each_module():
    cases = sections.demos(["01"])
    assert cases == [
        (m, d) for m in sections.select(["01"]) for d in sections.load(m).DEMOS
    ]
    found = sections.exercises()
    numbers = sorted({name[2:4] for name in found})
    assert numbers == [m[1:3] for m in sections.MODULES]
    assert list(found) == sorted(found, key=lambda name: name[:4])  # notebook order


def test_positions_visit_both_ends_and_the_current_value():
    assert sections.positions(widgets.int_slider("n", 3, 1, 9)) == [1, 3, 9]
    log = widgets.lr_slider(0.1, min=0.01, max=1.0)
    assert sections.positions(log) == pytest.approx([0.01, 0.1, 1.0])
    assert sections.positions(widgets.choice("c", {"a": 1, "b": 2})) == [1, 2]
    assert sections.positions(widgets.choice("c", ["x", "y"], "y")) == ["x", "y"]
    assert sections.positions(widgets.W.Checkbox(value=True)) == [False, True]
    with pytest.raises(ValueError, match="menu"):
        sections.options(widgets.int_slider("n", 3, 1, 9))


def test_live_controls_are_sliders_that_follow_the_hand():
    demo = sections.build("s00_start_here", "slider")
    assert sections.is_live(demo, demo.controls["w"])
    assert not sections.is_live(demo, widgets.choice("c", ["a", "b"]))
    slow = widgets.int_slider("n", 1, 1, 5, continuous_update=False)
    assert not sections.is_live(demo, slow)
    manual = sections.build("s00_start_here", "run")
    assert not sections.is_live(manual, manual.controls["guesses"])


def test_returns_inf_marks_a_function_with_its_reason():
    @sections.returns_inf("never arrives")
    def steps():
        return float("inf")

    assert steps.returns_inf == "never arrives" and steps() == float("inf")
    marked = [
        (m, name)
        for m in sections.MODULES
        for name in sections.load(m).__all__
        if hasattr(getattr(sections.load(m), name), "returns_inf")
    ]
    assert ("s06_implications", "steps_to_reach") in marked


def relative_imports(path: Path) -> list[tuple[int, str]]:
    """Return (level, first name) of every relative import in a file, nested too.

    ``from ..nn import MLP`` gives (2, "nn"); ``from .. import nn, plotting``
    gives (2, "nn") and (2, "plotting").
    """
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            if node.module:
                found.append((node.level, node.module.split(".")[0]))
            else:
                found += [(node.level, alias.name) for alias in node.names]
    return found


@pytest.mark.parametrize("module", sections.MODULES)
def test_parts_import_only_common_and_sections_never_each_other(module):
    """The layout of CONTRIBUTING.md: a part imports `_common` and no other
    part, `_common` imports no part, and no section imports another."""
    folder = PACKAGE / module
    package = folder.is_dir()
    files = sorted(folder.glob("*.py")) if package else [folder.with_suffix(".py")]
    parts = {p.stem for p in files} - {"__init__", "_common"}
    for path in files:
        for level, name in relative_imports(path):
            where = f"{module}/{path.name}" if package else path.name
            if level == (2 if package else 1):  # from the tutorial package
                assert name not in sections.MODULES, f"{where} imports {name}"
            elif path.stem != "__init__":  # from its own section
                assert name not in parts, f"{where} imports the part {name}"
