"""`python -m tutorial`: each subcommand, its help, and what it refuses to do."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tutorial import __main__ as cli
from tutorial import publish, sections, slides, web_assets

ROOT = Path(__file__).resolve().parent.parent
SUBCOMMANDS = ["lab", "slides", "site", "audit", "figures", "app"]


def test_help_lists_every_subcommand():
    result = subprocess.run(
        [sys.executable, "-m", "tutorial", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0
    for name in SUBCOMMANDS:
        assert name in result.stdout


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_each_subcommand_has_help(name, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main([name, "--help"])
    assert exit_.value.code == 0
    assert f"python -m tutorial {name}" in capsys.readouterr().out


def test_no_subcommand_is_an_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main([])
    assert exit_.value.code == 2


@pytest.fixture
def calls(monkeypatch):
    """Record the commands the CLI would start, instead of starting them."""
    seen = []
    monkeypatch.setattr(cli.subprocess, "call", lambda cmd, **kw: seen.append(cmd))
    return seen


def test_lab_opens_the_first_notebook_on_localhost_with_a_token(calls):
    cli.main(["lab", "--no-browser", "--port", "9999"])
    (command,) = calls
    assert "--ServerApp.ip=127.0.0.1" in command
    assert "--ServerApp.port=9999" in command and "--no-browser" in command
    assert str(cli.first_notebook().relative_to(ROOT)) in command
    assert cli.first_notebook() == min(ROOT.glob("nbs/[0-9][0-9]_*.ipynb"))
    # Never turn authentication off: no empty token or password flags.
    assert not any("token" in part.lower() or "password" in part for part in command)


@pytest.mark.parametrize("ip", ["0.0.0.0", "*", "::", ""])
def test_lab_refuses_to_listen_on_all_interfaces(ip, calls, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["lab", "--ip", ip])
    assert exit_.value.code == 2 and calls == []


def test_app_serves_one_notebook_with_voila_on_localhost(calls):
    notebook = sorted(ROOT.glob("nbs/[0-9][0-9]_*.ipynb"))[0]
    cli.main(["app", str(notebook), "--port", "9998", "--no-browser"])
    (command,) = calls
    assert command[1:3] == ["-m", "voila"] and command[3] == str(notebook.resolve())
    assert "--Voila.ip=127.0.0.1" in command and "--Voila.port=9998" in command


def test_app_explains_a_missing_notebook_or_voila(calls, monkeypatch):
    with pytest.raises(SystemExit, match="no notebook"):
        cli.main(["app", "nbs/99_nothing.ipynb"])
    monkeypatch.setattr(cli.importlib.util, "find_spec", lambda name: None)
    notebook = sorted(ROOT.glob("nbs/[0-9][0-9]_*.ipynb"))[0]
    with pytest.raises(SystemExit, match=r"\[app\]"):
        cli.main(["app", str(notebook)])
    assert calls == []


def test_lab_and_slides_explain_a_missing_extra(calls, monkeypatch, tmp_path):
    """A runtime-only install (Colab, a JupyterHub image) says what to add."""
    monkeypatch.setattr(cli.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(SystemExit, match=r"JupyterLab is not installed.*\[lab\]"):
        cli.main(["lab"])
    with pytest.raises(SystemExit, match=r"nbconvert is not installed.*\[lab\]"):
        cli.main(["slides", str(tmp_path)])
    assert calls == [] and list(tmp_path.iterdir()) == []


def test_figures_writes_one_png_per_demo_with_a_progress_line(tmp_path, capsys):
    module = sections.MODULES[0]
    cli.main(["figures", str(tmp_path), module[1:3]])
    lines = capsys.readouterr().out.splitlines()
    demos = sections.load(module).DEMOS
    assert len(lines) == len(demos)
    for i, (name, line) in enumerate(zip(demos, lines, strict=True), 1):
        assert line.startswith(f"[{i}/{len(demos)}] {module}.{name} -> ")
        png = tmp_path / f"{module[:3]}_{name}.png"
        assert png.read_bytes().startswith(b"\x89PNG")
        alt = png.with_suffix(".txt").read_text(encoding="utf-8")
        assert alt.strip() and alt.endswith("\n")  # the picture in words
    assert len(list(tmp_path.iterdir())) == 2 * len(demos)


def test_figures_rejects_an_unknown_notebook(tmp_path):
    with pytest.raises(SystemExit, match="no section module"):
        cli.main(["figures", str(tmp_path), "99"])


def tiny_notebook():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "# 07 · A test deck\n\nSee [the next one](08_next.ipynb): $\\eta$.\n\n"
            "[![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org)",
            metadata={"slideshow": {"slide_type": "slide"}},
        ),
        nbformat.v4.new_code_cell("1 + 1", metadata={"slideshow": {"slide_type": "-"}}),
    ]
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {
            "version_major": 2,
            "version_minor": 0,
            "state": {},
        }
    }
    return nb


def test_a_deck_points_only_at_local_assets():
    html = slides.deck(tiny_notebook(), "07_test")
    for url in web_assets.URLS.values():
        assert url in html
    remote = re.findall(r'\bsrc="((?:https?:)?//[^"]*)"', html)
    remote += re.findall(r'<link\b[^>]*href="((?:https?:)?//[^"]*)"', html)
    remote += re.findall(r"import [^;]* from '(https?://[^']*)'", html)
    assert remote == []
    assert "<span>Binder</span>" in html  # a web image becomes its alt text
    assert "mermaid" not in html
    assert "theme/white.css" in html  # a theme with no web fonts
    assert 'href="08_next.slides.html"' in html  # links between decks
    assert slides.title(tiny_notebook()) == "07 · A test deck"
    assert "1 + 1" not in html  # no code input on a slide
    assert "width: 1280, height: 720" in html
    assert "assets/tutorial/export.js" in html


def test_a_page_points_only_at_local_assets_and_folds_code():
    from tutorial import site

    html = site.page(tiny_notebook(), "07_test", ("06_before", "08_next"))
    for key, url in web_assets.URLS.items():
        if key not in ("reveal_url_prefix", "jquery_url"):
            assert url in html
    remote = re.findall(r'\bsrc="((?:https?:)?//[^"]*)"', html)
    remote += re.findall(r'<link\b[^>]*href="((?:https?:)?//[^"]*)"', html)
    assert remote == [] and "mermaid" not in html
    assert '<details class="tp-code"><summary>Python code</summary>' in html
    assert 'href="08_next.html"' in html and 'href="06_before.html"' in html
    assert 'href="07_test.slides.html"' in html and "07_test.pdf" not in html


@pytest.fixture
def builds(monkeypatch):
    """Record the calls the CLI makes to publish.build, instead of building."""
    seen = []
    monkeypatch.setattr(publish, "build", lambda *a, **kw: seen.append((a, kw)))
    return seen


@pytest.mark.parametrize(
    "argv, pages, pdf, notes",
    [
        (["slides", "out"], False, False, False),
        (["slides", "out", "--pdf"], False, True, False),
        (["slides", "out", "--pdf", "--notes"], False, True, True),
        (["site", "out", "--pdf"], True, True, False),
    ],
)
def test_slides_and_site_pass_their_options_on(builds, argv, pages, pdf, notes):
    assert cli.main(argv) == 0
    ((args, kwargs),) = builds
    assert args == (Path("out"), None)
    assert (kwargs["pages"], kwargs["pdf"], kwargs["notes"]) == (pages, pdf, notes)


def test_notes_without_a_pdf_are_refused(tmp_path):
    with pytest.raises(SystemExit, match="notes"):
        cli.main(["slides", str(tmp_path), "--notes"])
    assert list(tmp_path.iterdir()) == []


def test_audit_prints_every_slide_and_exits_1_on_a_broken_rule(tmp_path, capsys):
    nb = tiny_notebook()
    nb.cells[0].source += "\n\n" + "word " * 90
    path = tmp_path / "07_test.ipynb"
    nbformat.write(nb, path)
    assert cli.main(["audit", str(path)]) == 1
    out = capsys.readouterr().out
    assert re.search(r"07_test\s+1\s+\d+\s+0\s+1\s+0\s+07 · A test deck", out)
    assert "words (at most 80)" in out and "1 code cell(s) on the slide" in out


def test_index_links_the_decks_in_order(tmp_path):
    decks = [("01_a.slides.html", "01 · A"), ("02_b.slides.html", "02 · B <&>")]
    text = slides.write_index(tmp_path, decks).read_text()
    assert text.index("01_a.slides.html") < text.index("02_b.slides.html")
    assert "02 · B &lt;&amp;&gt;" in text and "https://" not in text


def test_slides_reject_a_missing_notebook(tmp_path):
    with pytest.raises(SystemExit, match="no notebook"):
        cli.main(["slides", str(tmp_path), "nbs/99_nothing.ipynb"])


def test_assets_come_from_the_cache_without_npm(tmp_path, monkeypatch):
    """A second build needs neither npm nor the network."""
    monkeypatch.setenv("TUTORIAL_CACHE", str(tmp_path / "cache"))
    for name, version in web_assets.PACKAGES.items():
        package = web_assets.unpacked(name, version) / "package"
        package.mkdir(parents=True)
    monkeypatch.setattr(web_assets.shutil, "which", lambda name: None)
    folders = web_assets.fetch(log=lambda line: pytest.fail(f"fetched: {line}"))
    assert set(folders) == set(web_assets.PACKAGES)


def test_assets_explain_a_missing_npm(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTORIAL_CACHE", str(tmp_path / "empty"))
    monkeypatch.setattr(web_assets.shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="npm is not installed"):
        web_assets.fetch()
