from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render

from ..selectors import templates_with_versions

admin_required = permission_required("reports.configure_portal", raise_exception=True)


@login_required
@admin_required
def template_list(request):
    return render(
        request, "indicators/template_list.html", {"templates": templates_with_versions()}
    )
