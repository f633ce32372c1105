"""The static site, offline: every notebook as a page that needs no kernel.

The pages come from the same build as the decks (`published`). Each page is
opened from ``file://``: nothing may leave the machine, the maths is typeset,
code is folded except the exercises' check cells (shown with a note that
checks need Python), speaker notes read as ordinary text, and every demo
player is moved with the keyboard: its picture and sentence must be the
Demo's own for the new values. Pictures load as a player scrolls into view.
"""

from __future__ import annotations

import pytest

from . import a11y, exported
from .conftest import NOTEBOOKS
from .test_slides import MATHJAX_IDLE, RAW_TEX, recorded

PAGE_JS = """() => {
  const code = [...document.querySelectorAll('.jp-CodeCell')]
    .filter(c => c.querySelector('.jp-InputArea'));
  return {
    prose: [...document.querySelectorAll('.jp-RenderedMarkdown')]
      .map(m => m.innerText).join('\\n'),
    code: code.length,
    folded: code.filter(c => c.querySelector('details.tp-code:not([open])')).length,
    checks: document.querySelectorAll('.tp-check-code').length,
    notes: document.querySelectorAll('.tp-check-note').length,
    verdicts: document.body.innerText.includes('Not yet'),
    asides: document.querySelectorAll('aside.notes').length,
    players: document.querySelectorAll('.tp-player').length,
    firstPlayer: (() => {
      const p = document.querySelector('.tp-player');
      return p ? p.getBoundingClientRect().top : null;
    })(),
    math: document.querySelectorAll('.MathJax_CHTML').length,
  };
}"""


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_page_reads_offline_and_every_player_answers_the_keyboard(
    published, browser, shots, expected, path
):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    requests, failed = recorded(page)
    messages = []
    page.on("console", lambda m: messages.append(m.text) if m.type == "error" else 0)
    page.on("pageerror", lambda e: messages.append(str(e)))
    try:
        page.goto((published / f"{path.stem}.html").as_uri())
        page.wait_for_function(MATHJAX_IDLE, timeout=60_000, polling=200)
        state = page.evaluate(PAGE_JS)
        if state["firstPlayer"] is not None and state["firstPlayer"] > 800 + 400:
            # Pictures load as their demo scrolls into view, not with the page.
            assert exported.frame_requests(requests) == []
        players = page.query_selector_all(".tp-player")
        for k, player in enumerate(players):
            player.scroll_into_view_if_needed()
            exported.wait_for(
                page,
                "(p) => { const i = p.querySelector('img.tp-picture');"
                " return i.getAttribute('src') && i.complete && i.naturalWidth > 0; }",
                arg=player,
                what=f"{path.stem} player {k + 1}: picture",
            )
            exported.move_player(page, player, expected, path.stem,
                                 f"{path.stem} page, player {k + 1}")  # fmt: skip
            page.keyboard.press("Escape")
        page.screenshot(path=shots / f"site-{path.stem}.png", full_page=True)
        failing = a11y.audit(page, "body", f"site page {path.stem}")
    finally:
        page.close()

    assert not RAW_TEX.search(state["prose"]), "raw TeX in the prose"
    assert state["math"] > 0
    assert state["code"] > 0 and state["folded"] == state["code"] - state["checks"]
    assert state["checks"] == state["notes"] > 0, "a check cell without its note"
    assert not state["verdicts"], "a verdict on a placeholder answer"
    assert state["asides"] == 0, "speaker notes are ordinary text on a page"
    assert state["players"] == len(players)
    assert exported.outside(requests) == [], "requests left the machine"
    assert failed == [], "missing local files"
    assert messages == [], "errors in the browser console"
    assert failing == [], "serious or critical accessibility violations"
