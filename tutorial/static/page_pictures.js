// The pictures a demo's kernel drew ahead, kept in the page too, so that a
// step onto one shows it at once: no message to the kernel and back
// (tutorial/page_pictures.py says when the kernel sends them).
//
// The page only ever *shows* a picture here; it never tells the kernel. The
// kernel still hears of the step and answers with the same picture, byte for
// byte (a picture depends on the control values alone: tests/test_prefetch.py),
// which is then shown again unchanged.

const KEEP = 26; // as many as the kernel keeps (tutorial/prefetch.py)
const PREFIX = "IPY_MODEL_";

// Two control values are the same within a relative 1e-9 (or 1e-12 apart),
// as in tutorial/player.py's same_value: the browser works out a log
// slider's value with its own power function.
function same(a, b) {
  if (typeof a === "number" && typeof b === "number") {
    const scale = Math.max(Math.abs(a), Math.abs(b));
    return Math.abs(a - b) <= Math.max(1e-9 * scale, 1e-12);
  }
  return a === b;
}

function sameValues(a, b) {
  return a.length === b.length && a.every((v, i) => same(v, b[i]));
}

// One live region per page: a screen reader reads out what is put in it. A
// demo's sentence goes there when it changes after the learner moved one of
// its controls (not while cells run), so that the result of a step is heard,
// as the exported pages' players do with their own sentence.
function announce(html) {
  let region = document.querySelector(".tutorial-announcer");
  if (!region) {
    region = document.createElement("div");
    region.className = "tutorial-announcer";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    // Visually hidden, still read (the usual "sr-only" rules).
    region.style.cssText =
      "position:absolute;width:1px;height:1px;margin:-1px;padding:0;" +
      "overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0";
    document.body.appendChild(region);
  }
  // The sentence's text, parsed in an inert document (nothing in it loads).
  region.textContent = new DOMParser().parseFromString(html, "text/html").body.textContent;
}

const HEARD_S = 5; // a sentence this long after the learner's change is theirs

async function initialize({ model }) {
  const kept = []; // {values, png, sentence, name}, oldest first
  const find = (values) => kept.find((k) => sameValues(k.values, values));

  // Registered at once: a message may come before the other models are found.
  model.on("msg:custom", (msg, buffers) => {
    const at = kept.findIndex((k) => sameValues(k.values, msg.values));
    const entry = at >= 0 ? kept.splice(at, 1)[0] : null;
    if (msg.kind === "keep") {
      kept.push({ values: msg.values, png: buffers[0], sentence: msg.sentence, name: msg.name });
    } else if (entry) {
      kept.push(entry); // "touch": the kernel planned it again; newest now
    }
    kept.splice(0, Math.max(0, kept.length - KEEP));
  });

  const manager = model.widget_manager;
  const get = (ref) => manager.get_model(ref.slice(PREFIX.length));
  const controls = await Promise.all(model.get("controls").map(get));
  const traits = model.get("control_traits"); // "value", or "index" for a menu
  const image = await get(model.get("image"));
  const status = await get(model.get("status"));
  const now = () => controls.map((control, i) => control.get(traits[i]));

  // Show the kept picture for the controls' values, if there is one. The
  // models are changed in the page only (no save_changes): their views redraw.
  function show() {
    const hit = find(now());
    if (!hit) {
      return;
    }
    if (image.get("value") !== hit.png) {
      image.set({ value: hit.png, tooltip: hit.name });
    }
    if (status.get("value") !== hit.sentence) {
      status.set("value", hit.sentence);
    }
  }

  let learnerAt = -Infinity; // when the learner last moved a control (ms)
  controls.forEach((control, i) =>
    control.on(`change:${traits[i]}`, (changed, value, options) => {
      if (options && options.updated_view) {
        learnerAt = performance.now(); // a view sets this; the kernel does not
      }
      show();
    }),
  );
  // The kernel's answer to an older step may come after the page has shown a
  // newer one: the page's picture stays (in the same task, so the older one
  // is never painted). The kernel's answer to the newest step is the same.
  image.on("change:value", show);
  status.on("change:value", () => {
    show();
    if (performance.now() - learnerAt < HEARD_S * 1000) {
      announce(status.get("value"));
    }
  });
}

export default { initialize };
