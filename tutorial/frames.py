"""Render a demo's figure to PNG, redrawing only what a slider changed.

A full Agg draw of a three-panel figure spends most of its time on text and
contour sets that no slider touches. `Frames` keeps snapshots of each axes'
pixels and, after an update, redraws only the artists that changed (and those
that overlap them). The result is the very picture a full draw makes, pixel for
pixel: each new plan is checked against a full draw, and anything the plan does
not cover (a new layout, figure-level artists, overlapping axes) gets a full
draw. `tutorial.widgets.Demo` is its only user; ``partial=False`` (or
``TUTORIAL_FULL_REDRAW=1`` for every Demo) draws every frame in full instead.
CONTRIBUTING.md lists the rules that let a demo's frames be redrawn in part;
tests/test_frames.py tests each path below on small figures.
"""

from __future__ import annotations

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.collections import Collection, PathCollection
from matplotlib.image import AxesImage
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from .png import encode_png

_WHOLE = -1  # redraw a whole axes: its limits, size or list of artists changed
_PAD = 3  # pixels around an axes' region, for antialiased edges
_BACKGROUNDS = 4  # backgrounds kept per axes, one per set of artists redrawn
_FAILURES = 3  # cuts that did not reproduce a full draw before we stop cutting
_MAX_BOXES = 256  # boxes per artist extent (see `_extent`)
# Frames in a row that redraw more than the slider changed before a finer cut
# is made (a new cut costs about a full draw of the axes).
_REFINE_AFTER = 2
_NOTHING = np.zeros((0, 4))


class _Cut:
    """How one axes is redrawn: its screen region, from which artist, with what.

    ``pre`` holds the region's pixels just before the axes was drawn; ``saved``
    those just before ``order[index]`` was (``pre`` for a whole redraw). Above
    the cut, the unchanged artists that the changed ones do not touch are
    baked into backgrounds, one per set of artists to redraw.
    """

    __slots__ = (
        "box",
        "pre",
        "index",
        "ids",
        "dynamic",
        "saved",
        "extents",
        "backgrounds",
    )

    def __init__(self, box, pre):
        self.box, self.pre = box, pre
        self.index = None  # None: no cut planned yet
        self.ids, self.dynamic, self.saved = (), frozenset(), None
        self.extents = {}  # id of an unchanged artist -> its extent
        self.backgrounds = {}  # ids of the artists redrawn -> pixels without them


class Frames:
    """Render a figure to PNG, redrawing only the artists an update changed.

    A full Agg draw of a three-panel demo takes about 100 ms, most of it text
    (tick labels, titles, legends) and contour sets that no slider touches.
    matplotlib marks every artist that is changed as *stale*, so after
    ``draw(**values)`` the stale artists are exactly the ones that changed.
    For each axes that changed, a full draw keeps a snapshot of the axes'
    screen region taken just before its first changed artist in drawing order
    (by zorder); later frames restore the snapshot and redraw only the artists
    from there on, leaving out unchanged ones whose pixels cannot touch the
    changed ones (see `_Cut`).

    That is the very picture a full draw makes, pixel for pixel: a new plan is
    checked against the full draw that made it; every frame checks that
    nothing was drawn outside the restored regions; and any change the plan
    does not cover (figure-level artists, a new figure size, regions that
    overlap a neighbour, another artist changing) gets a full draw.
    """

    def __init__(self, fig, partial: bool = True):
        self.fig = fig
        self.partial = partial  # False: every frame is a plain full draw
        self.plan: dict = {}  # axes -> _Cut
        self.signatures: dict = {}  # axes -> what a redraw from a cut assumes
        self.orders: dict = {}  # axes -> its artists in drawing order
        self.changed: dict = {}  # axes -> ids of its artists changed this frame
        self.ticks: dict = {}  # x/y axis -> what its ticks looked like when drawn
        self.shown: set = set()  # ids of the artists visible in the last frame
        self.texts: dict = {}  # Text -> what it looked like when drawn
        self.renderer = None
        self.last = None  # the pixels of the last frame, (height, width, 4)
        self.coarse = 0  # frames in a row whose plan redrew more than needed
        self.failures = 0  # plans that did not reproduce a full draw
        self.full_draws = 0
        self.reason = ""  # why the last full draw was needed

    def png(self) -> bytes:
        """Draw the figure's current state and return it as PNG bytes."""
        if not self.partial:
            self.full_draws += 1
            self.reason = "partial redraws are off"
            self.plan, self.last = {}, None  # a later switch on starts afresh
            self.fig.canvas.draw()
            return encode_png(self.fig.canvas.buffer_rgba())
        needs = self._needs()
        if needs is None:
            self.reason = "layout or figure-level change"
        if needs is not None and self._incremental(needs):
            self._settle(needs)
        else:
            self._full(needs)
            self._settle(self.orders)
        return encode_png(self.last)

    def settled(self) -> None:
        """Take the figure as drawn: the next frame can plan its cuts."""
        self._needs()
        self._settle(self.orders)

    def planned(self, ax) -> bool:
        """Return True if a change to `ax` can be redrawn from a cut made earlier.

        The first change of an axes makes its cut (about two draws of it);
        `Demo.warm_up` makes that happen while the notebook cell runs.
        """
        cut = self.plan.get(ax)
        return cut is not None and cut.index is not None

    # -------------------------------------------------------------- state

    def _needs(self):
        """Return {axes: first artist to redraw}, or None for a full draw."""
        fig = self.fig
        engine = fig.get_layout_engine()
        if fig.subfigs or not (
            engine is None or isinstance(engine, PlaceHolderLayoutEngine)
        ):
            return None  # a layout engine may move every axes on each draw
        children = [a for a in fig.get_children() if a is not fig.patch]
        others = [a for a in children if not isinstance(a, Axes)]
        signature = (fig.bbox.bounds, tuple(map(id, children)))
        if fig.patch.stale or any(a.stale for a in others):
            self.signatures = {fig: signature}
            return None
        fresh = self.signatures.get(fig) != signature
        signatures, orders, changed, needs = {fig: signature}, {}, {}, {}
        for ax in fig.axes:
            order = _draw_order(ax)
            if order is None:
                return None
            orders[ax] = order
            signatures[ax] = (
                ax.get_visible(),
                tuple(ax.viewLim.bounds),
                ax.bbox.bounds,
                ax.get_xscale(),
                ax.get_yscale(),
                tuple(map(id, order)),
            )
            if fresh or signatures[ax] != self.signatures.get(ax):
                needs[ax] = _WHOLE
            elif ax.get_visible():
                moved = [i for i, a in enumerate(order) if self._changed(a)]
                if moved:
                    needs[ax] = moved[0]
                    changed[ax] = frozenset(id(order[i]) for i in moved)
        self.signatures, self.orders, self.changed = signatures, orders, changed
        return None if fresh else needs

    def _changed(self, artist) -> bool:
        """Return True if the artist changed since it was last drawn."""
        if not artist.stale:
            return False
        if not artist.get_visible() and id(artist) not in self.shown:
            return False  # hidden then and now: whatever changed, nothing shows
        if isinstance(artist, Text) and artist in self.texts:
            # A title set to the same words on every update is the usual case.
            return self.texts[artist] != _text_key(artist)
        if isinstance(artist, Axis):
            # set_xlim marks an axis stale even when the limits stay the same
            # (demos often set them on every update), and so does set_xlabel;
            # its ticks are the costly part of a redraw, so look at what they
            # would show.
            return self.ticks.get(artist) != _tick_key(artist) or any(
                child.stale
                and not (child in self.texts and self.texts[child] == _text_key(child))
                for child in _axis_parts(artist)
            )
        return True

    def _settle(self, drawn) -> None:
        """Mark everything as drawn: the next stale flags are the next changes.

        `drawn` holds the axes whose ticks may have changed in this frame.
        """
        for ax, order in self.orders.items():
            for artist in order:
                artist.stale = False
                if isinstance(artist, Axis) and ax in drawn:
                    for child in _axis_parts(artist):
                        child.stale = False
                    self.ticks[artist] = _tick_key(artist)
                    self._remember(artist.label)
                    self._remember(artist.offsetText)
                elif isinstance(artist, Text) and ax in drawn:
                    self._remember(artist)
            ax.stale = False
        self.shown = {
            id(a) for order in self.orders.values() for a in order if a.get_visible()
        }
        for artist in self.fig.get_children():
            artist.stale = False
        self.fig.stale = False

    def _remember(self, text) -> None:
        key = _text_key(text)
        if key is None:
            self.texts.pop(text, None)
        else:
            self.texts[text] = key

    # -------------------------------------------------------------- drawing

    def _incremental(self, needs) -> bool:
        """Redraw the changed axes from their cuts; False if a full draw is needed."""
        renderer = self.fig.canvas.get_renderer()
        if self.last is None or renderer is not self.renderer or not self.plan:
            return self._why("no plan")
        buf = np.asarray(renderer.buffer_rgba())
        if buf.shape != self.last.shape or not np.array_equal(buf, self.last):
            return self._why("the canvas was drawn on")
        refine = self.coarse >= _REFINE_AFTER
        coarse = False
        last = self.last
        for ax, need in needs.items():  # in the figure's order
            cut = self.plan.get(ax)
            if cut is None:
                return self._why("an axes without a region")
            changed = self.changed.get(ax, frozenset())
            usable = cut.index is not None and cut.index <= need
            if usable and cut.index != _WHOLE:
                usable = cut.ids == self.signatures[ax][-1] and changed <= cut.dynamic
            if usable and cut.index < need:
                coarse = True
                # This slider changes less than the cut redraws; a whole-axes
                # redraw is the costliest, so it is refined at once.
                usable = not refine and cut.index != _WHOLE
            if not usable:
                index, dynamic = need, changed
                if not refine and cut.index not in (None, _WHOLE) and cut.index <= need:
                    index, dynamic = cut.index, cut.dynamic | changed
                elif need == _WHOLE and self._keeps(ax, cut):
                    index, dynamic = cut.index, cut.dynamic
                if not self._recut(buf, renderer, ax, cut, index, dynamic):
                    self.last = None
                    return self._why("a new cut did not match a full draw")
            else:
                self._redraw(buf, renderer, [(ax, cut)])
            # Nothing may have changed outside this axes' region (a label
            # that grew past it would be cut off by the next axes' redraw).
            _put(last, cut.box, _region(buf, cut.box))
            if not np.array_equal(last, buf):
                self.last = None
                return self._why("something was drawn outside its region")
        self.coarse = 0 if refine or not coarse else self.coarse + 1
        return True

    def _keeps(self, ax, cut) -> bool:
        """Return True if a whole redraw of `ax` may keep the cut it had.

        When a slider moves an axes' limits, all of it is drawn again; the
        same artists will change next time, so the snapshot for the next frame
        is taken during this draw at the old cut, rather than redrawing the
        whole axes until a new cut is planned.
        """
        return (
            cut.index is not None
            and cut.index != _WHOLE
            and cut.ids == self.signatures[ax][-1]
        )

    def _why(self, reason: str) -> bool:
        """Note why this frame needs a full draw (for benchmarks) and say so."""
        self.reason = reason
        return False

    def _recut(self, buf, renderer, ax, cut, index, dynamic) -> bool:
        """Draw one axes afresh over its region, making a new cut at `index`."""
        _put(buf, cut.box, cut.pre)
        cut.index, cut.dynamic, cut.ids = index, dynamic, self.signatures[ax][-1]
        cut.saved, cut.extents, cut.backgrounds = None, {}, {}
        if index == _WHOLE:
            ax.draw(renderer)
            cut.saved = cut.pre
            return True
        order = self.orders[ax]
        with _hooks({order[index]: lambda _: _region(buf, cut.box)}) as grabbed:
            ax.draw(renderer)
        cut.saved = grabbed.get(order[index])
        return self._check(buf, renderer, [(ax, cut)])

    def _check(self, buf, renderer, cuts) -> bool:
        """Return True if redrawing from the cuts gives the pixels now shown."""
        truth = {id(cut): _region(buf, cut.box) for _, cut in cuts}
        try:
            for ax, cut in cuts:
                if cut.saved is None:
                    raise ValueError("a cut was never drawn")
                suffix = self.orders[ax][cut.index :]
                for artist in suffix:
                    if id(artist) not in cut.dynamic:
                        cut.extents[id(artist)] = _extent(artist, renderer)
            self._redraw(buf, renderer, cuts)
            ok = all(np.array_equal(_region(buf, c.box), truth[id(c)]) for _, c in cuts)
        except Exception:
            ok = False
        if not ok:
            for _, cut in cuts:
                _put(buf, cut.box, truth[id(cut)])
                cut.index = None
            self.failures += 1
        return ok

    def _redraw(self, buf, renderer, cuts) -> None:
        """Restore each cut's background and draw what lies above it."""
        jobs = []
        for ax, cut in cuts:
            if cut.index == _WHOLE:
                _put(buf, cut.box, cut.saved)
                jobs.append([ax])
                continue
            suffix = self.orders[ax][cut.index :]
            redraw = self._closure(suffix, cut, renderer)
            key = frozenset(map(id, redraw))
            background = cut.backgrounds.pop(key, None)
            if background is None:
                _put(buf, cut.box, cut.saved)
                for artist in suffix:
                    if id(artist) not in key:
                        artist.draw(renderer)
                background = _region(buf, cut.box)
                if len(cut.backgrounds) >= _BACKGROUNDS:
                    cut.backgrounds.pop(next(iter(cut.backgrounds)))
            else:
                _put(buf, cut.box, background)
            cut.backgrounds[key] = background  # most recently used last
            jobs.append(redraw)
        for artists in jobs:
            for artist in artists:
                artist.draw(renderer)

    def _closure(self, suffix, cut, renderer) -> list:
        """Return the artists above the cut that must be drawn again, in order.

        Those are the changed ones and every unchanged one that may overlap an
        artist drawn again below it; the others can sit in the background, as
        drawing them earlier gives the same pixels.
        """
        redraw, boxes = [], []
        for artist in suffix:
            if id(artist) in cut.dynamic:
                box = _extent(artist, renderer)
            else:
                box = cut.extents.get(id(artist))
                if not any(_overlap(b, box) for b in boxes):
                    continue
            redraw.append(artist)
            boxes.append(box)
        return redraw

    def _full(self, needs) -> None:
        """Draw everything, keeping what later frames need to redraw in parts."""
        self.full_draws += 1
        canvas = self.fig.canvas
        axes = list(self.fig.axes)
        targets = {}
        if needs:
            for ax, need in needs.items():
                old = self.plan.get(ax)
                dynamic = self.changed.get(ax, frozenset())
                # Keep the old cut if it still lies at or below the first
                # change, or if the whole axes changes (see `_keeps`).
                if (
                    old is not None
                    and self._keeps(ax, old)
                    and (need == _WHOLE or old.index <= need)
                ):
                    need, dynamic = old.index, old.dynamic | dynamic
                targets[ax] = (need, dynamic)
        # Whole-canvas copies now, cut to each region once the regions are known.
        hooks = {ax: None for ax in axes}
        for ax, (index, _) in targets.items():
            if index != _WHOLE:
                hooks[self.orders[ax][index]] = None
        with _hooks(dict.fromkeys(hooks, _snapshot)) as grabbed:
            canvas.draw()
        self.renderer = renderer = canvas.get_renderer()
        buf = np.asarray(renderer.buffer_rgba())
        self.last = buf.copy()
        self.coarse = 0
        self.plan = {}
        if self.failures >= _FAILURES or any(a not in grabbed for a in axes):
            return
        boxes = self._regions(renderer)
        if boxes is None:
            self.reason = "axes overlap: they cannot be redrawn apart"
            return
        plan = {ax: _Cut(boxes[ax], _region(grabbed[ax], boxes[ax])) for ax in axes}
        cuts = []
        for ax, (index, dynamic) in targets.items():
            cut = plan[ax]
            cut.index, cut.dynamic, cut.ids = index, dynamic, self.signatures[ax][-1]
            if index == _WHOLE:
                cut.saved = cut.pre
            else:
                grab = grabbed.get(self.orders[ax][index])
                cut.saved = None if grab is None else _region(grab, cut.box)
                cuts.append((ax, cut))
        if cuts and not self._check(buf, renderer, cuts):
            return
        self.plan = plan

    def _regions(self, renderer) -> dict | None:
        """Return {axes: (x0, y0, x1, y1)} in pixels, or None if they overlap.

        An axes' region holds everything it draws (tick labels, titles) and no
        part of another axes or of a figure-level artist. Without the latter,
        regions grow to fill the canvas, neighbours splitting the gaps between
        them, so that a label moving near an edge stays in its region.
        """
        fig = self.fig
        width, height = int(renderer.width), int(renderer.height)
        tight = {}
        for ax in fig.axes:
            x0, y0, x1, y1 = Bbox.union([ax.get_tightbbox(renderer), ax.bbox]).extents
            tight[ax] = [
                int(np.floor(x0)),
                int(np.floor(y0)),
                int(np.ceil(x1)),
                int(np.ceil(y1)),
            ]
        others = [
            a.get_window_extent(renderer).extents
            for a in fig.get_children()
            if a is not fig.patch and not isinstance(a, Axes)
        ]
        pad = _PAD if others else max(width, height)
        boxes = {
            ax: [
                max(x0 - pad, 0),
                max(y0 - pad, 0),
                min(x1 + pad, width),
                min(y1 + pad, height),
            ]
            for ax, (x0, y0, x1, y1) in tight.items()
        }
        axes = list(tight)
        for i, a in enumerate(axes):
            ta = tight[a]
            for ox0, oy0, ox1, oy1 in others:
                if ta[0] < ox1 and ox0 < ta[2] and ta[1] < oy1 and oy0 < ta[3]:
                    return None
            for b in axes[i + 1 :]:
                tb = tight[b]
                if ta[0] < tb[2] and tb[0] < ta[2] and ta[1] < tb[3] and tb[1] < ta[3]:
                    return None
                # Neighbours split the gap between them.
                for lo, hi in ((0, 2), (1, 3)):
                    for p, q in ((a, b), (b, a)):
                        if tight[p][hi] <= tight[q][lo]:
                            mid = (tight[p][hi] + tight[q][lo]) // 2
                            boxes[p][hi] = min(boxes[p][hi], mid)
                            boxes[q][lo] = max(boxes[q][lo], mid)
        return {ax: tuple(box) for ax, box in boxes.items()}


def _snapshot(renderer) -> np.ndarray:
    """Return a copy of everything drawn so far, (height, width, 4)."""
    return np.array(renderer.buffer_rgba())


def _text_key(text):
    """Return everything that decides how a Text looks, or None if unsure."""
    if text.get_bbox_patch() is not None or text.get_path_effects():
        return None
    return (
        text.get_visible(),
        text.get_text(),
        # where it lands on the canvas (the transform object itself is often
        # rebuilt with the same meaning)
        tuple(text.get_transform().transform(text.get_unitless_position())),
        str(text.get_color()),
        text.get_alpha(),
        hash(text.get_fontproperties()),
        text.get_rotation(),
        text.get_rotation_mode(),
        text.get_ha(),
        text.get_va(),
        # No public getters for these two (matplotlib 3.11):
        getattr(text, "_multialignment", None),
        getattr(text, "_linespacing", None),
        text.get_wrap(),
        text.get_usetex(),
        text.get_antialiased(),
        text.get_transform_rotates_text(),
        text.get_zorder(),
        text.get_clip_on(),
        id(text.get_clip_box()),
        id(text.get_clip_path()),
    )


def _region(pixels, box) -> np.ndarray:
    """Return a copy of the pixels in box (x0, y0, x1, y1; y up from the bottom)."""
    x0, y0, x1, y1 = box
    height = pixels.shape[0]
    return pixels[height - y1 : height - y0, x0:x1].copy()


def _put(pixels, box, region) -> None:
    """Write a region taken by `_region` back into place."""
    x0, y0, x1, y1 = box
    height = pixels.shape[0]
    pixels[height - y1 : height - y0, x0:x1] = region


class _hooks:
    """Context: call grab(renderer) just before each artist draws.

    Gives {artist: what grab returned} for the artists that were drawn.
    """

    def __init__(self, grabs: dict):
        self.grabs = grabs
        self.grabbed: dict = {}
        self.hooked: list = []

    def __enter__(self) -> dict:
        for artist, grab in self.grabs.items():
            if "draw" in vars(artist):
                continue  # someone else's hook: leave it alone, grab nothing
            method = type(artist).draw

            def draw(renderer, artist=artist, grab=grab, method=method):
                self.grabbed[artist] = grab(renderer)
                return method(artist, renderer)

            artist.draw = draw
            self.hooked.append(artist)
        return self.grabbed

    def __exit__(self, *exc) -> None:
        for artist in self.hooked:
            del artist.draw


def _draw_order(ax):
    """Return what `Axes.draw` draws, in its order; None if we cannot follow it."""
    if ax.get_rasterization_zorder() is not None:
        return None
    artists = ax.get_children()
    artists.remove(ax.patch)
    framed = ax.axison and ax.get_frame_on()
    skip = set()
    if not framed:
        skip.update(map(id, ax.spines.values()))
    if not ax.axison:
        skip.update((id(ax.xaxis), id(ax.yaxis)))
    artists = [a for a in artists if id(a) not in skip and not a.get_animated()]
    artists.sort(key=lambda a: a.zorder)
    return [ax.patch, *artists] if framed else artists


def _axis_parts(axis) -> list:
    """Return an axis' label and the ticks it made when last drawn.

    `Axis.get_children` would ask the locator for new ticks (about 1 ms).
    """
    return [axis.label, axis.offsetText, *axis.majorTicks, *axis.minorTicks]


def _tick_key(axis):
    """Return what decides an axis' ticks: locators, formatters and the view.

    Asking the locator for the ticks themselves would cost about 1 ms per
    axis on every frame; a locator's ticks follow from its settings and the
    view (the axes' size is in the signature), and fixed ticks are compared
    as they are.
    """
    major, minor = axis.major, axis.minor
    fixed = tuple(np.ravel(getattr(major.locator, "locs", ())))
    return (
        axis.get_visible(),
        tuple(axis.get_view_interval()),
        fixed,
        id(major.locator),
        id(major.formatter),
        id(minor.locator),
        id(minor.formatter),
    )


def _extent(artist, renderer):
    """Return boxes (k, 4) of x0, y0, x1, y1 that hold every pixel it draws.

    A line gets a box per segment and a scatter one per marker, so that an
    artist is only redrawn where something really passes over it. Returns
    None if unknown: only kinds whose extent matplotlib computes in full
    qualify (an axis, whose tick marks are not in its box, does not).
    """
    if not artist.get_visible() or (isinstance(artist, Text) and not artist.get_text()):
        return _NOTHING
    try:
        boxes, width = _boxes(artist, renderer)
    except Exception:  # some artists cannot tell; assume they cover everything
        return None
    if boxes is None:
        return None
    pad = width * renderer.dpi / 72 + 1
    boxes = boxes + np.array([-pad, -pad, pad, pad])
    clip = artist.get_clip_box() if artist.get_clip_on() else None
    if clip is not None:
        cx0, cy0, cx1, cy1 = clip.extents
        np.maximum(boxes, [cx0 - 1, cy0 - 1, -np.inf, -np.inf], out=boxes)
        np.minimum(boxes, [np.inf, np.inf, cx1 + 1, cy1 + 1], out=boxes)
    # Empty boxes (outside the clip box) and segments with a missing point
    # (NaN: matplotlib breaks the line there) draw nothing.
    boxes = boxes[(boxes[:, 0] < boxes[:, 2]) & (boxes[:, 1] < boxes[:, 3])]
    if len(boxes) > _MAX_BOXES:  # merge neighbours: fewer, larger boxes
        groups = np.array_split(boxes, _MAX_BOXES)
        boxes = np.array(
            [[*g[:, :2].min(0), *g[:, 2:].max(0)] for g in groups if len(g)]
        )
    return boxes


def _boxes(artist, renderer):
    """Return (boxes, line width in points) before padding, or (None, 0)."""
    if isinstance(artist, Line2D):
        xy = artist.get_transform().transform(artist.get_xydata())
        width = _stroke_width(artist, artist.get_linewidth())
        if width is None:
            return None, 0.0
        if artist.get_marker() not in (None, "None", "", " "):
            outline = width - artist.get_linewidth()  # an outline strokes markers too
            width = max(width, artist.get_markersize()) + artist.get_markeredgewidth()
            width += outline
        if len(xy) == 1 or artist.get_linestyle() in ("None", "", " "):
            pairs = np.c_[xy, xy]
        else:
            pairs = np.c_[xy[:-1], xy[1:]]
        lo = np.minimum(pairs[:, :2], pairs[:, 2:])
        hi = np.maximum(pairs[:, :2], pairs[:, 2:])
        return np.c_[lo, hi], width
    if isinstance(artist, PathCollection) and len(artist.get_offsets()):
        xy = artist.get_offset_transform().transform(artist.get_offsets())
        sizes = artist.get_sizes()
        radius = np.sqrt(np.max(sizes, initial=0.0)) / 2 * renderer.dpi / 72
        width = _stroke_width(artist, np.max(artist.get_linewidths(), initial=0.0))
        if width is None:
            return None, 0.0
        paths = artist.get_paths()
        if len(paths) != 1 or not np.all(np.abs(paths[0].vertices) <= 1):
            return _one(artist, renderer), width
        return np.c_[xy - radius, xy + radius], width
    if isinstance(artist, (Collection, AxesImage, Patch, Text, Legend)):
        width = 0.0
        if isinstance(artist, Collection):
            width = _stroke_width(artist, np.max(artist.get_linewidths(), initial=0.0))
            if width is None:
                return None, 0.0
        elif isinstance(artist, Patch):
            width = artist.get_linewidth()
        return _one(artist, renderer), width
    return None, 0.0


def _stroke_width(artist, own: float) -> float | None:
    """Return the widest stroke an artist of line width `own` draws, in
    points, path effects (an outline, `plotting.halo`) included; None for
    effects of unknown extent."""
    width = float(own)
    # (matplotlib 3.11 gives a scatter's collection None, not [], for none.)
    for effect in artist.get_path_effects() or ():
        if isinstance(effect, patheffects.Stroke):
            # A Stroke draws with its own line width if given, else the artist's.
            width = max(width, effect._gc.get("linewidth", own))
        elif not isinstance(effect, patheffects.Normal):
            return None
    return width


def _one(artist, renderer) -> np.ndarray:
    x0, y0, x1, y1 = artist.get_window_extent(renderer).extents
    return np.array([[min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)]])


def _overlap(a, b) -> bool:
    """Return True if two extents (see `_extent`) may share a pixel."""
    if a is None or b is None:
        return True
    if not len(a) or not len(b):
        return False
    a, b = a[:, None, :], b[None, :, :]
    return bool(
        np.any(
            (a[..., 0] < b[..., 2])
            & (b[..., 0] < a[..., 2])
            & (a[..., 1] < b[..., 3])
            & (b[..., 1] < a[..., 3])
        )
    )
