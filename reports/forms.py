from django import forms
from django.utils.translation import gettext_lazy as _

from lib.periods import PeriodKind
from lib.text import XmlSafeCharField

from .models import Report


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại kỳ"), choices=PeriodKind.choices)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    window_start = forms.DateField(label=_("Số liệu từ ngày"), required=False)
    window_end = forms.DateField(label=_("Số liệu đến ngày"), required=False)
    deadline = forms.DateField(
        label=_("Hạn gửi báo cáo"),
        required=False,
        help_text=_("Để trống các ngày để dùng mặc định theo Nghị định 09/2019/NĐ-CP."),
    )
    is_open = forms.BooleanField(label=_("Mở kỳ báo cáo ngay"), required=False)


class HeaderForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = Report.HEADER_FIELDS
        field_classes = {
            name: XmlSafeCharField for name in Report.HEADER_FIELDS if name != "issued_on"
        }
        widgets = {
            "basis": forms.Textarea(attrs={"rows": 4}),
            "recipients": forms.Textarea(attrs={"rows": 3}),
            "issued_on": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"),
        }
        help_texts = {
            "number": _("Để trống cho đến khi văn thư cấp số."),
            "symbol": _("Ví dụ BC-SKHCN; in thành “Số: 136/BC-SKHCN”."),
            "signer_authority": _("GIÁM ĐỐC, hoặc KT. GIÁM ĐỐC khi cấp phó ký."),
            "signer_position": _("Chỉ điền khi ký thay: PHÓ GIÁM ĐỐC."),
        }


class SectionForm(forms.Form):
    content = XmlSafeCharField(label=_("Nội dung"), required=False, widget=forms.Textarea)


class CommentForm(forms.Form):
    """A reviewer's comment on the whole report, a section, an indicator or a table row: the
    button beside the item says which (`target`, `target_code`)."""

    target = forms.CharField(widget=forms.HiddenInput, required=False)
    target_code = forms.CharField(widget=forms.HiddenInput, required=False)
    text = XmlSafeCharField(label=_("Nhận xét"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.places = places  # reports.reading.comment_places

    def clean(self):
        data = super().clean()
        target = (data.get("target") or "report", data.get("target_code") or "")
        if target not in self.places:
            raise forms.ValidationError(_("Không còn mục này trong báo cáo để nhận xét."))
        data["target"], data["target_code"] = target
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[("return", _("Trả lại")), ("approve", _("Duyệt"))],
        widget=forms.RadioSelect,
    )
    comment = XmlSafeCharField(
        label=_("Lý do trả lại / ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Asked for only when approving would pass over open comments or unexplained warnings.
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, concerns: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.concerns = concerns or []
        if self.concerns:
            self.fields["confirm"].label = _("Tôi đã xem %(what)s và vẫn duyệt báo cáo.") % {
                "what": " và ".join(self.concerns)
            }
        else:
            del self.fields["confirm"]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "approve" and self.concerns and not data.get("confirm"):
            self.add_error(
                "confirm",
                _("Còn %(what)s: hãy xem lại, rồi đánh dấu ô này nếu vẫn duyệt.")
                % {"what": " và ".join(self.concerns)},
            )
        return data
