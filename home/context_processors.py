from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .counts import count_for
from .todo import todo_for


def todo_of(request):
    """What waits for the request's user, computed once per request."""
    if not hasattr(request, "_todo"):
        request._todo = todo_for(request.user, timezone.localdate())
    return request._todo


def todo(request) -> dict:
    """The number beside "Việc cần làm" in the navigation, computed only when a page shows it,
    and then only when something it counts changed (home/counts.py)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"todo_count": SimpleLazyObject(lambda: count_for(request.user, timezone.localdate()))}
