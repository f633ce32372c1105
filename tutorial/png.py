"""PNG frames for the demos: small enough to cross a slow link quickly.

A frame is what a learner waits for over the network: at 20 Mbit/s every
100 KB costs 40 ms. Matplotlib figures are mostly flat colour plus
antialiased edges, so an indexed PNG (at most 256 colours) says the same in a
third of the bytes of a full-colour one. `encode_png` builds the palette
itself, with numpy, so that:

- the colours that cover most of the picture (background, lines, filled
  areas, text) stay exact: the 96 most frequent colours are entries as they
  are;
- a grey stays a grey (antialiased black text on white is all greys, and a
  tinted pixel in a letter looks blurred): the other greys get up to 32 grey
  entries of their own;
- every other colour (blends along antialiased edges, mostly) goes to the
  nearest of the remaining entries, chosen by the farthest-point rule: the
  worst error is what is kept small, not the average one;
- the palette and indices are a pure function of the pixels (no float
  ties, no state), so the same figure gives the same PNG (`tutorial.frames`
  and the pictures drawn ahead rely on that, within one process). Between
  two processes ISA-L's deflate once wrote the same rows one byte apart, so
  tests that compare another process's picture compare its pixels.

A picture with at most 256 colours, or with transparent pixels, is stored
exactly (indexed or RGBA). How close the rest must be is stated and tested in
tests/conftest.py (`frame_errors`) for every demo; benchmarks/frames.py
prints sizes, encoding times and errors.
"""

from __future__ import annotations

import io
import struct
import threading
import zlib

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import plotting

try:
    from isal import isal_zlib as _deflate
except ImportError:  # pragma: no cover - same format, about 4x slower
    _deflate = zlib

__all__ = ["png_bytes", "encode_png"]

COLOURS = 256  # the most a PNG palette holds
EXACT = 96  # the most frequent colours, kept exactly
GREYS = 32  # the most entries for other greys (antialiased text)
_CELL_BITS = 5  # other colours are grouped in cells of 8 x 8 x 8 levels
_CLOSE_ENOUGH = 9  # squared distance: a colour this near an entry needs no other
_BATCH = 32  # entries the farthest-point rule may add in one round
_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Colour (24 bits) -> palette index for the frame being encoded. Allocated
# once (16 MB of address space; only the pages of colours in use are ever
# touched) and guarded by a lock, as two threads may encode at once.
_INDEX: np.ndarray | None = None
_INDEX_LOCK = threading.Lock()


def png_bytes(fig: Figure) -> bytes:
    """Render the figure to PNG bytes (same figure, same bytes)."""
    if fig.dpi != plotting.DPI or not isinstance(fig.canvas, FigureCanvasAgg):
        # Drawn at the tutorial's DPI by savefig, then encoded as every frame is.
        buf = io.BytesIO()
        with plotting.style():
            fig.savefig(buf, format="png", dpi=plotting.DPI)
        return encode_png(np.asarray(_decode_rgba(buf.getvalue())))
    with plotting.style():
        # One Agg draw; savefig would draw the figure twice.
        fig.canvas.draw()
    return encode_png(fig.canvas.buffer_rgba())


def _decode_rgba(data: bytes):
    from PIL import Image  # matplotlib depends on Pillow

    return Image.open(io.BytesIO(data)).convert("RGBA")


def encode_png(rgba, *, exact: bool = False) -> bytes:
    """Return PNG bytes for an (height, width, 4) uint8 RGBA pixel buffer.

    An opaque picture becomes an indexed PNG of at most 256 colours (see the
    module's docstring): exact if it has no more colours than that, else
    within a few levels of the original everywhere. With ``exact=True``, or
    if any pixel is transparent, every pixel is stored as it is (RGBA).

    Rows are stored unfiltered and deflated at level 1 by ISA-L (`isal`):
    plots are mostly flat colour, which this compresses nearly as well as
    adaptive filters, several times faster. Without `isal` (for example in a
    browser-based Python) zlib writes the same format.
    """
    pixels = np.asarray(rgba, dtype=np.uint8)
    if pixels.ndim != 3 or pixels.shape[2] != 4:
        raise ValueError(f"rgba must have shape (height, width, 4); got {pixels.shape}")
    height, width = pixels.shape[:2]
    if height == 0 or width == 0:
        raise ValueError(f"rgba must have at least one pixel; got {pixels.shape}")
    pixels = np.ascontiguousarray(pixels)
    # One 32-bit word per pixel, read little-endian: alpha is the top byte.
    words = pixels.view("<u4").reshape(-1)
    if exact or words.min() < 0xFF000000:
        return _png(width, height, 6, pixels.reshape(height, width * 4))
    colours, indices = _indexed(words)
    plte = _rgb(colours).astype(np.uint8).tobytes()
    return _png(width, height, 3, indices.reshape(height, width), plte)


def _rgb(colours) -> np.ndarray:
    """Return 24-bit colours 0xBBGGRR as (n, 3) red, green, blue."""
    colours = colours.astype(np.intp)
    return np.stack([colours & 255, (colours >> 8) & 255, colours >> 16], -1)


def _png(width, height, colour_type, rows, plte=None) -> bytes:
    """Assemble a PNG of 8-bit samples from its unfiltered rows."""
    data = np.empty((height, rows.shape[1] + 1), dtype=np.uint8)
    data[:, 0] = 0  # PNG filter type "None" for every row
    data[:, 1:] = rows
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    chunks = [_SIGNATURE, _png_chunk(b"IHDR", header)]
    if plte is not None:
        chunks.append(_png_chunk(b"PLTE", plte))
    chunks += [
        _png_chunk(b"IDAT", _deflate.compress(data, 1)),
        _png_chunk(b"IEND", b""),
    ]
    return b"".join(chunks)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


# ------------------------------------------------------------------ palette


def _indexed(words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (palette as uint32 0xBBGGRR, uint8 index of every pixel).

    `words` holds one opaque pixel per 32-bit word (0xFFBBGGRR), row after row.
    """
    # Neighbours along a row are mostly the same colour: work on runs.
    change = np.empty(words.size, dtype=bool)
    change[0] = True
    np.not_equal(words[1:], words[:-1], out=change[1:])
    starts = np.flatnonzero(change)
    lengths = np.empty(starts.size, dtype=np.intp)
    np.subtract(starts[1:], starts[:-1], out=lengths[:-1])
    lengths[-1] = words.size - starts[-1]
    runs = words[starts] & np.uint32(0xFFFFFF)
    unique, weight = _weighted_unique(runs, lengths)
    if unique.size <= COLOURS:
        palette, index = unique, np.arange(unique.size, dtype=np.uint8)
    else:
        palette, index = _choose(unique, weight)
    global _INDEX
    with _INDEX_LOCK:
        if _INDEX is None:
            _INDEX = np.zeros(1 << 24, dtype=np.uint8)
        _INDEX[unique] = index
        per_run = _INDEX.take(runs)
    return palette, np.repeat(per_run, lengths)


def _weighted_unique(runs, lengths) -> tuple[np.ndarray, np.ndarray]:
    """Return the distinct colours (sorted) and how many pixels each covers.

    Colour and run length share one 32-bit key (a quick sort); the few runs
    longer than 255 add the rest of their length afterwards.
    """
    key = runs << np.uint32(8)
    key |= np.minimum(lengths, 255).astype(np.uint32)
    key.sort()
    colour = key >> np.uint32(8)
    first = np.empty(key.size, dtype=bool)
    first[0] = True
    np.not_equal(colour[1:], colour[:-1], out=first[1:])
    bounds = np.flatnonzero(first)
    unique = colour[bounds]
    total = np.cumsum(key & np.uint32(255), dtype=np.int64)
    ends = np.append(bounds[1:], key.size) - 1
    weight = np.diff(total[ends], prepend=0)
    long = lengths > 255
    if long.any():
        where = np.searchsorted(unique, runs[long])
        weight += np.bincount(where, lengths[long] - 255, unique.size).astype(np.int64)
    return unique, weight


def _choose(unique, weight) -> tuple[np.ndarray, np.ndarray]:
    """Return a palette of 256 colours and the entry for each unique colour.

    Three kinds of entries, in this order:

    1. the `EXACT` heaviest colours, as they are;
    2. up to `GREYS` levels for the other greys: antialiased black text on
       white is all greys, and a grey must stay a grey (a tinted pixel in a
       letter is what makes text look blurred), so greys map to greys only;
    3. for every other colour, entries chosen as the colour farthest from
       every entry so far (the farthest-point rule of Gonzalez 1985, which
       keeps the largest distance within twice the least possible). To keep
       this quick, colours are pooled in cells of 8 levels per channel, each
       standing for its colours by their weighted mean.
    """
    rgb = _rgb(unique)
    # Heaviest first; among equals, the lower colour (integer keys with no
    # ties: the same choice on any machine).
    key = weight * unique.size + np.arange(unique.size)[::-1]
    exact = np.sort(np.argpartition(-key, EXACT - 1)[:EXACT])
    index = np.empty(unique.size, dtype=np.uint8)
    index[exact] = np.arange(EXACT)
    rest = np.ones(unique.size, dtype=bool)
    rest[exact] = False
    is_grey = (rgb[:, 0] == rgb[:, 1]) & (rgb[:, 1] == rgb[:, 2])
    greys = np.flatnonzero(rest & is_grey)
    exact_greys = np.flatnonzero(is_grey[exact])
    levels, grey_index = _grey_levels(
        rgb[greys, 0], rgb[exact[exact_greys], 0], exact_greys, EXACT
    )
    index[greys] = grey_index
    palette = [rgb[exact], np.repeat(levels[:, None], 3, axis=1)]
    others = np.flatnonzero(rest & ~is_grey)
    if others.size:
        fixed = np.concatenate(palette)
        means, cell_index = _farthest(rgb[others], weight[others], fixed)
        index[others] = cell_index
        palette.append(means)
    rgb_palette = np.concatenate(palette)
    colours = rgb_palette[:, 0] | (rgb_palette[:, 1] << 8) | (rgb_palette[:, 2] << 16)
    return colours.astype(np.uint32), index


def _grey_levels(levels, fixed, fixed_index, first):
    """Return new grey levels (at most `GREYS`) and each level's palette entry.

    `fixed` are grey levels already in the palette (at `fixed_index`); new
    entries start at `first`. The other greys are rounded to multiples of
    the finest even step that needs no more than `GREYS` new levels, so a
    grey is off by at most half that step (4 levels when every grey occurs).
    """
    if levels.size == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.uint8)
    taken = np.zeros(256, dtype=bool)
    taken[fixed] = True
    for step in range(2, 257, 2):
        rounded = np.minimum((levels + step // 2) // step * step, 255)
        wanted = np.zeros(256, dtype=bool)
        wanted[rounded] = True
        wanted &= ~taken
        if np.count_nonzero(wanted) <= GREYS:
            break
    new = np.flatnonzero(wanted)
    centres = np.concatenate([fixed, new])
    entries = np.concatenate([fixed_index, first + np.arange(new.size)])
    nearest = np.abs(levels[:, None] - centres[None]).argmin(1)
    return new, entries[nearest].astype(np.uint8)


def _farthest(rgb, weight, fixed):
    """Return new entries (farthest-point, over cells) and each colour's entry.

    `fixed` (k, 3) are the entries so far; new ones fill the palette up to
    `COLOURS`.
    """
    shift = 8 - _CELL_BITS
    cell = (rgb[:, 0] >> shift) << (2 * _CELL_BITS)
    cell |= (rgb[:, 1] >> shift) << _CELL_BITS
    cell |= rgb[:, 2] >> shift
    cells = 1 << (3 * _CELL_BITS)
    mass = np.bincount(cell, weight, cells)
    occupied = np.flatnonzero(mass)
    means = np.empty((occupied.size, 3), dtype=np.float32)
    for channel in range(3):
        sums = np.bincount(cell, weight * rgb[:, channel], cells)[occupied]
        means[:, channel] = np.round(sums / mass[occupied])
    norms = np.einsum("ij,ij->i", means, means)
    across = np.ascontiguousarray(-2 * means.T)

    def distances(points):
        """Squared distances (points, cells) as |a|^2 + |b|^2 - 2 a.b: integers
        below 2^24, so exact in float32 in any order of summing (same bytes on
        any machine)."""
        result = points @ across
        result += norms
        result += np.einsum("ij,ij->i", points, points)[:, None]
        return result

    def nearest_first(points, offset, far, near):
        """Lower `far` (each cell's distance to its nearest entry) and set
        `near` (that entry) where one of `points` (entries offset, ...) is
        strictly nearer: of equals, the first entry keeps the cell."""
        found = distances(points)
        best = found.argmin(0)
        closer = found[best, np.arange(found.shape[1])] < far
        far[closer] = found[best[closer], np.flatnonzero(closer)]
        near[closer] = offset + best[closer]

    entries = fixed.astype(np.float32)
    far = np.full(means.shape[0], np.inf, dtype=np.float32)
    near = np.zeros(means.shape[0], dtype=np.intp)
    nearest_first(entries, 0, far, near)
    # The farthest-point rule adds the cell farthest from the palette, one
    # at a time. To save rounds, each round takes the `_BATCH` farthest at
    # once, except any nearer to a farther one of them than to the palette
    # (so each cell taken is one the rule itself would take). Ties go to the
    # lower cell (integer keys: the same choice on any machine).
    tiebreak = np.arange(far.size)[::-1]
    room = COLOURS - len(fixed)
    chosen = []
    while len(chosen) < room:
        size = min(_BATCH, room - len(chosen), far.size)
        key = far.astype(np.int64) * far.size + tiebreak
        top = np.argpartition(key, far.size - size)[far.size - size :]
        top = top[np.argsort(-key[top])]
        top = top[far[top] > _CLOSE_ENOUGH]
        if not top.size:
            break
        points = means[top]
        square = np.einsum("ij,ij->i", points, points)
        between = square[:, None] + square - 2 * (points @ points.T)
        shadowed = np.tril(between < far[top][:, None], -1).any(1)
        points, top = points[~shadowed], top[~shadowed]
        nearest_first(points, len(entries) + len(chosen), far, near)
        chosen.extend(top.tolist())
    # Each cell goes to its nearest entry (the first of equals), kept up to
    # date round by round rather than found again over the whole palette.
    to_cell = np.zeros(cells, dtype=np.uint8)
    to_cell[occupied] = near
    return means[chosen].astype(np.intp), to_cell[cell]
