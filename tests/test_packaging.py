"""Set-up that a new user relies on: dependencies, README commands, CI."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


# conda-forge packages whose name differs from the one on PyPI
CONDA_NAMES = {"python-isal": "isal"}


def requirement_name(spec: str) -> str:
    name = re.split(r"[<>=!~ \[]", spec.strip(), maxsplit=1)[0].lower()
    return CONDA_NAMES.get(name, name)


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_environment_yml_matches_pyproject_runtime_dependencies_and_extras():
    """Binder gets what `./run lab` installs: runtime, lab and app."""
    meta = project()
    extras = meta["optional-dependencies"]
    wanted = meta["dependencies"] + extras["lab"] + extras["app"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {requirement_name(d) for d in env["dependencies"] if isinstance(d, str)}
    conda -= {"python", "pip"}
    assert conda == {requirement_name(d) for d in wanted}
    pip = [d for d in env["dependencies"] if isinstance(d, dict)][0]["pip"]
    assert "-e ." in pip or "." in pip, (
        "environment.yml must install the tutorial itself"
    )
    run = (ROOT / "run").read_text()
    assert "setup_python lab,app\n" in run  # ./run lab: the same extras


def test_runtime_dependencies_are_what_the_notebooks_import():
    """No server, no compiler: JupyterLab and Voilà are extras."""
    names = {Requirement(d).name for d in project()["dependencies"]}
    assert names == {"numpy", "matplotlib", "ipywidgets", "anywidget", "isal"}
    extras = project()["optional-dependencies"]
    assert "jupyterlab" in {Requirement(d).name for d in extras["lab"]}
    assert "voila" in {Requirement(d).name for d in extras["app"]}


# (sys_platform, platform_machine, implementation): PyPI has isal wheels for
# CPython on these (isal 1.9.1: manylinux and musllinux x86_64 and aarch64,
# macOS x86_64 and arm64, Windows AMD64), and none for the others.
ISAL_WHEELS = [
    ("linux", "x86_64", "CPython"),
    ("linux", "aarch64", "CPython"),
    ("darwin", "arm64", "CPython"),
    ("darwin", "x86_64", "CPython"),
    ("win32", "AMD64", "CPython"),
]
NO_ISAL_WHEEL = [
    ("emscripten", "wasm32", "CPython"),  # Pyodide, JupyterLite
    ("linux", "x86_64", "PyPy"),
    ("linux", "ppc64le", "CPython"),
    ("linux", "i686", "CPython"),
    ("win32", "ARM64", "CPython"),
    ("freebsd14", "amd64", "CPython"),
]


@pytest.mark.parametrize(
    "where, wheel",
    [(w, True) for w in ISAL_WHEELS] + [(w, False) for w in NO_ISAL_WHEEL],
)
def test_isal_is_asked_for_only_where_pypi_has_a_wheel(where, wheel):
    (isal,) = [
        r for r in map(Requirement, project()["dependencies"]) if r.name == "isal"
    ]
    platform, machine, implementation = where
    env = {
        "sys_platform": platform,
        "platform_machine": machine,
        "platform_python_implementation": implementation,
    }
    assert isal.marker.evaluate(env) is wheel


def readme_commands():
    text = (ROOT / "README.md").read_text()
    return re.findall(r"^```(?:bash|sh)\n(.*?)\n```", text, flags=re.S | re.M)


def test_readme_gives_the_two_commands_near_the_top():
    text = (ROOT / "README.md").read_text()
    head = text[: len(text) // 3]
    assert "./run lab" in head and "./run test" in head


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text()
    # Each command runs as is, only under a time limit (`limit 40m ./run test`).
    commands = [re.sub(r"^limit \d+m ", "", line.strip()) for line in ci.splitlines()]
    assert "./run test" in commands
    assert "./run test" in "\n".join(readme_commands())
    # ... and then the numerical tests as another CPU computes them.
    assert commands.index("./run other-cpu") > commands.index("./run test")
    assert "./run other-cpu" in (ROOT / "README.md").read_text()


def test_run_script_is_executable():
    assert (ROOT / "run").stat().st_mode & 0o111
    assert (ROOT / ".ci" / "run").stat().st_mode & 0o111


def test_ruff_lint_and_format_are_clean():
    """The layout is the formatter's, and the complexity limits hold (pyproject)."""
    ruff = Path(sys.executable).with_name("ruff")
    for command in (["check", "."], ["format", "--check", "."]):
        done = subprocess.run(
            [str(ruff), *command], cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0, f"ruff {' '.join(command)}:\n{done.stdout}"


def test_pre_commit_runs_ruff_and_the_notebook_cleaner():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    entries = [hook["entry"] for repo in config["repos"] for hook in repo["hooks"]]
    assert any("ruff check" in e for e in entries)
    assert any("ruff format" in e for e in entries)
    assert any("-m tutorial.notebooks" in e for e in entries)


def test_readme_example_prints_what_its_comments_say(capsys):
    """The README's example claims its output: every one of 500 XOR networks
    learns at η = 0.2, none diverges, and about 0.4 diverge at η = 0.5
    (measured 0.428)."""
    (code,) = re.findall(r"^```python\n(.*?)\n```", (ROOT / "README.md").read_text(),
                         flags=re.S | re.M)  # fmt: skip
    space = {}
    exec(code, space)
    assert capsys.readouterr().out.split() == ["1.0", "0.0"]
    net, X, y = space["net"], space["X"], space["y"]
    fast = space["optimize"](net.landscape(X, y), net.init(500, seed=0), lr=0.5,
                             steps=2000)  # fmt: skip
    assert 0.35 < fast.diverged.mean() < 0.5
