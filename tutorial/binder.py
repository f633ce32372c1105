"""The tutorial's public address, and the Binder launch text made from it.

The address is written in one place: ``Source`` under ``[project.urls]`` in
pyproject.toml. README.md and notebook 00 each carry a block between
``<!-- binder -->`` markers that is made from it: a launch badge once the
address is a real GitHub repository, and until then the steps to launch any
copy of the tutorial on mybinder.org (a badge with a made-up address would
lead a learner's first click to an error page).

``python -m tutorial.binder`` rewrites both blocks after the address changes;
``--check`` only says whether they are up to date (tests/test_binder.py).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from .__main__ import first_notebook

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
README = ROOT / "README.md"
PLACEHOLDER = "https://github.com/OWNER/REPO"
BINDER = "https://mybinder.org"
BEGIN = (
    "<!-- binder: made by `python -m tutorial.binder` from [project.urls] "
    "in pyproject.toml -->"
)
END = "<!-- /binder -->"
BLOCK = re.compile(re.escape(BEGIN) + r"\n.*?" + re.escape(END), re.S)
GITHUB = re.compile(r"https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?")


def source_url(pyproject: Path = PYPROJECT) -> str:
    """Return the repository address, ``Source`` under ``[project.urls]``."""
    import tomllib  # Python >= 3.11; only maintainers run this

    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    return project["urls"]["Source"]


def github_repo(url: str) -> str | None:
    """Return ``owner/repo`` for a real GitHub address, None for the placeholder."""
    match = GITHUB.fullmatch(url)
    if url == PLACEHOLDER or match is None:
        return None
    return f"{match[1]}/{match[2]}"


def first_notebook_path() -> str:
    """Return notebook 00's path in the repository: nbs/00_start_here.ipynb."""
    return first_notebook().relative_to(ROOT).as_posix()


def launch_url(repo: str) -> str:
    """Return the Binder address that opens JupyterLab at notebook 00."""
    return f"{BINDER}/v2/gh/{repo}/HEAD?urlpath=lab/tree/{first_notebook_path()}"


def block(url: str) -> str:
    """Return the launch text for the repository at `url`, markers included."""
    repo = github_repo(url)
    path = first_notebook_path()
    if repo is None:
        body = (
            "This copy of the tutorial has no public address yet, so it has no\n"
            "launch button. To launch a copy that is on GitHub, enter its address\n"
            "at [mybinder.org](https://mybinder.org), choose *URL*, type\n"
            f"`lab/tree/{path}` and press **launch**. The link to share is then\n"
            f"`{BINDER}/v2/gh/<owner>/<repo>/HEAD?urlpath=lab/tree/{path}`."
        )
    else:
        body = (
            f"[![Launch on Binder]({BINDER}/badge_logo.svg)]({launch_url(repo)})\n"
            f"opens JupyterLab at notebook 00. The source is at [{url}]({url})."
        )
    return f"{BEGIN}\n\n{body}\n\n{END}"


def _replace(text: str, new: str, where: str) -> str:
    if len(BLOCK.findall(text)) != 1:
        raise ValueError(f"{where} must hold exactly one {BEGIN} ... {END} block")
    return BLOCK.sub(lambda _: new, text)


def updated() -> dict[Path, str]:
    """Return {file: its text with the launch block made from pyproject.toml}."""
    import nbformat

    new = block(source_url())
    files = {README: _replace(README.read_text(encoding="utf-8"), new, README.name)}
    start = first_notebook()
    nb = nbformat.read(start, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "markdown" and BEGIN in c.source]
    if len(cells) != 1:
        raise ValueError(f"{start.name} must hold the launch block in one cell")
    cells[0].source = _replace(cells[0].source, new, start.name)
    files[start] = nbformat.writes(nb) + "\n"
    return files


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="only report files that are out of date"
    )
    args = parser.parse_args(argv)
    stale = []
    for path, text in updated().items():
        if path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path)
        if not args.check:
            path.write_text(text, encoding="utf-8")
            print(f"updated {path.relative_to(ROOT)}")
    if args.check and stale:
        names = ", ".join(str(p.relative_to(ROOT)) for p in stale)
        print(f"out of date: {names}; run python -m tutorial.binder")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
