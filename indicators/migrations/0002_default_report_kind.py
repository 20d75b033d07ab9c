from django.db import migrations


def create_default_kind(apps, schema_editor):
    # Every deployment starts with the periodic CCHC report (as ReportKind.default() makes it);
    # administrators add others.
    ReportKind = apps.get_model("indicators", "ReportKind")
    ReportKind.objects.get_or_create(
        code="cchc",
        defaults={
            "name": "Báo cáo kết quả thực hiện công tác cải cách hành chính",
            "title": "Kết quả thực hiện công tác cải cách hành chính {period}",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(create_default_kind, migrations.RunPython.noop)]
