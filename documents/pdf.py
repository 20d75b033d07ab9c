"""The report as a PDF in the official document format, rendered by WeasyPrint."""

import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from reports.models import Report

from .document import (
    DOCUMENT_KIND,
    MOTTO,
    NATION,
    RECIPIENTS_TITLE,
    WATERMARK,
    ReportDocument,
    build_document,
)

# WeasyPrint logs every layout step at INFO, which the portal's root logger would print for
# every download.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

TEMPLATE = "documents/pdf/report.html"
STYLESHEET = "css/pdf.css"
USER_AGENT_STYLESHEET = Path(__file__).with_name("pdf_ua.css")


def report_pdf(report: Report) -> bytes:
    return document_pdf(build_document(report))


def document_pdf(document: ReportDocument) -> bytes:
    with _gc_paused():
        # custom_metadata writes <meta name="approved-on"> as the info entry /approvedon.
        return layout_pdf(document).write_pdf(custom_metadata=True)


def layout_pdf(document: ReportDocument):
    """The laid-out pages (a weasyprint Document), before they are written as PDF."""
    # Imported here: WeasyPrint takes a while to load and only this function needs it.
    from weasyprint import CSS
    from weasyprint.urls import URLFetcher

    stylesheet = CSS(string=Path(finders.find(STYLESHEET)).read_text(encoding="utf-8"))
    # The page needs nothing from outside: refuse every URL the narrative might smuggle in.
    fetcher = URLFetcher(allowed_protocols=())
    with _gc_paused():
        return _report_html_class()(string=_html(document), url_fetcher=fetcher).render(
            stylesheets=[stylesheet], custom_metadata=True
        )


@cache
def _report_html_class():
    """WeasyPrint's HTML with our cut-down user-agent stylesheet (pdf_ua.css)."""
    from weasyprint import CSS, HTML

    user_agent = CSS(string=USER_AGENT_STYLESHEET.read_text(encoding="utf-8"))

    class ReportHTML(HTML):
        # A private hook of WeasyPrint (pinned); were it renamed, its full sheet would apply:
        # the same pages, only slower.
        def _ua_stylesheets(self, forms=False):
            return [user_agent]

    return ReportHTML


def _html(document: ReportDocument) -> str:
    return render_to_string(
        TEMPLATE,
        {
            "doc": document,
            "approved_at": (
                document.approved_at.replace(microsecond=0).isoformat()
                if document.approved_at
                else ""
            ),
            "nation": NATION,
            "motto": MOTTO,
            "kind": DOCUMENT_KIND,
            "recipients_title": RECIPIENTS_TITLE,
            "watermark": WATERMARK,
        },
    )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while WeasyPrint builds its boxes.

    A render allocates hundreds of thousands of objects, which start a collection every 700
    allocations, each scanning every object the process holds: a quarter of the render's time.
    What it leaves for the collector is freed at the next collection after the render.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
