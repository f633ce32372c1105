"""Export mode and the demo player, without a browser or a kernel.

The browser tests (tests/browser/test_slides.py, test_site.py) drive the
published pages; here each piece is checked on its own: the switch, the
positions a player chooses, its frames against the Demo's own rendering, the
static form of a check, and the steps of publishing.
"""

from __future__ import annotations

import base64
import json
import re

import ipywidgets as W
import nbformat
import numpy as np
import pytest

from tutorial import audit, checks, export, player, plotting, publish, slides, widgets
from tutorial import png as png_module


def small_demo(control=None, **kwargs):
    """Return a cheap Demo over one or two controls (x, and k)."""
    fig, (ax,) = plotting.new_figure(3, 2)
    with plotting.style():
        (line,) = ax.plot([0, 1], [0, 1])
        ax.set_title("a line")
    controls = {
        "x": control or widgets.int_slider("x", 2, 0, 10),
        "k": widgets.choice("kind", {"flat": 0.0, "steep": 2.0}),
    }

    def draw(x, k):
        line.set_ydata([0, 1 + float(x) * (1 + k)])
        return f"x = {x}, k = {k}"

    return widgets.Demo(fig, controls, draw, **kwargs)


def data_of(html: str) -> dict:
    found = re.search(r'<script type="application/json" class="tp-data">(.*?)</script>',
                      html, flags=re.S)  # fmt: skip
    assert found, "no player data"
    return json.loads(found.group(1))


def test_export_mode_switch(monkeypatch):
    monkeypatch.delenv(export.ENV, raising=False)
    assert not export.active()
    monkeypatch.setenv(export.ENV, "1")
    assert export.active()
    with export.enabled(False):
        assert not export.active()
        with export.enabled():
            assert export.active()
    monkeypatch.setenv(export.ENV, "0")
    assert not export.active()


def test_demo_displays_its_player_in_export_mode_and_its_widget_otherwise(
    displayed,
):
    shown = displayed
    demo = small_demo()
    demo._ipython_display_()
    assert shown[-1][0] is demo.widget
    with export.enabled():
        demo._ipython_display_()
    bundle, kwargs = shown[-1]
    assert kwargs["raw"] is True
    assert kwargs["metadata"] == {"tutorial": {"static": "Demo", "slides": True}}
    assert 'class="tp-player"' in bundle["text/html"]


def test_player_frames_are_the_demos_own_pictures_and_sentences():
    demo = small_demo()
    html = demo._static_html_()
    data = data_of(html)
    (control,) = data["controls"]
    assert control["name"] == "x" and control["label"] == "x"
    assert control["labels"] == [str(i) for i in range(11)]  # all 11 positions
    assert data["start"] == 2 and demo.values() == {"x": 2, "k": 0.0}
    fresh = small_demo()  # another Demo, drawing each value from scratch
    for i, label in enumerate(control["labels"]):
        png, sentence = fresh.render(x=int(label))
        uri = data["frames"][data["index"][i]]
        assert base64.b64decode(uri.split(",", 1)[1]) == png
        assert data["sentences"][i] == sentence == f"x = {label}, k = 0.0"
    # The menu is shown disabled, with one line saying the notebook can change it.
    assert re.search(r'<select id="[^"]*" disabled><option selected>flat', html)
    assert "The notebook version can also change kind." in html
    assert 'aria-valuetext="2"' in html and "<output" in html and "<label" in html
    assert 'data-tp-src="data:image/png;base64,' in html  # loaded when shown
    assert 'alt="Demo picture: a line"' in html
    described = small_demo(alt="A rising line.")
    assert 'alt="A rising line."' in described._static_html_()


def test_identical_pictures_are_kept_once():
    demo = small_demo(widgets.int_slider("x", 0, 0, 3), exported=("k",))
    demo.render(x=0)  # x = 0: both kinds draw the same flat line
    data = data_of(demo._static_html_())
    assert data["controls"][0]["labels"] == ["flat", "steep"]
    assert len(data["frames"]) == 1 and data["index"] == [0, 0]
    assert data["sentences"] == ["x = 0, k = 0.0", "x = 0, k = 2.0"]


def test_several_controls_are_drawn_in_every_combination():
    demo = small_demo(widgets.int_slider("x", 1, 0, 2), exported=("x", "k"))
    data = data_of(demo._static_html_())
    assert [c["labels"] for c in data["controls"]] == [
        ["0", "1", "2"],
        ["flat", "steep"],
    ]
    # Row-major: x slowest, k fastest.
    assert data["sentences"][3] == "x = 1, k = 2.0"
    assert data["start"] == 2  # x = 1, k = flat


def test_exported_names_are_checked():
    with pytest.raises(ValueError, match="exported"):
        small_demo(exported=("nope",))
    with pytest.raises(ValueError, match="exported"):
        small_demo(exported=())


def test_default_export_is_the_first_slider_else_the_first_control():
    assert player.exported(small_demo()) == ["x"]
    menu_only = small_demo(widgets.choice("x", [1, 2]))
    assert player.exported(menu_only) == ["x"]  # no slider: the first control


@pytest.mark.parametrize(
    "widget, expected",
    [
        (widgets.int_slider("n", 3, 1, 9, 2), [1, 3, 5, 7, 9]),
        (widgets.float_slider("s", 0.0, 0.0, 0.3, 0.1), [0.0, 0.1, 0.2, 0.3]),
        (widgets.lr_slider(0.1, min=0.01, max=1.0, steps=2), [0.01, 0.1, 1.0]),
        (widgets.choice("c", {"a": 1, "b": 2}), [1, 2]),
        (W.Checkbox(value=False), [False, True]),
    ],
)
def test_grid_lists_every_position_of_a_control(widget, expected):
    assert [v for v, _ in player.grid(widget)] == expected


def test_grid_refuses_a_control_without_positions():
    with pytest.raises(ValueError, match="exported"):
        player.grid(W.Text())


def test_spread_keeps_both_ends_and_the_current_value():
    slider = widgets.lr_slider(0.1, min=0.003, max=1.0)  # 0.1 is not a step
    positions = player.grid(slider)
    assert len(positions) == 41
    picked = player.spread_positions(positions, 8, slider)
    values = [v for v, _ in picked]
    assert len(picked) <= 8 and values == sorted(values)
    assert values[0] == pytest.approx(0.003) and values[-1] == pytest.approx(1.0)
    assert 0.1 in values
    every = player.spread_positions(positions, 41, slider)
    assert len(every) == 42 and 0.1 in [v for v, _ in every]  # added in order


def test_spread_steps_evenly_from_the_current_value():
    weight = widgets.float_slider("w", -1.0, -2.0, 5.0, 0.1)  # 71 positions
    labels = [
        label for _, label in player.spread_positions(player.grid(weight), 41, weight)
    ]
    assert labels[:4] == ["-2", "-1.8", "-1.6", "-1.4"] and "-1" in labels
    assert labels[-1] == "5" and len(labels) == 36
    menu = widgets.choice("c", ["a", "b", "c", "d", "e"], value="d")
    assert [v for v, _ in player.spread_positions(player.grid(menu), 3, menu)] == [
        "a",
        "d",
        "e",
    ]


def test_counts_split_a_frame_budget_over_controls():
    assert player.frames_per_control([41], 20) == [20]
    assert player.frames_per_control([41], 100) == [41]
    assert player.frames_per_control([41, 41], 100) == [10, 10]
    assert player.frames_per_control([3, 41], 60) == [3, 20]  # the small one is whole
    assert player.frames_per_control([41], 1) == [2]  # at least two positions


def test_plan_fits_the_frame_budget():
    demo = small_demo(widgets.int_slider("x", 2, 0, 100))
    plan = player.plan(demo, frame_bytes=1000, budget=10_000)
    assert len(plan["x"]) == 10
    # 101 positions, at most 41: every third from x = 2, and both ends.
    assert len(player.plan(demo, 1000, budget=10**9)["x"]) == 35


def test_export_style_draws_text_of_at_least_the_slide_minimum():
    for on, least in ((False, 0), (True, plotting.SLIDE_MIN_FONT)):
        with export.enabled(on):
            demo = small_demo()
        smallest = player.smallest_font(demo.fig)
        assert smallest >= least
    assert smallest == plotting.SLIDE_MIN_FONT  # tick labels


def test_a_figure_larger_than_a_slide_shows_is_drawn_smaller_for_one():
    assert plotting.slide_size(10.0, 4.0) == (10.0, 4.0)
    assert plotting.slide_size(25.0, 4.0) == (12.5, 2.0)  # aspect kept
    assert plotting.slide_size(10.0, 12.4) == (5.0, 6.2)
    assert plotting.SLIDE_FIGURE_INCHES == (12.5, 6.2)


def test_export_mode_lifts_small_text_and_sizes_the_figure_for_a_slide():
    """An explicit fontsize=9, even in a legend made by `draw`, is drawn at
    the slide minimum in export mode; the notebook keeps its own sizes."""

    def build():
        fig, (ax,) = plotting.new_figure(14.0, 4.0, slide_height=3.5)
        with plotting.style():
            (line,) = ax.plot([0, 1], [0, 1])
            note = ax.text(0, 0.5, "note", fontsize=9)

        def draw(x):
            line.set_ydata([0, x])
            ax.legend([line], [f"x = {x}"], fontsize=9)
            return f"x is {x}."

        return widgets.Demo(fig, {"x": widgets.int_slider("x", 1, 0, 5)}, draw), note

    demo, note = build()
    assert tuple(demo.fig.get_size_inches()) == (14.0, 4.0)
    assert note.get_fontsize() == 9 and player.smallest_font(demo.fig) == 9
    with export.enabled():
        demo, note = build()
        assert tuple(demo.fig.get_size_inches()) == plotting.slide_size(14.0, 3.5)
        assert note.get_fontsize() == plotting.SLIDE_MIN_FONT
        demo.render(x=3)  # a new legend, drawn large enough too
        assert player.smallest_font(demo.fig) == plotting.SLIDE_MIN_FONT
        assert demo.error is None


def test_a_check_shows_no_verdict_in_export_mode(monkeypatch):
    shown = []
    monkeypatch.setattr(
        "IPython.display.display", lambda obj, **kw: shown.append((obj, kw))
    )
    feedback = checks.check_number(0.0, 0.44)
    feedback._ipython_display_()
    assert "Not yet" in shown[-1][0]["text/html"]
    with export.enabled():
        feedback._ipython_display_()
    bundle, kwargs = shown[-1]
    assert (
        "Not yet" not in bundle["text/html"]
        and "Checks need Python" in bundle["text/html"]
    )
    assert kwargs["metadata"]["tutorial"]["slides"] is False


def executed_notebook():
    """A notebook as export mode leaves it: a player, a check, a live widget."""
    nb = nbformat.v4.new_notebook()
    png = base64.b64encode(png_module.encode_png(np.zeros((2, 2, 4), np.uint8)))
    uri = "data:image/png;base64," + png.decode()
    player_html = (
        f'<div class="tp-player"><img data-tp-src="{uri}">'
        '<script type="application/json" class="tp-data">'
        f'{{"frames": ["{uri}", "{uri}"]}}</script></div>'
    )
    demo_cell = nbformat.v4.new_code_cell("s.demo()")
    demo_cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"text/html": player_html, "text/plain": "<Demo>"},
            metadata={"tutorial": {"static": "Demo", "slides": True}},
        )
    ]
    check_cell = nbformat.v4.new_code_cell("checks.ex01_largest_lr(0.1)")
    check_cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"text/html": "<div>Checks need Python.</div>"},
            metadata={"tutorial": {"static": "Feedback", "slides": False}},
        )
    ]
    live = nbformat.v4.new_code_cell("w")
    live.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"application/vnd.jupyter.widget-view+json": {"model_id": "a1"}},
        )
    ]
    nb.cells = [demo_cell, check_cell, live]
    state = {
        "a1": {"state": {"children": ["IPY_MODEL_b2"]}},
        "b2": {"state": {"layout": "IPY_MODEL_c3"}},
        "c3": {"state": {}},
        "d4": {"state": {"value": "a picture nobody shows"}},
    }
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {
            "version_major": 2, "version_minor": 0, "state": state,
        }
    }  # fmt: skip
    return nb, png


def test_store_frames_writes_each_picture_once_and_links_it(tmp_path):
    nb, png = executed_notebook()
    written = publish.store_frames(nb, tmp_path, "07_test")
    assert len(written) == 1 and written[0].read_bytes() == base64.b64decode(png)
    html = nb.cells[0].outputs[0]["data"]["text/html"]
    link = f"frames/07_test/{written[0].name}"
    assert "data:image" not in html and html.count(link) == 3
    ((cell_id, data),) = publish.players(nb)
    assert cell_id == nb.cells[0].id and data["frames"] == [link, link]


def test_widget_state_keeps_only_what_a_shown_widget_needs():
    nb, _ = executed_notebook()
    assert publish.prune_widget_state(nb) == 3
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]
    assert sorted(state["state"]) == ["a1", "b2", "c3"]
    nb.cells = nb.cells[:2]  # no live widget shown: no state, no renderer
    assert publish.prune_widget_state(nb) == 0 and "widgets" not in nb.metadata


def test_slides_drop_outputs_meant_for_pages_only():
    nb, _ = executed_notebook()
    on_slides = slides.for_slides(nb)
    assert on_slides.cells[1].outputs == [] and len(nb.cells[1].outputs) == 1
    assert len(on_slides.cells[0].outputs) == 1


def test_audit_counts_words_code_and_checks_per_slide():
    nb = nbformat.v4.new_notebook()
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell

    def typed(cell, kind):
        cell.metadata["slideshow"] = {"slide_type": kind}
        return cell

    nb.cells = [
        typed(md("# Title\n\nOne two three $x^2 + y$ [a link](u)."), "slide"),
        typed(md("Notes are not on screen at all."), "notes"),
        typed(code("from tutorial import s01"), "skip"),
        typed(md("## Demo\n\nMove it."), "slide"),
        typed(code("s01.fit_demo()"), "-"),
        typed(code("print(1)"), "fragment"),
        typed(code("checks.ex01_largest_lr(0.1)"), "subslide"),
    ]
    first, second, third = audit.slides_of(nb)
    assert (first.heading, first.words, first.notes) == ("Title", 7, 7)
    assert (second.words, second.demos, second.code, second.checks) == (3, 1, 1, 0)
    assert third.checks == 1 and third.number == 3
    assert second.problems() == ["1 code cell(s) on the slide"]
    assert audit.words("a " * 81) == 81 and audit.Slide(1, words=81).problems()
    question = typed(code("s06.predict_noise()"), "-")
    assert audit.slides_of(nbformat.v4.new_notebook(cells=[question]))[0].code == 0


def test_the_index_maps_every_notebook_with_its_opening_sentences(tmp_path):
    from tutorial import site

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "# 07 · A test\n\nOne. Two, and $x$. In this notebook you will\n\n- see"
        )
    ]
    assert site.intro(nb) == "One. Two, and $x$."
    index = site.write_index(tmp_path, ["07_test"], ["07 · A test"], [nb], pdf=True)
    text = index.read_text()
    for target in ("07_test.html", "07_test.slides.html", "07_test.pdf"):
        assert f'href="{target}"' in text
    assert "One. Two, and $x$." in text and "you will" not in text
