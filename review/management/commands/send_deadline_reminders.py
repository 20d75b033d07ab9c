"""Daily reminders of coming deadlines, for cron:

    0 7 * * *  cd /srv/cchc && .venv/bin/python manage.py send_deadline_reminders --days 3

Running it again the same day tells nobody twice about the same period.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.models import Notification
from reports.services.notifications import notify_deadline

from ...dashboard import people_to_remind, periods_due


def deadline_message(period) -> str:
    """The text notify_deadline writes, to recognise today's earlier reminders."""
    return f"Sắp đến hạn gửi báo cáo {period.label} ({period.deadline:%d/%m/%Y})."


class Command(BaseCommand):
    help = (
        "Nhắc hạn gửi báo cáo (thông báo trên cổng và e-mail) cho chuyên viên, lãnh đạo các "
        "đơn vị chưa gửi báo cáo của những kỳ đang mở có hạn trong N ngày tới. "
        "Chạy hằng ngày; chạy lại trong ngày không nhắc trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=3, help="nhắc khi hạn gửi còn tối đa N ngày (mặc định 3)"
        )

    def handle(self, *args, days, **options):
        if days < 0:
            raise CommandError("--days phải là số không âm.")
        today = timezone.localdate()
        total = 0
        for period in periods_due(today=today, days=days):
            told = set(
                Notification.objects.filter(
                    created_at__date=today, message=deadline_message(period)
                ).values_list("user_id", flat=True)
            )
            users = [u for u in people_to_remind(period=period, today=today) if u.pk not in told]
            if users:
                notify_deadline(None, period, users)
            self.stdout.write(f"{period.label}: đã nhắc {len(users)} người.")
            total += len(users)
        self.stdout.write(f"Tổng cộng đã nhắc {total} người.")
