"""Server-side SVG bar charts: no JavaScript library, no CDN, readable without scripts.

Every piece of text goes through format_html, so a unit named "<script>" prints as text.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from indicators.types import ValueType

from .dashboard import Entry, IndicatorInfo, StateCount, is_number

BAR_HEIGHT = 16
ROW_HEIGHT = 24
TOP = 8
VALUE_WIDTH = 90
CHAR_WIDTH = 7  # average width of a 12 px character, to shorten labels that would not fit
# Bars are at least 3:1 against the page (WCAG 1.4.11), and told apart by their labels too.
STATE_COLOURS = {
    "missing": "#767676",
    "draft": "#495057",
    "submitted": "#0a58ca",
    "returned": "#a35200",
    "resubmitted": "#6610f2",
    "approved": "#146c43",
}
BAR_COLOUR = "#0a58ca"
NEGATIVE_COLOUR = "#b02a37"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as printed beside the bar
    colour: str = BAR_COLOUR


@dataclass(frozen=True)
class Layout:
    width: int = 760
    label_width: int = 300

    @property
    def label_chars(self) -> int:
        return (self.label_width - 12) // CHAR_WIDTH

    def short(self, label: str) -> str:
        limit = self.label_chars
        return label if len(label) <= limit else label[: limit - 1] + "…"


def _bar(index: int, bar: Bar, scale: float, layout: Layout) -> SafeString:
    y = TOP + index * ROW_HEIGHT
    width = abs(bar.value) * scale
    colour = NEGATIVE_COLOUR if bar.value < 0 else bar.colour
    return format_html(
        "<g><title>{}: {}</title>"
        '<text x="{}" y="{}" text-anchor="end" font-size="12">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
        '<text x="{}" y="{}" font-size="12">{}</text></g>',
        bar.label,
        bar.shown,
        layout.label_width - 8,
        y + BAR_HEIGHT - 3,
        layout.short(bar.label),
        layout.label_width,
        y,
        f"{width:.1f}",
        BAR_HEIGHT,
        colour,
        f"{layout.label_width + width + 6:.1f}",
        y + BAR_HEIGHT - 3,
        bar.shown,
    )


def bar_chart(
    bars: list[Bar], *, title: str, layout: Layout = Layout(), ceiling: float = 0
) -> SafeString:
    """Horizontal bars, one row per item, scaled to the largest absolute value (or to
    `ceiling`, such as 100 for percentages, when that is larger)."""
    if not bars:
        return format_html('<p class="text-muted small">{}</p>', _("Chưa có số liệu để vẽ."))
    largest = max(ceiling, *(abs(bar.value) for bar in bars)) or 1
    scale = (layout.width - layout.label_width - VALUE_WIDTH) / largest
    height = TOP * 2 + len(bars) * ROW_HEIGHT
    body = format_html_join(
        "", "{}", ((_bar(i, bar, scale, layout),) for i, bar in enumerate(bars))
    )
    # The text alternative: every bar's label and value, read out in one go.
    summary = "{}: {}.".format(title, "; ".join(f"{bar.label} {bar.shown}" for bar in bars))
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{}" '
        'viewBox="0 0 {} {}" width="{}" class="chart">'
        "<title>{}</title>{}</svg>",
        summary,
        layout.width,
        height,
        layout.width,
        title,
        body,
    )


def progress_chart(counts: list[StateCount]) -> SafeString:
    """How many units are in each state (not created yet included)."""
    bars = [
        Bar(str(c.label), c.count, str(c.count), STATE_COLOURS.get(c.state, BAR_COLOUR))
        for c in counts
    ]
    title = _("Tiến độ gửi báo cáo theo trạng thái")
    return bar_chart(bars, title=title, layout=Layout(width=400, label_width=110))


def indicator_chart(indicator: IndicatorInfo, entries: list[Entry]) -> SafeString:
    """One numeric indicator across departments; departments without a number are left out."""
    bars = [
        Bar(entry.report.unit.display_name, float(entry.value), entry.text)
        for entry in entries
        if indicator.is_charted and is_number(entry.value)
    ]
    title = _("%(label)s theo đơn vị") % {"label": indicator.label}
    ceiling = 100 if indicator.value_type == ValueType.PERCENT else 0
    return bar_chart(bars, title=title, ceiling=ceiling)
