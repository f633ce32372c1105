"""The PNG encoder behind every demo frame: exact pixels, with or without isal."""

import io
import zlib

import numpy as np
import pytest
from PIL import Image

from tutorial import plotting


def decode(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


@pytest.fixture(params=["isal", "zlib"])
def deflate(request, monkeypatch):
    if request.param == "zlib":
        monkeypatch.setattr(plotting, "_deflate", zlib)
    else:
        # isal is a runtime dependency, so the fast path is the one in use.
        assert "isal" in plotting._deflate.__name__
    return request.param


def test_encode_png_round_trips_every_pixel(deflate):
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, size=(37, 53, 4), dtype=np.uint8)
    assert np.array_equal(decode(plotting.encode_png(pixels)), pixels)


def test_a_demo_frame_decodes_to_the_figure_and_stays_small(deflate):
    fig, (ax,) = plotting.new_figure(6, 3)
    ax.plot([0, 1, 2], [2, 0, 1])
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    png = plotting.encode_png(rgba)
    assert np.array_equal(decode(png), rgba)
    # A plot is mostly flat colour: far smaller than its raw pixels.
    assert len(png) < rgba.nbytes / 10


def test_encode_png_names_a_bad_shape():
    with pytest.raises(ValueError, match="rgba must have shape"):
        plotting.encode_png(np.zeros((4, 4, 3), np.uint8))
