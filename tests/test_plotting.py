"""Figure helpers: round axis limits, plain-text log labels, bars."""

import numpy as np
import pytest

from tutorial import plotting


@pytest.mark.parametrize(
    "value, nice",
    [(1, 1), (1.2, 2), (2, 2), (3, 5), (5.01, 10), (47, 50), (120, 200), (0.03, 0.05)],
)
def test_nice_ceiling_snaps_up_to_1_2_5(value, nice):
    assert plotting.nice_ceiling(value) == pytest.approx(nice)


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")])
def test_nice_ceiling_names_a_bad_value(bad):
    with pytest.raises(ValueError, match="value must be a positive finite number"):
        plotting.nice_ceiling(bad)


@pytest.mark.parametrize(
    "value, label",
    [(1e-3, "10⁻³"), (1, "10⁰"), (10, "10¹"), (1e12, "10¹²"), (2e-3, ""), (0, "")],
)
def test_decade_labels_are_plain_text_powers_of_ten(value, label):
    assert plotting.decade_label(value) == label


def test_log_axis_labels_every_decade_in_view():
    fig, (ax,) = plotting.new_figure(4, 3)
    plotting.log_axis(ax, "y")
    ax.plot([0, 1], [1e-3, 1e2])
    ax.set_ylim(1e-3, 1e2)
    fig.canvas.draw()
    low, high = ax.get_ylim()
    shown = [
        t.get_text()
        for t, v in zip(ax.get_yticklabels(), ax.get_yticks(), strict=True)
        if low <= v <= high
    ]
    assert shown == ["10⁻³", "10⁻²", "10⁻¹", "10⁰", "10¹", "10²"]
    with pytest.raises(ValueError, match="which must be 'x' or 'y'"):
        plotting.log_axis(ax, "z")


def test_nice_ceiling_takes_a_finer_ladder():
    ladder = (1, 1.5, 2, 3, 5, 7)
    assert plotting.nice_ceiling(1.2, ladder) == 1.5
    assert plotting.nice_ceiling(6, ladder) == 7
    assert plotting.nice_ceiling(7.5, ladder) == 10


def test_power_of_ten_writes_the_exponent_in_superscript():
    assert plotting.power_of_ten(-12) == "10⁻¹²"
    assert plotting.power_of_ten(80) == "10⁸⁰"


# ------------------------------------------------------- bars and intervals


def test_bar_verts_outline_each_bar_from_zero():
    verts = plotting.bar_verts(np.array([0.0, 1.0, 3.0]), [2, 5])
    assert verts.shape == (2, 4, 2)
    np.testing.assert_array_equal(verts[1], [[1, 0], [1, 5], [3, 5], [3, 0]])


def test_vertical_segments_are_one_line_broken_by_nans():
    xs, ys = plotting.vertical_segments(np.array([1, 2]), [0.1, 0.2], [0.5, 0.9])
    np.testing.assert_array_equal(xs, [1, 1, np.nan, 2, 2, np.nan])
    np.testing.assert_array_equal(ys, [0.1, 0.5, np.nan, 0.2, 0.9, np.nan])


def test_set_errorbar_moves_markers_and_bars_in_place():
    fig, (ax,) = plotting.new_figure(3, 2)
    container = ax.errorbar([0, 1], [0, 0], yerr=[[0, 0], [0, 0]], fmt="o")
    plotting.set_errorbar(container, [0, 1], [0.5, 0.7], [0.4, 0.6], [0.6, 0.9])
    markers, _, (bars,) = container.lines
    np.testing.assert_array_equal(markers.get_ydata(), [0.5, 0.7])
    np.testing.assert_array_equal(bars.get_segments()[1], [[1, 0.6], [1, 0.9]])


def test_lines_over_a_surface_are_outlined_and_the_others_left_alone():
    fig, (ax, free) = plotting.new_figure(6, 2.5, ncols=2)
    with plotting.style():
        xs = np.linspace(0, 1, 20)
        ax.contourf(xs, xs, np.add.outer(xs, xs), cmap=plotting.SURFACE_CMAP)
        ax.contour(xs, xs, np.add.outer(xs, xs), colors="white")
        (path,) = ax.plot([0, 1], [0, 1], color="white", zorder=6)
        (star,) = ax.plot([0.5], [0.5], "*", color="white", mec="black", zorder=6)
        (dot,) = ax.plot([0.2], [0.2], "o", color=plotting.ORANGE, zorder=6)
        (below,) = ax.plot([0, 1], [1, 0], color="white", zorder=0)
        (elsewhere,) = free.plot([0, 1], [0, 1], color="white")
    assert plotting.outline_over_surfaces(fig) == 2
    assert path.get_path_effects() and dot.get_path_effects()
    assert not (star.get_path_effects() or below.get_path_effects())
    assert not elsewhere.get_path_effects()
    assert plotting.outline_over_surfaces(fig) == 0  # once is enough


def outlined_picture(matplotlibs_own: bool) -> tuple[np.ndarray, list]:
    """A trajectory with markers, squares and arrows over a surface, outlined."""
    fig, (ax,) = plotting.new_figure(3, 2.5)
    with plotting.style():
        xs = np.linspace(0, 1, 30)
        ax.imshow(np.add.outer(xs, xs), cmap=plotting.SURFACE_CMAP, extent=(0, 1, 0, 1))
        ax.plot(
            [0.1, 0.5, 0.8],
            [0.1, 0.5, 0.3],
            "o-",
            color=plotting.ORANGE,
            lw=1.5,
            zorder=6,
        )
        ax.plot([0.2, 0.7], [0.8, 0.6], "s", color="white", zorder=6)
        grid = np.linspace(0.1, 0.9, 5)
        ax.quiver(*np.meshgrid(grid, grid), 1, 0.5, color="white", zorder=4)
        plotting.outline_over_surfaces(fig)
        outlined = [*ax.lines, *ax.collections[-1:]]
        if matplotlibs_own:  # the plain class: its path effects draw the rings
            for artist in outlined:
                artist.__class__ = type(artist).__mro__[1]
        fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(int), outlined


def test_outlines_draw_as_matplotlibs_path_effects_do_and_leave_no_trace():
    """`halo`'s quick drawing (one native call per ring, not one per marker
    or arrow) gives the picture matplotlib's path effects give, but for
    where markers land within a pixel (Agg snaps them to pixel centres)."""
    quick, outlined = outlined_picture(matplotlibs_own=False)
    slow, _ = outlined_picture(matplotlibs_own=True)
    diff = np.abs(quick - slow).max(axis=-1)
    assert np.abs(quick - slow).mean() < 2.0  # of 255
    assert np.mean(diff > 32) < 0.03  # edges of markers, a pixel apart
    line, squares, arrows = outlined
    # Drawing put every property back and left nothing stale.
    assert line.get_color() == plotting.ORANGE and line.get_linewidth() == 1.5
    assert squares.get_markeredgecolor() == "white"
    assert len(arrows.get_path_effects()) == 2  # a black ring, then the arrows
    assert not any(a.stale for a in outlined)


def test_an_outlined_lines_markers_still_follow_its_colour():
    fig, (ax,) = plotting.new_figure(3, 2.5)
    with plotting.style():
        xs = np.linspace(0, 1, 10)
        ax.imshow(np.add.outer(xs, xs), cmap=plotting.SURFACE_CMAP, extent=(0, 1, 0, 1))
        (line,) = ax.plot([0.2, 0.8], [0.2, 0.8], "x-", color="white", zorder=6)
        plotting.outline_over_surfaces(fig)
        fig.canvas.draw()
        line.set_color(plotting.BLUE)  # a demo recolours its path
    assert line.get_markeredgecolor() == plotting.BLUE
