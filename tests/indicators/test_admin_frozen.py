"""A published version cannot be changed through the Django admin either: every admin page of
the indicators app shows its parts read-only and refuses changes, deletions and additions."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict

from indicators.models import (
    Appendix,
    Column,
    Indicator,
    IndicatorTemplate,
    OutlineSection,
    ReportKind,
    Rule,
    TemplateVersion,
)
from indicators.services import version_clone, version_import, version_publish
from org.permissions import OPERATOR
from tests.indicators.test_template_pages import spec_with_grouped_table


@pytest.fixture
def published(db):
    return version_publish(
        by=OPERATOR, version=version_import(by=OPERATOR, spec=spec_with_grouped_table())
    )


@pytest.fixture
def superuser(client, db):
    user = get_user_model().objects.create_superuser(
        "sieuquantri", "a@example.vn", "x-12345678", role="admin"
    )
    client.force_login(user)
    return client


def part_of(model, version):
    """An object of `model` belonging to `version` (the version itself for TemplateVersion)."""
    return {
        TemplateVersion: lambda: version,
        IndicatorTemplate: lambda: version.template,
        Appendix: lambda: version.appendices.first(),
        OutlineSection: lambda: version.outline.first(),
        Rule: lambda: version.rules.first(),
        Indicator: lambda: Indicator.objects.filter(appendix__version=version).first(),
        Column: lambda: Column.objects.filter(appendix__version=version).first(),
    }[model]()


def everything(version):
    """The whole published content, to check that nothing changed."""
    return (
        model_to_dict(version),
        [model_to_dict(s) for s in version.outline.all()],
        [model_to_dict(a) for a in version.appendices.all()],
        [model_to_dict(r) for r in Indicator.objects.filter(appendix__version=version)],
        [model_to_dict(c) for c in Column.objects.filter(appendix__version=version)],
        [model_to_dict(r) for r in version.rules.all()],
    )


# Report kinds live in indicators but belong to no version: they are configuration, not content.
INDICATOR_ADMINS = [
    model
    for model in admin.site._registry
    if model._meta.app_label == "indicators" and model is not ReportKind
]


def test_every_indicators_model_the_admin_edits_is_walked():
    # The parts of a version are edited in the admin pages of these (rows and columns inline).
    assert set(INDICATOR_ADMINS) == {
        IndicatorTemplate,
        TemplateVersion,
        Appendix,
        OutlineSection,
        Rule,
    }


@pytest.mark.parametrize("model", INDICATOR_ADMINS, ids=lambda m: m.__name__)
def test_the_admin_refuses_every_change_to_a_published_version(model, published, superuser):
    client = superuser
    obj = part_of(model, published)
    before = everything(published)
    base = f"/quan-tri/indicators/{model._meta.model_name}/{obj.pk}"

    page = client.get(f"{base}/change/")
    assert page.status_code == 200
    if model is not IndicatorTemplate:  # the template's own fields belong to its drafts too
        assert 'name="_save"' not in page.text  # read-only: no save button
        data = {k: v for k, v in model_to_dict(obj).items() if v is not None}
        for name in ("title", "expression", "label", "header", "applies_from"):
            if name in data:
                data[name] = "2030-01-01" if name == "applies_from" else "đã sửa"
        assert client.post(f"{base}/change/", data).status_code == 403
    assert client.get(f"{base}/delete/").status_code == 403
    assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert everything(published) == before


def test_inline_rows_of_a_published_appendix_are_read_only(published, superuser):
    appendix = published.appendices.first()
    page = superuser.get(f"/quan-tri/indicators/appendix/{appendix.pk}/change/")
    assert page.status_code == 200
    assert "indicators-0-label" not in page.text and "columns-0-header" not in page.text


def test_nothing_can_be_added_to_a_published_version(published, superuser):
    before = everything(published)
    page = superuser.get("/quan-tri/indicators/outlinesection/add/")
    assert f'<option value="{published.pk}"' not in page.text  # only drafts are offered
    response = superuser.post(
        "/quan-tri/indicators/outlinesection/add/",
        {"version": published.pk, "position": 99, "code": "moi", "title": "Mục chen", "level": 1},
    )
    assert response.status_code == 200  # the form comes back with the error
    assert not OutlineSection.objects.filter(code="moi").exists()
    assert everything(published) == before


def test_a_draft_stays_editable_in_the_admin(published, superuser):
    draft = version_clone(by=OPERATOR, version=published)
    section = draft.outline.first()
    data = {**model_to_dict(section), "title": "Tiêu đề mới"}
    response = superuser.post(f"/quan-tri/indicators/outlinesection/{section.pk}/change/", data)
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.title == "Tiêu đề mới"
    assert published.outline.first().title != "Tiêu đề mới"
    page = superuser.get(f"/quan-tri/indicators/appendix/{draft.appendices.first().pk}/change/")
    assert "indicators-0-label" in page.text or "columns-0-header" in page.text
