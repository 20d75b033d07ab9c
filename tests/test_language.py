"""ADR 0005: the interface is Vietnamese only, written directly in the code. These are the names
an administrator reads in /quan-tri/ and every drop-down; Django would otherwise make English
ones up from identifiers."""

import tomllib
from pathlib import Path

import pytest
from django.contrib import admin
from django.db import models
from django.utils.text import camel_case_to_spaces

# Every app of the project (the packages import-linter knows, but the settings package).
APPS = tuple(
    p
    for p in tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())[
        "tool"
    ]["importlinter"]["root_packages"]
    if p != "cchc_portal"
)


def _choices(cls=models.Choices):
    for sub in cls.__subclasses__():
        if sub.__module__.split(".")[0] in APPS:
            yield sub
        yield from _choices(sub)


@pytest.mark.parametrize(
    "model",
    [m for m in admin.site._registry if m._meta.app_label in APPS],
    ids=lambda m: m.__name__,
)
def test_every_model_in_the_admin_has_a_vietnamese_name(model):
    english = camel_case_to_spaces(model.__name__)
    assert str(model._meta.verbose_name) != english
    assert str(model._meta.verbose_name_plural) != f"{english}s"


@pytest.mark.parametrize("choices", sorted(set(_choices()), key=str), ids=lambda c: c.__name__)
def test_every_choice_label_is_written_out(choices):
    for member in choices:
        # Django's label for a member without one is its name, title-cased.
        assert member.label != member.name.replace("_", " ").title(), member
