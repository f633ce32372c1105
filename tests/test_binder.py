"""Binder: environment.yml installs everything the notebooks and the package import.

Binder builds the environment from ``environment.yml`` alone. Every module that
a notebook or a ``tutorial`` module imports must come from a package that file
installs, directly or as a dependency (resolved with the metadata of the
packages installed here, which are the same packages).
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import nbformat
import pytest
import tomllib
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tutorial import binder
from tutorial.__main__ import first_notebook

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "nbs").glob("*.ipynb"))
MODULES = sorted((ROOT / "tutorial").rglob("*.py"))
# conda-forge names that differ from the Python distribution's name.
CONDA_TO_PYPI = {"matplotlib-base": "matplotlib", "pytorch": "torch"}


def top_level_imports(source: str) -> set[str]:
    """Return the top-level names of the absolute imports in Python source."""
    # IPython magics and shell escapes are not Python; drop those lines.
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    names = set()
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def imported_modules() -> dict[str, str]:
    """Return {module: where it is imported} for the notebooks and the package."""
    found = {}
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                for name in top_level_imports(cell.source):
                    found.setdefault(name, path.name)
    for path in MODULES:
        for name in top_level_imports(path.read_text()):
            found.setdefault(name, str(path.relative_to(ROOT)))
    return found


def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def requirement_names(env: dict) -> set[str]:
    """Return the distributions environment.yml asks for, by name."""
    names = set()
    for dep in env["dependencies"]:
        if isinstance(dep, str):
            name = re.split(r"[<>=!~ ]", dep.strip(), maxsplit=1)[0]
            names.add(canonicalize_name(CONDA_TO_PYPI.get(name, name)))
        else:
            for spec in dep["pip"]:
                if spec.strip() in ("-e .", "."):  # the tutorial itself
                    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
                    names |= {
                        canonicalize_name(Requirement(r).name)
                        for r in project["project"]["dependencies"]
                    }
                else:
                    names.add(canonicalize_name(Requirement(spec).name))
    return names - {"python", "pip"}


def closure(names: set[str]) -> set[str]:
    """Return `names` and everything they depend on (no extras), by name."""
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = md.requires(name) or []
        except md.PackageNotFoundError:
            continue  # conda-only packages (python, pip) have no metadata here
        for spec in requires:
            req = Requirement(spec)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(req.name))
    return seen


def test_there_is_an_environment_and_nothing_else_to_run():
    env = environment()
    assert env["name"] and "conda-forge" in env["channels"]
    # ipywidgets 8 ships its JupyterLab extension prebuilt (jupyterlab_widgets),
    # so Binder needs no postBuild step; if one appears, it must be runnable.
    postbuild = ROOT / "postBuild"
    assert not postbuild.exists() or postbuild.stat().st_mode & 0o111


def test_environment_brings_the_widgets_extension():
    assert "jupyterlab-widgets" in closure(requirement_names(environment()))


def optional_imports() -> set[str]:
    """Return the modules of the "pdf" extra: PDF handouts, not needed on Binder."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {Requirement(r).name for r in project["optional-dependencies"]["pdf"]}


def imported_at_load(module: str, where: str) -> bool:
    """Return True if `where` imports `module` as it loads (not in a function)."""
    if not where.startswith("tutorial/"):
        return True  # a notebook cell
    body = ast.parse((ROOT / where).read_text()).body
    imports = [n for n in body if isinstance(n, ast.Import | ast.ImportFrom)]
    return module in top_level_imports(ast.unparse(ast.Module(imports, [])))


@pytest.mark.parametrize("module, where", sorted(imported_modules().items()))
def test_environment_installs_every_import(module, where):
    if module in sys.stdlib_module_names or module in ("tutorial", "__future__"):
        return
    if module in optional_imports():
        # An optional feature imports it when used, and says how to install it.
        assert not imported_at_load(module, where), f"{where} imports {module} at load"
        return
    provided_by = {
        canonicalize_name(d) for d in md.packages_distributions().get(module, [])
    }
    assert provided_by, f"{where} imports {module}, which is not installed here"
    installed = closure(requirement_names(environment()))
    assert provided_by & installed, (
        f"{where} imports {module} (from {sorted(provided_by)}), "
        "which environment.yml does not install"
    )


def test_the_imports_are_found():
    """The parser sees the imports a notebook really makes."""
    found = imported_modules()
    assert {"numpy", "matplotlib", "ipywidgets", "tutorial"} <= set(found)


# ----------------------------------------------- the links on page one

# Markdown link targets, badges included: [text](URL), [![alt](img)](URL).
LINK = re.compile(r"\]\((https?://[^)\s]+)\)")


def page_one() -> dict[str, str]:
    """Return the text of README.md and of notebook 00's markdown, by name."""
    start = first_notebook()
    cells = nbformat.read(start, as_version=4).cells
    markdown = "\n\n".join(c.source for c in cells if c.cell_type == "markdown")
    return {"README.md": (ROOT / "README.md").read_text(), start.name: markdown}


def test_launch_text_is_made_from_the_one_address():
    stale = [p.name for p, text in binder.updated().items() if p.read_text() != text]
    assert not stale, f"{stale} out of date: run python -m tutorial.binder"


def test_every_binder_and_source_link_comes_from_the_address():
    url = binder.source_url()
    repo = binder.github_repo(url)
    for name, text in page_one().items():
        if repo is None:  # the placeholder is data, never a link or a badge
            assert "OWNER/REPO" not in text, name
            repos = re.findall(r"mybinder\.org/v2/\w+/([^/\s]+/[^/\s]+)/", text)
            assert set(repos) <= {"<owner>/<repo>"}, (name, repos)  # a template only
            assert "mybinder.org" in text and "lab/tree/" in text, (
                f"{name} must say how to launch on Binder"
            )
        for link in LINK.findall(text):
            if "mybinder.org/v2/" in link:
                assert link == binder.launch_url(repo), (name, link)
            elif link.startswith("https://github.com/"):
                assert repo and link.startswith(url), (name, link)
        if repo is not None:
            assert binder.launch_url(repo) in LINK.findall(text), name


def test_a_real_address_gives_a_badge_that_opens_the_first_notebook():
    url = "https://github.com/someone/why-training-is-hard"
    links = LINK.findall(binder.block(url))
    launch = [link for link in links if link.startswith("https://mybinder.org/v2/")]
    assert launch == [binder.launch_url("someone/why-training-is-hard")]
    parts = urlparse(launch[0])
    assert parts.path == "/v2/gh/someone/why-training-is-hard/HEAD"
    assert parse_qs(parts.query)["urlpath"] == [
        "lab/tree/" + first_notebook().relative_to(ROOT).as_posix()
    ]
    assert url in links


@pytest.mark.parametrize(
    "url",
    [
        binder.PLACEHOLDER,
        "https://gitlab.com/a/b",
        "https://github.com/a",
        "github.com/a/b",
    ],
)
def test_without_a_github_repository_the_text_says_how_to_launch(url):
    assert binder.github_repo(url) is None
    text = binder.block(url)
    assert not [link for link in LINK.findall(text) if "/v2/" in link]
    assert "lab/tree/" + first_notebook().relative_to(ROOT).as_posix() in text


def test_github_addresses_are_read_as_owner_and_repository():
    assert binder.github_repo("https://github.com/a-b/c.d") == "a-b/c.d"
    assert binder.github_repo("https://github.com/a/b.git") == "a/b"
    assert binder.github_repo("https://github.com/a/b/") == "a/b"
