from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class SignedPdfForm(forms.Form):
    """A signed PDF, as bytes: size and the PDF header checked here, signatures by the
    services."""

    file = forms.FileField(
        label=_("Tệp PDF đã ký số"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self) -> tuple[str, bytes]:
        upload = self.cleaned_data["file"]
        limit = settings.SIGNED_PDF_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Tệp quá lớn (%(size)s MB); tối đa %(limit)s MB.")
                % {"size": round(upload.size / 2**20, 1), "limit": limit // 2**20}
            )
        data = upload.read()
        if b"%PDF-" not in data[:1024]:
            raise forms.ValidationError(_("Tệp này không phải PDF."))
        return upload.name, data
