"""Changes that may alter somebody's to-do list renew the epoch of home/counts.py."""

from django.db.models.signals import post_delete, post_save

from indicators.models import TemplateVersion
from org.models import Unit
from parindex.models import Assessment
from province.models import Compilation
from reports.models import Period, Report

from .counts import renew_epoch


def _state_saved(sender, created, update_fields, **kwargs):
    # An autosave or a header edit changes no list; a creation or a new state does.
    if created or update_fields is None or "state" in update_fields:
        renew_epoch()


def _renew(sender, **kwargs):
    renew_epoch()


for model in (Report, Assessment):
    post_save.connect(_state_saved, sender=model, dispatch_uid=f"home.state.{model.__name__}")
    post_delete.connect(_renew, sender=model, dispatch_uid=f"home.deleted.{model.__name__}")
for model in (Period, TemplateVersion, Unit, Compilation):
    post_save.connect(_renew, sender=model, dispatch_uid=f"home.saved.{model.__name__}")
    post_delete.connect(_renew, sender=model, dispatch_uid=f"home.deleted.{model.__name__}")
