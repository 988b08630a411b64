"""A picture of a timeline reply: the events on a time axis, as PNG bytes.

Adapters attach it beside the text answer (which stays as it is) when a page has more
than a handful of events. It needs matplotlib and a font with Chinese characters, both
from the ``chart`` extra (``pip install -e ".[chart]"``; the ``test`` extra and so the
set-up include it): Noto Sans CJK from the ``manimgx-fonts-cjk`` package, else any CJK
font matplotlib finds on the machine. Without either, pictures are off and one log line
says why; nothing else changes.

matplotlib is imported on first use, never at start-up (it costs half a second), and
only its object API is used (no pyplot), so pictures can be drawn in worker threads.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import io
import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot import messages
from bot.datefilter import interval
from bot.ingest.event_kinds import clause_around
from bot.models import EventKind, Reply, TimelineEntry

log = logging.getLogger(__name__)

# "More than a handful": a picture for pages with more events than this.
PICTURE_ABOVE = 5
TEXT_CHARS = 28  # of each event's text beside its row
WIDTH_IN = 10.0
ROW_IN = 0.42
DPI = 110
# Font families with Chinese characters, preferred first (Simplified glyph forms, then
# Traditional; both cover every character of the other script).
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK TC",
    "Source Han Sans SC",
    "Source Han Sans TC",
    "Noto Sans SC",
    "Noto Sans TC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)
COLOURS = {
    EventKind.HAPPENED: "#2c3e50",
    EventKind.FORECAST: "#d35400",
    EventKind.SPAN: "#16a085",
}
CONFLICT_COLOUR = "#c0392b"
_DATE_WORDS = re.compile(r"\d{4}(?:\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号號])?)?)?")
_DATE_PARTS = re.compile(r"[\d\s年月日号號]+")
_LOCK = threading.Lock()  # font registration touches matplotlib's global font list


@dataclass(frozen=True)
class _Font:
    family: str
    weight: int  # a variable font's default instance is its thinnest: drawn bolder

    @property
    def thin(self) -> bool:
        return self.weight < 300


def chronology_png(reply: Reply) -> bytes | None:
    """The picture of ``reply``'s events, or None: too few events, or no matplotlib or
    CJK font here (logged once)."""
    if len(reply.events) <= PICTURE_ABOVE:
        return None
    font = _cjk_font()
    if font is None:
        return None
    return _draw(reply.query, reply.events, font)


async def picture_of(reply: Reply) -> bytes | None:
    """``chronology_png`` in a worker thread; a failure is logged and means no picture,
    never a lost text answer."""
    if len(reply.events) <= PICTURE_ABOVE:
        return None
    try:
        return await asyncio.to_thread(chronology_png, reply)
    except Exception:
        log.exception("drawing the timeline picture for %r failed", reply.query[:80])
        return None


@functools.cache
def _cjk_font() -> _Font | None:
    try:
        from matplotlib import font_manager
        from matplotlib.ft2font import FT2Font
    except ImportError:
        log.warning(
            "timeline pictures are off: matplotlib is not installed (pip install -e '.[chart]')"
        )
        return None
    with _LOCK:
        _register_packaged_font(font_manager)
        entries = {f.name: f for f in font_manager.fontManager.ttflist}
        for family in CJK_FAMILIES:
            entry = entries.get(family)
            if entry is None:
                continue
            face = FT2Font(entry.fname, face_index=getattr(entry, "index", 0))
            if face.get_char_index(ord("时")) and face.get_char_index(ord("時")):
                weight = entry.weight if isinstance(entry.weight, int) else 400
                log.info("timeline pictures: font %s (%s)", family, entry.fname)
                return _Font(family, weight)
    log.warning(
        "timeline pictures are off: no font with Chinese characters found "
        "(pip install -e '.[chart]' brings Noto Sans CJK)"
    )
    return None


def _register_packaged_font(font_manager: Any) -> None:
    try:
        from importlib.resources import files

        folder = files("manimgx_fonts_cjk")
    except ModuleNotFoundError:
        return
    for item in folder.iterdir():
        if item.name.lower().endswith((".ttc", ".otf", ".ttf")):
            font_manager.fontManager.addfont(str(item))


def _position(date: str, *, end: bool = False) -> float:
    """A date as a fractional year: the middle of its interval (a year-only date sits
    mid-year); with ``end``, the end of it (a span's last day)."""
    first, last = interval(date)
    day = last if end else first + (last - first) / 2
    start = dt.date(day.year, 1, 1)
    return day.year + (day - start).days / 366


def _label(entry: TimelineEntry) -> str:
    """The clause that holds the entry's date (what happened then), else its start."""
    parts = entry.date.split("-")
    found = None
    if len(parts) > 1:  # "同年11月", "2024年11月": the month says which clause
        found = re.search(rf"(?<!\d)0?{int(parts[1])}\s*月", entry.text)
    found = found or _DATE_WORDS.search(entry.text, max(0, entry.text.find(parts[0])))
    text = clause_around(entry.text, found.start(), found.end()) if found else entry.text
    if found and len(_DATE_PARTS.sub("", text).strip()) <= 3:  # "截至2025年4月": go on
        at = entry.text.find(text)
        text = clause_around(entry.text, at, at + len(text))
    return text if len(text) <= TEXT_CHARS else text[: TEXT_CHARS - 1] + "…"


def _legend_font(font: _Font) -> Any:
    from matplotlib.font_manager import FontProperties

    return FontProperties(family=font.family, weight=font.weight, size=8)


def _draw(query: str, events: Sequence[TimelineEntry], font: _Font) -> bytes:
    from matplotlib import patheffects
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MaxNLocator

    rows = len(events)
    fig = Figure(figsize=(WIDTH_IN, 1.4 + ROW_IN * rows), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.14, 0.1 + 0.25 / rows, 0.36, 0.82 - 0.5 / rows))

    def style(colour: str) -> dict[str, Any]:
        found: dict[str, Any] = {"fontfamily": font.family, "fontweight": font.weight}
        if font.thin:
            found["path_effects"] = [patheffects.withStroke(linewidth=0.6, foreground=colour)]
        return found

    starts = [_position(e.date) for e in events]
    ends = [_position(e.end, end=True) if e.end else s for e, s in zip(events, starts, strict=True)]
    for row, (entry, start, finish) in enumerate(zip(events, starts, ends, strict=True)):
        colour = COLOURS[entry.kind]
        if entry.kind is EventKind.SPAN:
            ax.plot([start, finish], [row, row], color=colour, linewidth=5, alpha=0.6)
        ax.plot(
            [start],
            [row],
            marker="o",
            markersize=8,
            color=colour,
            markerfacecolor="white" if entry.kind is EventKind.FORECAST else colour,
            markeredgecolor=CONFLICT_COLOUR if entry.conflicts else colour,
            markeredgewidth=2.2 if entry.conflicts else 1.2,
        )
        ink = "#666666" if entry.kind is EventKind.FORECAST else "black"
        ax.text(
            1.03,
            row,
            _label(entry),
            transform=ax.get_yaxis_transform(),
            va="center",
            fontsize=10,
            color=ink,
            **style(ink),
        )
    low, high = min(starts), max(ends)
    pad = max(0.5, (high - low) * 0.05)
    ax.set_xlim(low - pad, high + pad)
    ax.set_ylim(rows - 0.5, -0.5)  # oldest at the top
    ax.set_yticks(range(rows))
    ax.set_yticklabels([e.when for e in events], fontsize=9, **style("black"))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole years
    ax.grid(axis="x", color="#dddddd")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.text(0.02, 0.97, f"Timeline: {query}", fontsize=12, va="top", **style("black"))
    legend = [
        Line2D(
            [], [], marker="o", linestyle="", color=COLOURS[EventKind.HAPPENED], label="happened"
        ),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            color=COLOURS[EventKind.FORECAST],
            markerfacecolor="white",
            label=messages.FORECAST_MARK,
        ),
        Line2D([], [], linewidth=5, alpha=0.6, color=COLOURS[EventKind.SPAN], label="span"),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            color="white",
            markeredgecolor=CONFLICT_COLOUR,
            markeredgewidth=2.2,
            label="sources disagree on the date",
        ),
    ]
    fig.legend(handles=legend, loc="lower left", ncols=4, frameon=False, prop=_legend_font(font))
    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()
