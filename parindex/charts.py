"""The ranking as a server-rendered SVG bar chart (review.charts' bars: no script, text
escaped)."""

from review.charts import Bar, Layout, bar_chart

from .results import Results


def _points(value) -> str:
    return f"{value:.2f}".replace(".", ",")


def results_chart(results: Results):
    bars = [
        Bar(
            f"{row.rank}. {row.unit.display_name}",
            float(row.appraised_total),
            _points(row.appraised_total),
        )
        for row in results.rows
        if row.rank is not None
    ]
    ceiling = float(results.criteria_set.max_total)
    title = f"Điểm Chỉ số CCHC năm {results.criteria_set.year} theo đơn vị"
    return bar_chart(bars, title=title, ceiling=ceiling, layout=Layout(width=760, label_width=320))
