"""The partial redraw (`tutorial.frames`), path by path, on small synthetic figures.

Every frame must be the very picture a full draw makes, byte for byte; what
each path is for is seen in `full_draws` (how many frames were drawn in full)
and `reason` (why the last one was). If a matplotlib release breaks one of
the engine's assumptions, these tests say which, instead of every demo
quietly falling back to full draws.
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from tutorial import plotting
from tutorial.frames import Frames
from tutorial.png import png_bytes


def figure(ncols: int = 2) -> Figure:
    """Return a small figure of `ncols` axes, each with a line and a title."""
    fig, axes = plotting.new_figure(2.2 * ncols, 2.0, ncols=ncols)
    with plotting.style():
        for i, ax in enumerate(axes):
            ax.plot([0, 1], [0, 1], color=plotting.BLUE, zorder=3)
            ax.set(xlim=(0, 1), ylim=(0, 2))
            ax.set_title(f"axes {i}")
    return fig


def start(fig: Figure, partial: bool = True, freeze: bool = True) -> Frames:
    """Return Frames over `fig` after its first frame, as a Demo leaves it.

    The figure's constrained layout places the axes in the first frame;
    then, as in `Demo`, the layout is frozen unless `freeze` is False.
    """
    frames = Frames(fig, partial=partial)
    with plotting.style():
        frames.png()
    if freeze:
        fig.set_layout_engine("none")
    frames.settled()
    return frames


def frame(frames: Frames) -> bytes:
    """Draw a frame; check it is the picture a full draw makes; return it."""
    with plotting.style():
        png = frames.png()
    assert png == png_bytes(frames.fig), f"differs ({frames.reason})"
    return png


def line(fig: Figure, i: int = 0) -> Line2D:
    return fig.axes[i].lines[0]


def test_a_changed_line_is_redrawn_alone_and_planned_once():
    fig = figure()
    frames = start(fig)
    ax = fig.axes[0]
    assert not frames.planned(ax)
    for top in (1.5, 0.5, 1.8):
        line(fig).set_ydata([0, top])
        frame(frames)
    assert frames.full_draws == 1  # the first frame only
    assert frames.planned(ax) and not frames.planned(fig.axes[1])


def test_text_only_changes_and_unchanged_titles_draw_no_full_frame():
    fig = figure()
    frames = start(fig)
    title = fig.axes[1].title
    for words in ("a new title", "a new title", "another, longer title"):
        title.set_text(words)
        frame(frames)
    fig.axes[0].set_title("axes 0")  # the same words again
    line(fig).set_ydata([0, 1.2])
    frame(frames)
    assert frames.full_draws == 1


def test_new_limits_redraw_their_axes_whole_but_not_the_figure():
    fig = figure()
    frames = start(fig)
    ax = fig.axes[1]
    for top in (3.0, 5.0, 2.0):
        ax.set_ylim(0, top)
        line(fig, 1).set_ydata([0, top * 0.9])
        frame(frames)
    ax.set_ylim(0, 2.0)  # the same limits again: only the line changed
    line(fig, 1).set_ydata([0, 1.0])
    frame(frames)
    assert frames.full_draws == 1


def test_a_layout_engine_means_full_draws():
    fig = figure()
    frames = start(fig, freeze=False)
    line(fig).set_ydata([0, 1.5])
    frame(frames)
    assert frames.full_draws == 2 and frames.reason == "layout or figure-level change"


def test_a_figure_level_artist_that_changes_means_a_full_draw():
    fig = figure()
    note = fig.suptitle("first")
    frames = start(fig)
    line(fig).set_ydata([0, 1.5])
    frame(frames)
    assert frames.full_draws == 1
    note.set_text("second")
    frame(frames)
    assert frames.full_draws == 2 and frames.reason == "layout or figure-level change"


def test_a_canvas_drawn_on_by_someone_else_means_a_full_draw():
    fig = figure()
    frames = start(fig)
    line(fig).set_ydata([0, 1.5])
    fig.canvas.draw()  # another picture in the buffer than the last frame
    line(fig).set_ydata([0, 0.5])
    frame(frames)
    assert frames.full_draws == 2 and frames.reason == "the canvas was drawn on"


def test_overlapping_axes_are_never_redrawn_apart():
    fig = figure(ncols=1)
    inset = fig.add_axes([0.55, 0.55, 0.3, 0.3])
    inset.plot([0, 1], [1, 0])
    frames = start(fig)
    for top in (1.5, 0.5):
        line(fig).set_ydata([0, top])
        frame(frames)
    assert frames.full_draws == 3
    assert frames.reason == "axes overlap: they cannot be redrawn apart"


def test_a_label_that_leaves_its_region_means_a_full_draw():
    fig = Figure(figsize=(4.4, 2.0), dpi=plotting.DPI)
    FigureCanvasAgg(fig)
    with plotting.style():
        left = fig.add_axes((0.1, 0.15, 0.3, 0.7))
        fig.add_axes((0.78, 0.15, 0.2, 0.7)).plot([0, 1], [1, 0])
        label = left.text(0.5, 0.5, "here", clip_on=False)
    frames = start(fig)
    label.set_text("moved")
    frame(frames)  # planned: the text changes
    assert frames.full_draws == 1
    # Between the axes, past the middle of the gap: out of the left axes'
    # region, clear of the right axes' own box.
    label.set_position((1.55, 0.5))
    frame(frames)
    assert frames.full_draws == 2
    assert frames.reason == "something was drawn outside its region"


def test_a_rasterization_zorder_cannot_be_followed():
    fig = figure()
    fig.axes[0].set_rasterization_zorder(1)
    frames = start(fig)
    line(fig, 1).set_ydata([0, 1.5])
    frame(frames)
    assert frames.full_draws == 2


class Flicker(Line2D):
    """A line drawn in another colour each time: no cut can reproduce it."""

    draws = 0

    def draw(self, renderer):
        Flicker.draws += 1
        self.set_color(plotting.CYCLE[Flicker.draws % 3])
        return super().draw(renderer)


def test_cuts_that_never_match_a_full_draw_are_given_up():
    fig = figure()
    flicker = Flicker([0, 1], [1, 0], zorder=4)  # above the line, crossing it
    fig.axes[0].add_line(flicker)
    frames = start(fig)
    for top in (1.5, 0.5, 1.2, 0.8, 1.6, 0.4):
        line(fig).set_ydata([0, top])
        with plotting.style():
            frames.png()
    assert frames.failures == 3  # then it stops trying
    assert frames.full_draws == 1 + 6  # every frame, its new cut having failed
    assert not frames.plan


def test_after_an_exception_mid_frame_the_next_frame_is_right():
    fig = figure()
    frames = start(fig)
    line(fig).set_ydata([0, 1.5])
    frame(frames)
    broken = line(fig, 1)
    broken.set_ydata([0, 0.5])
    broken.draw = lambda renderer: 1 / 0  # fails halfway through a redraw
    with pytest.raises(ZeroDivisionError), plotting.style():
        frames.png()
    del broken.draw
    broken.set_ydata([0, 0.7])
    frame(frames)
    line(fig).set_ydata([0, 1.1])
    frame(frames)


def test_partial_off_draws_every_frame_in_full():
    tops = (1.5, 0.5, 1.8)
    pictures = {}
    for partial in (True, False):
        fig = figure()
        frames = start(fig, partial=partial)
        pictures[partial] = []
        for top in tops:
            line(fig).set_ydata([0, top])
            pictures[partial].append(frame(frames))
        assert frames.full_draws == (1 if partial else 1 + len(tops))
    assert pictures[True] == pictures[False]


def test_pixels_outside_a_cut_are_left_as_they_were():
    fig = figure()
    frames = start(fig)
    right = fig.axes[1].get_window_extent()
    before = np.asarray(fig.canvas.buffer_rgba()).copy()
    line(fig).set_ydata([0, 0.3])
    frame(frames)
    after = np.asarray(fig.canvas.buffer_rgba())
    height = after.shape[0]
    rows = slice(height - int(right.y1), height - int(right.y0))
    cols = slice(int(right.x0), int(right.x1))
    np.testing.assert_array_equal(after[rows, cols], before[rows, cols])


def test_an_outlined_line_over_a_surface_is_redrawn_with_its_outline():
    fig, (ax,) = plotting.new_figure(3, 2.5)
    with plotting.style():
        xs = np.linspace(0, 1, 40)
        ax.contourf(xs, xs, np.add.outer(xs, xs), cmap=plotting.SURFACE_CMAP)
        (path,) = ax.plot([0.1, 0.5], [0.1, 0.5], color="white", lw=1.5, zorder=6)
        plotting.halo(path, width=2.0)  # wider than the line's own padding
    frames = start(fig)
    for end in (0.9, 0.3, 0.7):
        path.set_data([0.1, end, 0.2], [0.1, 0.6, end])
        frame(frames)
    assert frames.full_draws == 1  # the first frame only


def test_a_path_effect_of_unknown_extent_still_draws_the_right_picture():
    from matplotlib import patheffects

    fig = figure(ncols=1)
    line(fig).set_path_effects([patheffects.SimplePatchShadow(offset=(6, -6))])
    frames = start(fig)
    for top in (1.5, 0.5):
        line(fig).set_ydata([0, top])
        frame(frames)


def test_outlined_arrows_over_a_surface_are_redrawn_with_their_outline():
    fig, (ax,) = plotting.new_figure(3, 2.5)
    with plotting.style():
        xs = np.linspace(0, 1, 30)
        ax.imshow(np.add.outer(xs, xs), cmap=plotting.SURFACE_CMAP, extent=(0, 1, 0, 1))
        grid = np.linspace(0.1, 0.9, 5)
        arrows = ax.quiver(*np.meshgrid(grid, grid), 1, 0, color="white", zorder=4)
    assert plotting.outline_over_surfaces(fig) == 1 and arrows.get_path_effects()
    frames = start(fig)
    for turn in (0.5, -1.0, 2.0):
        arrows.set_UVC(np.cos(turn), np.sin(turn))
        frame(frames)


def test_a_scatters_dots_have_boxes_of_their_own():
    """So a scatter that changes is redrawn alone, not with everything above
    it in its axes (matplotlib 3.11 gives its path effects as None, not [])."""
    from tutorial.frames import _extent

    fig = figure(ncols=1)
    dots = fig.axes[0].scatter([0.2, 0.8], [0.5, 0.5], s=20, zorder=5)
    fig.canvas.draw()
    boxes = _extent(dots, fig.canvas.get_renderer())
    assert boxes is not None and len(boxes) == 2
