"""Administrators register client systems here; a token is shown once, on the page that follows
its issue. Clients are stopped by revoking them, never deleted (their calls and the history
their writes left stay)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Call, Client, Token
from .services import (
    client_create,
    client_revoke,
    client_update,
    reach_problems,
    token_issue,
    token_revoke,
)

CLIENT_FIELDS = [
    "name",
    "purpose",
    "national",
    "provinces",
    "units",
    "reads_submitted",
    "writes",
    "expires_at",
    "rate_per_minute",
]


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = CLIENT_FIELDS

    def clean(self):
        data = super().clean()
        for problem in reach_problems(
            national=data.get("national", False),
            provinces=data.get("provinces") or [],
            units=data.get("units") or [],
            writes=data.get("writes", False),
        ):
            self.add_error(None, problem)
        return data


class TokenInline(admin.TabularInline):
    model = Token
    fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    form = ClientForm
    list_display = ["name", "scopes_shown", "reach_shown", "expires_at", "status_shown"]
    search_fields = ["name", "purpose"]
    autocomplete_fields = ["provinces", "units"]
    readonly_fields = ["user", "created_at", "created_by", "revoked_at"]
    inlines = [TokenInline]
    actions = ["issue_token", "revoke"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("provinces", "units")

    @admin.display(description=_("quyền"))
    def scopes_shown(self, obj):
        return ", ".join(obj.scopes)

    @admin.display(description=_("phạm vi"))
    def reach_shown(self, obj):
        if obj.national:
            return _("Toàn quốc")
        return ", ".join(u.code for u in [*obj.provinces.all(), *obj.units.all()])

    @admin.display(description=_("tình trạng"))
    def status_shown(self, obj):
        if obj.revoked_at:
            return _("Đã thu hồi")
        return _("Đang dùng") if obj.is_usable else _("Hết hạn")

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []  # nothing to show before it exists

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in CLIENT_FIELDS}
        provinces, units = data.pop("provinces"), data.pop("units")
        if change:
            client_update(client=obj, by=request.user, provinces=provinces, units=units, **data)
            return
        client = client_create(by=request.user, provinces=provinces, units=units, **data)
        _token, request.api_token = token_issue(client=client, by=request.user)
        # The admin goes on with `obj` (log entry, answer): it becomes the client just made.
        obj.pk, obj.user, obj.created_at = client.pk, client.user, client.created_at
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # The services set the provinces and units (no form.save_m2m); tokens are read-only.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def response_add(self, request, obj, post_url_continue=None):
        return self._token_page(request, obj, request.api_token)

    def _token_page(self, request, client, raw):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Mã truy cập của %(name)s") % {"name": client.name},
            "client": client,
            "token": raw,
            "opts": self.model._meta,
            "api_url": request.build_absolute_uri(reverse("api:reports")),
            "docs_url": reverse("api:docs"),
        }
        return TemplateResponse(request, "admin/api/client/token.html", context)

    @admin.action(description=_("Cấp mã truy cập mới"), permissions=["change"])
    def issue_token(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Chọn đúng một hệ thống."), messages.WARNING)
            return None
        client = queryset.get()
        try:
            _token, raw = token_issue(client=client, by=request.user)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return None
        return self._token_page(request, client, raw)

    @admin.action(description=_("Thu hồi quyền kết nối (mọi mã)"), permissions=["change"])
    def revoke(self, request, queryset):
        for client in queryset:
            client_revoke(client=client, by=request.user)
        self.message_user(request, _("Đã thu hồi %(n)d hệ thống.") % {"n": queryset.count()})


class ListedOnly:
    """Records the services write: listed and read here, never added, changed or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Token)
class TokenAdmin(ListedOnly, admin.ModelAdmin):
    list_display = ["prefix", "client", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["client"]
    list_select_related = ["client"]
    actions = ["revoke"]

    @admin.action(description=_("Thu hồi các mã đã chọn"), permissions=["view"])
    def revoke(self, request, queryset):
        for token in queryset:
            token_revoke(token=token, by=request.user)
        self.message_user(request, _("Đã thu hồi %(n)d mã.") % {"n": queryset.count()})


@admin.register(Call)
class CallAdmin(ListedOnly, admin.ModelAdmin):
    list_display = ["at", "client", "method", "path", "status", "detail", "ip_address"]
    list_filter = ["client", "status", "method"]
    list_select_related = ["client"]
    search_fields = ["path", "detail", "token_prefix"]
    date_hierarchy = "at"
