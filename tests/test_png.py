"""The PNG encoder behind every demo frame (tutorial/png.py).

Every demo's own frame is checked against its full-colour render in
tests/test_demos.py (tolerances in tests/conftest.py); here, the encoder's
rules on pictures made to test them.
"""

import zlib

import numpy as np
import pytest
from conftest import decode_png, frame_errors

from tutorial import plotting, png


@pytest.fixture(params=["isal", "zlib"])
def deflate(request, monkeypatch):
    if request.param == "zlib":
        monkeypatch.setattr(png, "_deflate", zlib)
    else:
        # isal is a runtime dependency, so the fast path is the one in use.
        assert "isal" in png._deflate.__name__
    return request.param


def colour_type(data: bytes) -> int:
    """Return the PNG's colour type: 3 indexed, 6 RGBA."""
    assert data[12:16] == b"IHDR"
    return data[25]


@pytest.fixture(scope="module")
def plot():
    """Return a drawn figure's pixels: a filled surface, text, lines."""
    fig, (ax, bx) = plotting.new_figure(6, 3, ncols=2)
    x = np.linspace(-2, 2, 80)
    ax.contourf(x, x, np.add.outer(x**2, np.sin(3 * x)), levels=20, alpha=0.7)
    ax.plot(x, x, color=plotting.ORANGE)
    bx.plot(x, np.sin(x), color=plotting.VERMILION)
    bx.set_title("learning rate η = 0.1")
    fig.canvas.draw()
    pixels = np.array(fig.canvas.buffer_rgba())
    pixels.flags.writeable = False
    return pixels


def colours(pixels) -> int:
    return np.unique(pixels.reshape(-1, 4).view(np.uint32)).size


def test_transparent_pixels_are_stored_exactly(deflate):
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, size=(37, 53, 4), dtype=np.uint8)
    data = png.encode_png(pixels)
    assert colour_type(data) == 6
    assert np.array_equal(decode_png(data), pixels)


def test_a_picture_of_at_most_256_colours_is_indexed_and_exact(deflate):
    rng = np.random.default_rng(1)
    colours = rng.integers(0, 256, size=(256, 4), dtype=np.uint8)
    colours[:, 3] = 255
    pixels = colours[rng.integers(0, 256, size=(40, 70))]
    data = png.encode_png(pixels)
    assert colour_type(data) == 3
    assert np.array_equal(decode_png(data), pixels)


def test_a_plot_keeps_its_look_in_a_third_of_the_bytes(deflate, plot):
    pixels = plot
    assert colours(pixels) > 256
    data = png.encode_png(pixels)
    exact = png.encode_png(pixels, exact=True)
    assert colour_type(data) == 3 and colour_type(exact) == 6
    assert np.array_equal(decode_png(exact), pixels)
    assert frame_errors(pixels, decode_png(data)) == []
    assert len(data) < len(exact) / 2


def test_the_most_frequent_colours_are_kept_exactly(plot):
    pixels = plot
    shown = decode_png(png.encode_png(pixels))
    words = pixels.reshape(-1, 4).view(np.uint32).ravel()
    values, counts = np.unique(words, return_counts=True)
    # Those with more pixels than the EXACT-th most frequent (ties may go
    # either way).
    top = values[counts > np.sort(counts)[-png.EXACT]]
    where = np.isin(words, top)
    assert where.mean() > 0.9  # they cover most of the picture
    assert np.array_equal(shown.reshape(-1, 4)[where], pixels.reshape(-1, 4)[where])


def test_greys_stay_greys():
    # All 256 greys (black text antialiased on white) among many colours.
    rng = np.random.default_rng(2)
    pixels = rng.integers(0, 256, size=(64, 300, 4), dtype=np.uint8)
    pixels[:, :256, :3] = np.arange(256, dtype=np.uint8)[None, :, None]
    assert colours(pixels) > 256
    pixels[..., 3] = 255
    shown = decode_png(png.encode_png(pixels)).astype(int)
    greys = shown[:, :256, :3]
    assert (greys == greys[..., :1]).all()
    assert np.abs(greys[..., 0] - np.arange(256)).max() <= 6


def test_same_pixels_same_bytes(plot):
    pixels = plot
    first = png.encode_png(pixels)
    assert png.encode_png(pixels.copy()) == first
    # A non-contiguous view of the same pixels, and a memoryview.
    wide = np.zeros((pixels.shape[0], pixels.shape[1] * 2, 4), np.uint8)
    wide[:, ::2] = pixels
    assert png.encode_png(wide[:, ::2]) == first
    assert png.encode_png(memoryview(pixels)) == first


def test_png_bytes_renders_any_figure_at_the_tutorial_dpi():
    fig, (ax,) = plotting.new_figure(3, 2)
    ax.plot([0, 1], [1, 0])
    fig.set_dpi(50)  # not the tutorial's: drawn again at DPI, then encoded
    shown = decode_png(png.png_bytes(fig))
    assert shown.shape == (2 * plotting.DPI, 3 * plotting.DPI, 4)


@pytest.mark.parametrize(
    "bad, message",
    [
        (np.zeros((4, 4, 3), np.uint8), "rgba must have shape"),
        (np.zeros((4,), np.uint8), "rgba must have shape"),
        (np.zeros((0, 4, 4), np.uint8), "at least one pixel"),
    ],
)
def test_encode_png_names_a_bad_picture(bad, message):
    with pytest.raises(ValueError, match=message):
        png.encode_png(bad)
