"""The JavaScript that offline slides need, fetched from npm once and cached.

A slide deck opened from ``file://`` in a lecture hall has no network, so
reveal.js, require.js, jQuery, MathJax and the widget manager that renders the
saved widget state are copied next to the decks. They come from the npm
registry (``npm pack``, pinned versions) at build time, never from a CDN, and
are unpacked into a cache so later builds need neither npm nor the network.

The cache is ``$TUTORIAL_CACHE`` or ``~/.cache/why-training-is-hard``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

__all__ = [
    "PACKAGES",
    "URLS",
    "STATIC",
    "cache_dir",
    "unpacked",
    "missing",
    "fetch",
    "install",
]

# Pinned: a deck must look the same next year. html-manager 1.x is the
# renderer for ipywidgets 8 widget state.
PACKAGES = {
    "reveal.js": "4.6.1",
    "requirejs": "2.3.8",
    "jquery": "3.7.1",
    "mathjax": "2.7.7",
    "@jupyter-widgets/html-manager": "1.0.15",
}

# (package, path inside it, path under OUTDIR/assets). MathJax is 70 MB
# unpacked; only the TeX input, CommonHTML output and its woff fonts are used.
_COPY = [
    ("reveal.js", "dist", "reveal.js/dist"),
    ("reveal.js", "plugin/notes", "reveal.js/plugin/notes"),
    ("requirejs", "require.js", "require.js"),
    ("jquery", "dist/jquery.min.js", "jquery.min.js"),
    ("mathjax", "MathJax.js", "mathjax/MathJax.js"),
    ("mathjax", "config/TeX-AMS_CHTML-full.js", "mathjax/config/TeX-AMS_CHTML-full.js"),
    ("mathjax", "config/Safe.js", "mathjax/config/Safe.js"),
    ("mathjax", "extensions", "mathjax/extensions"),
    ("mathjax", "jax/input/TeX", "mathjax/jax/input/TeX"),
    ("mathjax", "jax/output/CommonHTML", "mathjax/jax/output/CommonHTML"),
    ("mathjax", "jax/element", "mathjax/jax/element"),
    ("mathjax", "localization/en", "mathjax/localization/en"),
    ("mathjax", "fonts/HTML-CSS/TeX/woff", "mathjax/fonts/HTML-CSS/TeX/woff"),
    ("@jupyter-widgets/html-manager", "dist", "html-manager"),
]
# Source maps and the non-AMD bundles are never loaded by a deck.
_SKIP = shutil.ignore_patterns("*.map", "embed.js", "libembed-amd.js", "*.LICENSE.txt")

# URLs relative to OUTDIR, for nbconvert's SlidesExporter.
URLS = {
    "reveal_url_prefix": "assets/reveal.js",
    "require_js_url": "assets/require.js",
    "jquery_url": "assets/jquery.min.js",
    "mathjax_url": "assets/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
    "widget_renderer_url": "assets/html-manager/embed-amd.js",
}


def cache_dir() -> Path:
    """Return the folder that holds the unpacked npm packages."""
    root = os.environ.get("TUTORIAL_CACHE")
    if root:
        return Path(root)
    xdg = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(xdg) / "why-training-is-hard"


def unpacked(name: str, version: str) -> Path:
    return cache_dir() / "npm" / f"{name.replace('/', '__')}-{version}"


def missing() -> list[str]:
    """Return the packages not yet in the cache (to fetch with npm)."""
    return [
        name
        for name, version in PACKAGES.items()
        if not (unpacked(name, version) / "package").is_dir()
    ]


def fetch(log=print, packages=None) -> dict[str, Path]:
    """Make sure every package is unpacked in the cache; return their folders.

    `packages` ({name: version}, default PACKAGES) names others to fetch the
    same way (the browser tests' axe-core, say).

    Raises
    ------
    RuntimeError
        If a package is missing from the cache and npm is not installed or
        cannot reach the registry.
    """
    packages = PACKAGES if packages is None else packages
    folders = {name: unpacked(name, v) / "package" for name, v in packages.items()}
    todo = [name for name, folder in folders.items() if not folder.is_dir()]
    if not todo:
        return folders
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            f"the slides need {', '.join(todo)} from the npm registry, "
            "but npm is not installed (Debian: apt-get install -y npm)"
        )
    specs = [f"{name}@{packages[name]}" for name in todo]
    log(f"downloading {' '.join(specs)} with npm (once; cached in {cache_dir()})")
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            [npm, "pack", "--silent", "--pack-destination", tmp, *specs],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(f"npm pack failed:\n{result.stderr.strip()}")
        for name in todo:
            stem = name.lstrip("@").replace("/", "-")
            (tarball,) = Path(tmp).glob(f"{stem}-{packages[name]}.tgz")
            target = unpacked(name, packages[name])
            # Unpack beside the target and rename, so an interrupted build
            # never leaves a half-filled cache entry that looks complete.
            partial = target.with_name(target.name + ".partial")
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir(parents=True)
            with tarfile.open(tarball) as tar:
                tar.extractall(partial, filter="data")
            shutil.rmtree(target, ignore_errors=True)
            partial.rename(target)
    return folders


# The tutorial's own scripts and styles for exported pages (players, site).
STATIC = Path(__file__).resolve().parent / "static"


def install(outdir: Path, log=print) -> Path:
    """Copy the files a deck or page loads into ``outdir/assets``; return it."""
    folders = fetch(log)
    assets = Path(outdir) / "assets"
    shutil.copytree(STATIC, assets / "tutorial", dirs_exist_ok=True)
    for name, source, dest in _COPY:
        src, dst = folders[name] / source, assets / dest
        if not src.exists():
            raise RuntimeError(f"{name} {PACKAGES[name]} has no {source}")
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, ignore=_SKIP, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)
    return assets
