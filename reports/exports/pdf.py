"""The report as a PDF in the official document format, rendered by WeasyPrint."""

import logging
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from ..models import Report
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

TEMPLATE = "reports/pdf/report.html"
STYLESHEET = "css/pdf.css"


def report_pdf(report: Report) -> bytes:
    return document_pdf(build_document(report))


def document_pdf(document: ReportDocument) -> bytes:
    # Imported here: WeasyPrint takes a while to load and only this function needs it.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(
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
    stylesheet = CSS(string=Path(finders.find(STYLESHEET)).read_text(encoding="utf-8"))
    # The page needs nothing from outside: refuse every URL the narrative might smuggle in.
    fetcher = URLFetcher(allowed_protocols=())
    # custom_metadata writes <meta name="approved-on"> as the info entry /approvedon.
    return HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet], custom_metadata=True
    )
