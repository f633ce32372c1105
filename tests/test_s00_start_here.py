"""Notebook 00's claims: the curve's lowest point, and what the two demos say."""

import numpy as np
import pytest
from conftest import set_control

from tutorial import checks
from tutorial import s00_start_here as s00


def test_the_curve_is_lowest_at_w_best():
    ws = np.linspace(*s00.W_RANGE, 7001)
    assert ws[np.argmin(s00.loss(ws))] == pytest.approx(s00.W_BEST, abs=1e-3)
    assert s00.loss(s00.W_BEST) == s00.L_BEST


def test_slider_demo_says_which_way_is_downhill():
    demo = s00.slider_demo()
    assert "right" in demo.message and "loss 10.00" in demo.message
    set_control(demo, "w", 4.0)
    assert "left" in demo.message
    set_control(demo, "w", s00.W_BEST)
    assert "bottom" in demo.message and "loss 1.00" in demo.message


def test_run_demo_waits_for_the_button():
    demo = s00.run_demo()
    assert demo.manual
    before, message = demo.png(), demo.message
    demo.controls["guesses"].value = 50  # no Run pressed: picture unchanged
    assert demo.png() == before and demo.message == message
    assert "Run" in demo.status.value
    demo.update()  # what the Run button does
    assert demo.png() != before and "50 guesses" in demo.message


def test_more_guesses_never_do_worse():
    best = [s00.loss(s00.random_search(k, seed=3)[2]) for k in range(1, 51)]
    assert np.all(np.diff(best) <= 0)
    assert best[-1] - s00.L_BEST < 0.01  # 50 guesses land near the bottom
    assert best[0] - s00.L_BEST > 0.01  # one guess usually does not
    with pytest.raises(ValueError, match="guesses"):
        s00.random_search(0)


def test_ex00_right_answer_and_its_nearest_wrong_ones():
    assert checks.ex00_lowest_loss(2.0) and checks.ex00_lowest_loss("2")
    for wrong in (1.9, 2.1, -1.0):  # the slider's neighbours of 2, one step away
        assert not checks.ex00_lowest_loss(wrong), wrong
    assert "lowest loss" in checks.ex00_lowest_loss(1.0).message


def test_the_map_times_match_the_notebooks_and_the_total():
    import json
    import re
    from pathlib import Path

    nbs = Path(__file__).resolve().parent.parent / "nbs"

    def text(path):
        cells = json.loads(path.read_text())["cells"]
        return "\n".join("".join(c["source"]) for c in cells)

    start = text(nbs / "00_start_here.ipynb")
    table = dict(re.findall(r"\]\((\d\d)_\w+\.ipynb\) \|[^|]*\| (\d+) min \|", start))
    assert len(table) == 7
    for path in sorted(nbs.glob("0*.ipynb")):
        said = re.search(r"Time: about (\d+) minutes", text(path))
        assert said and said[1] == table[path.name[:2]], path.name
    total = sum(int(v) for v in table.values())
    assert "about three hours" in start and abs(total - 180) <= 15
    readme = (nbs.parent / "README.md").read_text()
    assert "Why Training a Neural Network Is Hard" in readme and "Brownlee" in start
