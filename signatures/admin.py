"""The administrator's side: signing rules, signers' certificates and subject rules, seals."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from .models import SealConfig, SignerCertificate, SigningRule, SubjectRule
from .signers import certificate_fields, signer_certificate_register
from .trust import TrustFileError


@admin.register(SigningRule)
class SigningRuleAdmin(admin.ModelAdmin):
    list_display = ("province", "kind", "required")
    list_filter = ("required", "kind")


class SignerCertificateForm(forms.ModelForm):
    upload = forms.FileField(
        label="Tệp chứng thư số (.cer, .crt, .pem)",
        help_text="Chứng thư số xuất từ phần mềm của thiết bị ký; không có khóa bí mật.",
    )

    class Meta:
        model = SignerCertificate
        fields = ("user", "active")

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        data = upload.read(64 * 1024)
        try:
            certificate_fields(data, upload.name)
        except TrustFileError as exc:
            raise ValidationError(str(exc)) from exc
        return upload.name, data


@admin.register(SignerCertificate)
class SignerCertificateAdmin(admin.ModelAdmin):
    list_display = ("user", "subject", "issuer", "valid_until", "active")
    list_filter = ("active",)
    search_fields = ("user__username", "user__last_name", "subject", "serial", "fingerprint")
    readonly_fields = (
        "subject",
        "issuer",
        "serial",
        "fingerprint",
        "valid_from",
        "valid_until",
        "registered_by",
        "registered_at",
    )

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = SignerCertificateForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("user", "upload")
        return ("user", "active", *self.readonly_fields)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        name, data = form.cleaned_data["upload"]
        registered = signer_certificate_register(
            user=form.cleaned_data["user"], data=data, by=request.user, name=name
        )
        for field in SignerCertificate._meta.concrete_fields:  # what the admin logs and shows
            setattr(obj, field.attname, getattr(registered, field.attname))
        messages.info(request, f"Đã đăng ký chứng thư số {registered.subject}.")


@admin.register(SubjectRule)
class SubjectRuleAdmin(admin.ModelAdmin):
    list_display = ("user", "attribute", "value")
    search_fields = ("user__username", "value")


@admin.register(SealConfig)
class SealConfigAdmin(admin.ModelAdmin):
    list_display = ("unit", "backend", "key_file", "active")
    list_filter = ("backend", "active")
