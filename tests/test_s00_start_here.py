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


def test_ex00_right_answer():
    assert checks.ex00_lowest_loss(2.0)
    assert not checks.ex00_lowest_loss(-1.0)
