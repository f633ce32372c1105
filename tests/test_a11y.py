"""A demo's picture in words, for readers who cannot see it (live and on disk)."""

from conftest import line_demo


def test_the_pictures_accessible_name_follows_its_sentence():
    """JupyterLab and Voilà put the Image widget's tooltip in the <img> title."""
    demo, control = line_demo(alt="A line rising to x.")
    assert demo.image.tooltip == "A line rising to x. x is 0."
    sent = []
    demo.image.observe(lambda c: sent.append(c["name"]), names=["value", "tooltip"])
    control.value = 3
    name = "A line rising to x. x is 3."
    assert demo.image.tooltip == demo.text_alternative() == name
    assert sent == ["value", "tooltip"]  # one frame, its own name with it


def test_a_picture_without_a_description_is_named_by_its_sentence():
    demo, control = line_demo()
    control.value = 2
    assert demo.image.tooltip == "x is 2."


def test_a_failed_frame_keeps_the_name_of_the_picture_still_shown():
    demo, control = line_demo(alt="A line.")
    demo._draw = lambda x: 1 / 0
    control.value = 4
    assert demo.error is not None
    assert demo.image.tooltip == "A line. x is 0."
    assert "could not be drawn" in demo.status.value
    assert "color" not in demo.status.value  # the theme's own text colour
