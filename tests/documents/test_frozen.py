"""Frozen means frozen: a submission's and an approval's files are rendered from the document kept
in the submission's transaction, whenever they are rendered; `export_report --frozen` writes the
very file the portal serves; downloads never act on a POST; a delayed render says so."""

import datetime
import hashlib
import io
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from documents.document import ZERO_WIDTH_SPACE, breakable_html, build_document, document_from_json
from documents.docx import report_docx
from documents.frozen import printed_document
from documents.models import FrozenContent, StoredDocument
from reports.models import IndicatorValue, Report
from reports.services.workflow import report_approve, report_submit
from tests.reports.test_workflow import fill, report  # noqa: F401  (fixture)
from tests.tasks import commit_and_run, run_queued_tasks


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf_of(stored: StoredDocument) -> PdfReader:
    with stored.file.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def text_of(reader: PdfReader) -> str:
    return "".join(page.extract_text() for page in reader.pages)


def test_files_rendered_after_the_unit_and_rows_changed_show_the_submission(cast, report):  # noqa: F811
    fill(report, so_nv=10, so_ht=8)
    old_name = cast.department.name
    with TestCase.captureOnCommitCallbacks(execute=True):
        report_submit(report=report, by=cast.leader)  # renders queued; no worker runs yet
    assert FrozenContent.objects.filter(submission__report=report).count() == 1
    # Meanwhile: the unit renamed, and a value changed in the database behind the workflow.
    cast.department.name = "Sở Khoa học, Công nghệ và Đổi mới sáng tạo"
    cast.department.save()
    IndicatorValue.objects.filter(report=report, indicator__code="so_nv").update(number=777)
    run_queued_tasks()  # the worker comes back
    report = Report.objects.get(pk=report.pk)
    commit_and_run(report_approve, report=report, by=cast.reviewer)

    for state in ("submitted", "approved"):
        reader = pdf_of(StoredDocument.objects.get(report=report, state=state, format="pdf"))
        assert reader.metadata["/Author"] == old_name
        assert "777" not in text_of(reader)
    approved = pdf_of(StoredDocument.objects.get(report=report, state="approved", format="pdf"))
    day = timezone.localtime(Report.objects.get(pk=report.pk).approved_at)
    assert approved.metadata["/Subject"].endswith(f"đã duyệt ngày {day:%d/%m/%Y}")
    # A render from the live rows would differ: the test would catch a regression.
    assert build_document(Report.objects.get(pk=report.pk)).author != old_name


def test_the_kept_document_reads_back_as_built(cast, report):  # noqa: F811
    fill(report, so_nv=10, so_ht=8)
    report_submit(report=report, by=cast.leader)
    report = Report.objects.get(pk=report.pk)
    kept = FrozenContent.objects.get(submission__report=report).document
    assert document_from_json(kept) == build_document(report) == printed_document(report)


def test_export_report_frozen_writes_the_bytes_the_portal_serves(client, cast, report, tmp_path):  # noqa: F811
    fill(report, so_nv=10, so_ht=8)
    report_submit(report=report, by=cast.leader)
    client.force_login(cast.reviewer)
    for file_format in ("pdf", "docx"):
        served = b"".join(
            client.get(f"/bao-cao/{report.pk}/tai-ve.{file_format}").streaming_content
        )
        out = tmp_path / f"frozen.{file_format}"
        call_command(
            "export_report", str(report.pk), "--format", file_format, "--output", str(out),
            "--frozen", stdout=StringIO(),
        )  # fmt: skip
        assert hashlib.sha256(out.read_bytes()).digest() == hashlib.sha256(served).digest()
    assert StoredDocument.objects.filter(report=report).count() == 2


def test_export_report_frozen_on_a_draft_or_for_excel_says_why_not(cast, report, tmp_path):  # noqa: F811
    with pytest.raises(CommandError, match="chưa có tệp đã chốt"):
        call_command("export_report", str(report.pk), "--frozen", "--output", str(tmp_path / "x"))
    fill(report, so_nv=10, so_ht=8)
    report_submit(report=report, by=cast.leader)
    with pytest.raises(CommandError, match="tệp Excel không được chốt"):
        call_command("export_report", str(report.pk), "--frozen", "--format", "xlsx")


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_downloads_answer_get_and_head_only(client, cast, report, method):  # noqa: F811
    fill(report, so_nv=10, so_ht=8)
    report_submit(report=report, by=cast.leader)
    client.force_login(cast.reviewer)
    for url in (
        f"/bao-cao/{report.pk}/tai-ve.pdf",
        f"/bao-cao/{report.pk}/tai-ve.docx",
        f"/bao-cao/{report.pk}/tai-ve/pdf/trang-thai/",
        f"/bao-cao/{report.pk}/excel/tai-ve/",
    ):
        assert getattr(client, method)(url).status_code == 405
    assert not StoredDocument.objects.exists() and not DBTaskResult.objects.exists()
    assert client.head(f"/bao-cao/{report.pk}/tai-ve.pdf").status_code == 200


def test_a_render_no_worker_takes_is_said_to_be_delayed(client, cast, report):  # noqa: F811
    fill(report, so_nv=10, so_ht=8)
    client.force_login(cast.staff)
    status_url = f"/bao-cao/{report.pk}/tai-ve/pdf/trang-thai/"
    assert client.get(f"/bao-cao/{report.pk}/tai-ve.pdf").status_code == 202
    assert client.get(status_url).json() == {"status": "waiting"}
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(seconds=30))
    assert client.get(status_url).json() == {"status": "delayed"}
    page = client.get(f"/bao-cao/{report.pk}/tai-ve.pdf")
    assert page.status_code == 202
    assert "Việc tạo tệp đang chậm hơn thường lệ" in page.text
    assert DBTaskResult.objects.count() == 1  # asking again queued nothing more
    run_queued_tasks()
    assert client.get(status_url).json() == {"status": "ready"}


def test_long_words_get_break_points_outside_tags_and_entities():
    html = "<p><strong>a&amp;b</strong> " + "x" * 23 + ' <a href="' + "h" * 40 + '">ok</a></p>'
    broken = breakable_html(html)
    assert broken.replace(ZERO_WIDTH_SPACE, "") == html
    assert "x" * 5 + ZERO_WIDTH_SPACE + "x" * 5 in broken
    assert 'href="' + "h" * 40 + '"' in broken and "a&amp;b" in broken


def test_a_long_word_in_a_note_wraps_in_print_and_in_word(cast, report):  # noqa: F811
    from reports.access import OPERATOR
    from reports.services import report_save_values

    word = "Q" * 2_000
    report_save_values(
        by=OPERATOR,
        report=report,
        appendix=report.template_version.appendices.get(code="pl1"),
        values={"so_nv": (10, word)},
        expected=None,
    )
    report = Report.objects.get(pk=report.pk)
    from documents.pdf import report_pdf

    reader = PdfReader(io.BytesIO(report_pdf(report)))
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    q_lines = [line for line in lines if set(line.replace(ZERO_WIDTH_SPACE, "")) == {"Q"}]
    assert len(q_lines) > 20  # wrapped within its cell, not one line off the page
    assert sum(line.count("Q") for line in q_lines) > 1_900  # a line may also hold a label
    with zipfile.ZipFile(io.BytesIO(report_docx(report))) as docx:
        body = docx.read("word/document.xml").decode()
    assert ("Q" * 5 + ZERO_WIDTH_SPACE) * 10 in body
