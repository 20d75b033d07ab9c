"""The signing page of a report (download the copy to sign, upload the signed file, see the
signatures and their history) and the page where any reader checks a file."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from documents.document import export_filename
from lib.access import READ, SAFE, SAFE_AND_POST, SIGN_PDF, object_view
from reports.services.errors import ReportError

from .access import can_sign, signed_report_for_user
from .forms import SignedPdfForm
from .selectors import describe_match, frozen_match, signature_events, signing_status
from .services import SignatureRefused, signed_upload, signing_copy
from .trust import installed_trust
from .verify import verify_signed_pdf


def _page(request, report, *, form=None, refused=(), status=200):
    context = {
        "report": report,
        "status": signing_status(report),
        "can_sign": can_sign(request.user, report),
        "events": signature_events(report),
        "form": form or SignedPdfForm(),
        "verify_form": SignedPdfForm(),
        "refused": refused,
    }
    return render(request, "signatures/signing.html", context, status=status)


@object_view(signed_report_for_user, READ, post=SIGN_PDF)
def signing_page(request, report):
    if request.method != "POST":
        return _page(request, report)
    form = SignedPdfForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, report, form=form, status=400)
    name, data = form.cleaned_data["file"]
    try:
        signed_upload(report=report, by=request.user, data=data, file_name=name)
    except SignatureRefused as exc:
        return _page(request, report, form=form, refused=exc.reasons, status=400)
    except ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã nhận bản báo cáo đã ký số."))
    return redirect("signatures:signing", pk=report.pk)


@object_view(signed_report_for_user, SIGN_PDF, methods=SAFE)
def signing_copy_download(request, report):
    copy = signing_copy(report=report, by=request.user)
    name = export_filename(report, "pdf").removesuffix(".pdf") + "-de-ky.pdf"
    return FileResponse(
        copy.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )


@object_view(signed_report_for_user, READ, methods=SAFE_AND_POST)
def verify_page(request, report):
    """Any reader of the report drops a file: is it this report's, and are its signatures
    valid? Nothing is saved."""
    form = SignedPdfForm(request.POST or None, request.FILES or None)
    result = match = None
    if request.method == "POST" and form.is_valid():
        _name, data = form.cleaned_data["file"]
        result = verify_signed_pdf(data, trust=installed_trust())
        match = describe_match(frozen_match(result, reports=[report.pk]))
    context = {"report": report, "verify_form": form, "result": result, "match": match}
    return render(request, "signatures/verify.html", context, status=400 if form.errors else 200)
