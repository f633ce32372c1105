"""Set-up that a new user relies on: dependencies, README commands, CI."""

import re
import subprocess
import sys
from pathlib import Path

import tomllib
import yaml

ROOT = Path(__file__).resolve().parent.parent


# conda-forge packages whose name differs from the one on PyPI
CONDA_NAMES = {"python-isal": "isal"}


def requirement_name(spec: str) -> str:
    name = re.split(r"[<>=!~ \[]", spec.strip(), maxsplit=1)[0].lower()
    return CONDA_NAMES.get(name, name)


def test_environment_yml_matches_pyproject_runtime_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {requirement_name(d) for d in project["dependencies"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {requirement_name(d) for d in env["dependencies"] if isinstance(d, str)}
    conda -= {"python", "pip"}
    assert conda == runtime
    pip = [d for d in env["dependencies"] if isinstance(d, dict)][0]["pip"]
    assert "-e ." in pip or "." in pip, (
        "environment.yml must install the tutorial itself"
    )


def readme_commands():
    text = (ROOT / "README.md").read_text()
    return re.findall(r"^```(?:bash|sh)\n(.*?)\n```", text, flags=re.S | re.M)


def test_readme_gives_the_two_commands_near_the_top():
    text = (ROOT / "README.md").read_text()
    head = text[: len(text) // 3]
    assert "./run lab" in head and "./run test" in head


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text()
    assert any("./run test" == line.strip() for line in ci.splitlines())
    assert "./run test" in "\n".join(readme_commands())


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
