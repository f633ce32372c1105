"""Keep the notebooks clean: no outputs, no stray metadata, fresh key numbers.

Notebooks are stored without outputs or execution counts, except cells marked
``# NBVAL_CHECK_OUTPUT``, whose small text output (and execution count, which
nbval needs) is compared on every test run.

``python -m tutorial.notebooks nbs/*.ipynb`` cleans notebooks in place; add
``--refresh`` to execute them first and store the checked outputs anew.
"""

from __future__ import annotations

import argparse
import copy
from pathlib import Path

import nbformat

CHECK_MARK = "# NBVAL_CHECK_OUTPUT"
NOTEBOOK_METADATA = ("kernelspec", "language_info")
CELL_METADATA = ("slideshow", "tags")
NBS = Path(__file__).resolve().parent.parent / "nbs"


def is_checked(cell) -> bool:
    """Return True for a code cell whose output nbval compares."""
    return cell.cell_type == "code" and cell.source.lstrip().startswith(CHECK_MARK)


def clean(nb, keep_checked: bool = True):
    """Return a copy of `nb` with outputs and extra metadata removed."""
    nb = copy.deepcopy(nb)
    nb.metadata = {k: v for k, v in nb.metadata.items() if k in NOTEBOOK_METADATA}
    nb.metadata.get("language_info", {}).pop("version", None)
    for key in list(nb.metadata.get("language_info", {})):
        if key != "name":
            nb.metadata["language_info"].pop(key)
    for cell in nb.cells:
        cell.metadata = {k: v for k, v in cell.metadata.items() if k in CELL_METADATA}
        if cell.cell_type != "code":
            continue
        if keep_checked and is_checked(cell) and cell.outputs:
            # nbval only compares cells that carry an execution count.
            for out in cell.outputs:
                if "metadata" in out:
                    out["metadata"] = {}
        else:
            cell.execution_count = None
            cell.outputs = []
    return nb


def refresh(path: Path, timeout: int = 300):
    """Execute a notebook in a fresh kernel and return it, cleaned."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    resources = {"metadata": {"path": str(path.parent)}}
    NotebookClient(nb, timeout=timeout, resources=resources).execute()
    return clean(nb)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="default: nbs/*.ipynb")
    parser.add_argument("--refresh", action="store_true", help="execute first")
    args = parser.parse_args(argv)
    for path in args.paths or sorted(NBS.glob("*.ipynb")):
        nb = refresh(path) if args.refresh else clean(nbformat.read(path, as_version=4))
        nbformat.write(nb, path)
        print(f"cleaned {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
