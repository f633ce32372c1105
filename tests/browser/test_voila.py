"""A notebook served as a code-free app (`python -m tutorial app`, Voilà)."""

from __future__ import annotations

from .pages import errors, move_a_slider


def test_app_shows_no_code_and_a_slider_changes_the_picture(voila_app, browser, shots):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    name = f"voila-{voila_app.notebook.stem}"
    try:
        page.goto(voila_app.url("/"), timeout=120_000)
        # Voilà renders cell by cell; the demos' pictures arrive as they run.
        page.wait_for_selector(".widget-slider .noUi-handle", timeout=120_000)
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jupyter-widgets img')]"
            ".some(img => img.complete && img.naturalWidth > 0)",
            timeout=60_000,
        )
        page.screenshot(path=shots / f"{name}.png", full_page=True)
        assert errors(page, "body") == []
        # Code-free: Voilà strips the sources, so no input area is shown.
        assert page.locator(".jp-InputArea-editor:visible").count() == 0

        before, after = move_a_slider(page, "body", shots, name)
        assert after != before, "moving the slider did not change the picture"
        assert errors(page, "body") == []
    finally:
        page.close()
