/* Players for exported demos: precomputed pictures swapped as a control moves.
 *
 * Each player (div.tp-player, written by tutorial/player.py) holds its data in
 * <script type="application/json" class="tp-data">: the labels of each
 * exported control's positions, the frames (file names), which frame and
 * which sentence belong to each combination of positions (row-major).
 * No kernel, no server, no network: it works from file://.
 *
 * Pictures load only when a player is shown: a deck calls
 * TutorialPlayers.activate(slide) as a slide appears; a page calls
 * TutorialPlayers.watch(), which activates players as they scroll into view.
 * An active player then fetches its other frames, so the control answers at
 * once. Escape leaves a focused control (arrow keys then step slides again).
 */
(function () {
  "use strict";

  function setup(player) {
    if (player.tp) return player.tp;
    var data = JSON.parse(player.querySelector("script.tp-data").textContent);
    var inputs = Array.prototype.slice.call(
      player.querySelectorAll("input.tp-range[data-control]"));
    var picture = player.querySelector("img.tp-picture");
    var sentence = player.querySelector(".tp-sentence");
    var cache = [];

    function position() {
      return inputs.reduce(function (flat, input) {
        var k = Number(input.dataset.control);
        return flat * data.controls[k].labels.length + Number(input.value);
      }, 0);
    }

    function show() {
      var p = position();
      var src = data.frames[data.index[p]];
      if (picture.getAttribute("src") !== src) picture.setAttribute("src", src);
      sentence.textContent = data.sentences[p];
      inputs.forEach(function (input) {
        var label = data.controls[Number(input.dataset.control)].labels[input.value];
        input.setAttribute("aria-valuetext", label);
        var output = player.querySelector('output[for="' + input.id + '"]');
        if (output) output.textContent = label;
      });
      player.dataset.position = String(p);
    }

    function prefetch() {
      if (cache.length) return;
      data.frames.forEach(function (src) {
        var image = new Image();
        image.src = src;
        cache.push(image);
      });
    }

    inputs.forEach(function (input) {
      input.addEventListener("input", show);
      input.addEventListener("keydown", function (event) {
        if (event.key !== "Escape") return;
        input.blur();
        // Only the control lets go: reveal.js would open its overview.
        event.stopPropagation();
        event.preventDefault();
      });
    });
    player.tp = {data: data, show: show, prefetch: prefetch, position: position};
    return player.tp;
  }

  /* Show the pictures of the players under root; fetch their other frames
     too unless `only` is true (printing needs just the pictures shown). */
  function activate(root, only) {
    var players = (root || document).querySelectorAll(".tp-player");
    Array.prototype.forEach.call(players, function (player) {
      var tp = setup(player);
      tp.show();
      if (!only) tp.prefetch();
    });
  }

  function watch() {
    var players = document.querySelectorAll(".tp-player");
    if (!("IntersectionObserver" in window)) {
      activate(document);
      return;
    }
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        seen.unobserve(entry.target);
        var tp = setup(entry.target);
        tp.show();
        tp.prefetch();
      });
    }, {rootMargin: "200px 0px"});
    Array.prototype.forEach.call(players, function (player) {
      seen.observe(player);
    });
  }

  window.TutorialPlayers = {activate: activate, watch: watch, setup: setup};
})();
