"""What two parts of notebook 03 share: the colour of unsettled runs."""

from __future__ import annotations

from .. import plotting

UNSETTLED = plotting.LIGHT_GREY  # runs that reached no minimum (moving or diverged)
