from django import forms
from django.utils.translation import gettext_lazy as _

from cchc_portal.lib.periods import PeriodKind


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
