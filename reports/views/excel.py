"""The report's appendix workbook: download it (filled or blank) and upload it back."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from lib.xlsx import XLSX_CONTENT_TYPE

from ..access import EDIT, READ, can_edit_report, report_view
from ..excel import write_report_workbook
from ..services import ExcelImportError, ReportError, report_import_workbook


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
        help_text=gettext_lazy(
            "Tệp tải về từ trang này, đã điền hoặc sửa số liệu. Cả tệp được nhập, "
            "hoặc không nhập gì nếu có lỗi."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.XLSX_MAX_BYTES:
            limit = settings.XLSX_MAX_BYTES / 1024 / 1024
            raise forms.ValidationError(
                _("Tệp quá lớn: chỉ nhận tệp Excel đến %(mb).0f MB.") % {"mb": limit}
            )
        return upload


@require_safe
@report_view(READ)
def report_excel_download(request, report):
    blank = request.GET.get("blank") == "1"
    suffix = "-trong" if blank else ""
    name = f"bao-cao-{report.unit.code}-{report.period.code}{suffix}.xlsx"
    return HttpResponse(
        write_report_workbook(report, blank=blank),
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": content_disposition_header(True, name)},
    )


@report_view(READ, post=EDIT)
def report_excel(request, report):
    editable = can_edit_report(request.user, report)
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    problems, problem_count = [], 0
    if request.method == "POST" and form.is_valid():
        try:
            result = report_import_workbook(
                report=report, by=request.user, file=form.cleaned_data["file"]
            )
        except ExcelImportError as exc:
            problems, problem_count = exc.problems, exc.total
        except ReportError as exc:
            messages.error(request, str(exc))
            return redirect("reports:report_detail", pk=report.pk)
        else:
            messages.success(
                request,
                _("Đã nhập tệp Excel: %(values)d chỉ tiêu và %(rows)d dòng bảng thay đổi.")
                % {"values": result.values_changed, "rows": result.rows_changed},
            )
            return redirect("reports:report_detail", pk=report.pk)
    context = {
        "report": report,
        "form": form,
        "editable": editable,
        "problems": problems,
        "problem_count": problem_count,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/report_excel.html", context, status=status)
