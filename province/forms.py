from django import forms


class ProvinceCompileForm(forms.Form):
    """The dashboard's "Tổng hợp báo cáo của tỉnh": which province and period (by code)."""

    province = forms.SlugField(max_length=50)
    period = forms.CharField(max_length=10)
    include_submitted = forms.BooleanField(required=False)
