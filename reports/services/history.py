"""Who the change history records as the author of changes made outside a web request."""

from contextlib import contextmanager
from types import SimpleNamespace

from simple_history.models import HistoricalRecords


@contextmanager
def acting_as(user):
    """Record `user` as the author of every history row written inside the block (commands and
    services run without a request; on a request the middleware already names the user)."""
    context = HistoricalRecords.context
    saved = getattr(context, "request", None)
    if saved is not None and getattr(saved.user, "is_authenticated", False):
        yield
        return
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if saved is None:
            del context.request
        else:
            context.request = saved
