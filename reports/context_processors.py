from .models import Notification


def unread_notifications(request) -> dict:
    """The number beside "Thông báo" in the navigation: one count per page, signed-in only."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": Notification.objects.filter(user=user, read_at__isnull=True).count()}
