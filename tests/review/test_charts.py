"""The dashboard's charts can be read without seeing them, and seen on a projector."""

import re

from review.charts import BAR_COLOUR, NEGATIVE_COLOUR, STATE_COLOURS, progress_chart
from review.dashboard import StateCount

PAGE_BACKGROUNDS = ["#ffffff", "#f7f8fa"]  # the cards and the page (static/css/portal.css)


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted([luminance(a), luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_bar_colour_stands_out_from_the_page():
    # WCAG 1.4.11: graphical objects at least 3:1 against what is next to them.
    for colour in [*STATE_COLOURS.values(), BAR_COLOUR, NEGATIVE_COLOUR]:
        for background in PAGE_BACKGROUNDS:
            assert contrast(colour, background) >= 3, (colour, background)


def test_the_progress_chart_reads_out_every_state_and_its_count():
    chart = progress_chart(
        [
            StateCount("missing", "Chưa tạo", 3),
            StateCount("submitted", "Đã gửi", 12),
            StateCount("approved", "Đã duyệt", 0),
        ]
    )
    label = re.search(r'<svg [^>]*role="img" aria-label="([^"]*)"', chart).group(1)
    assert label == "Tiến độ gửi báo cáo theo trạng thái: Chưa tạo 3; Đã gửi 12; Đã duyệt 0."


def test_a_hostile_label_is_text_in_the_summary():
    chart = progress_chart([StateCount("draft", '"><script>x()</script>', 1)])
    assert "<script>" not in chart
    assert "&quot;&gt;&lt;script&gt;" in chart
