"""The user a management command acts as: named with --by, else the portal's administrator."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db.models import Q

from org.models import Role


def command_user(username: str | None):
    """--by USERNAME, or by default the first active administrator (superuser first, then the
    oldest account with the administrator role). The change history records this user."""
    users = get_user_model().objects.filter(is_active=True)
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng “{username}” (đang hoạt động).")
        return user
    user = (
        users.filter(Q(is_superuser=True) | Q(role=Role.ADMIN))
        .order_by("-is_superuser", "pk")
        .first()
    )
    if user is None:
        raise CommandError(
            "Chưa có tài khoản quản trị nào; ghi rõ người thực hiện bằng --by TÊN_ĐĂNG_NHẬP."
        )
    return user
