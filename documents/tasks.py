from django_tasks import task

from reports.models import Report

from .storage import store_document


@task()
def render_report_file(report_id: int, file_format: str) -> str:
    """Renders a report's PDF or Word file into storage as a StoredDocument (with its SHA-256),
    unless one of the same content is stored already; returns the stored file's name."""
    report = Report.objects.select_related(
        "unit__province", "period", "kind", "template_version__template"
    ).get(pk=report_id)
    return store_document(report, file_format).file.name
