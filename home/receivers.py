"""Changes that may alter somebody's to-do list renew the epoch of home/counts.py."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from indicators.models import TemplateVersion
from org.models import Unit
from province.models import Compilation
from reports.models import Period, Report

from .counts import renew_epoch


@receiver(post_save, sender=Report, dispatch_uid="home.report_saved")
def report_saved(sender, instance, created, update_fields, **kwargs):
    # An autosave or a header edit changes no list; a creation or a new state does.
    if created or update_fields is None or "state" in update_fields:
        renew_epoch()


@receiver(post_delete, sender=Report, dispatch_uid="home.report_deleted")
def report_deleted(sender, **kwargs):
    renew_epoch()


def _renew(sender, **kwargs):
    renew_epoch()


for model in (Period, TemplateVersion, Unit, Compilation):
    post_save.connect(_renew, sender=model, dispatch_uid=f"home.saved.{model.__name__}")
    post_delete.connect(_renew, sender=model, dispatch_uid=f"home.deleted.{model.__name__}")
