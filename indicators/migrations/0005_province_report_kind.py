from django.db import migrations


def create_province_kind(apps, schema_editor):
    # The province's own report (as ReportKind.province() makes it), compiled by Sở Nội vụ.
    ReportKind = apps.get_model("indicators", "ReportKind")
    ReportKind.objects.get_or_create(
        code="cchc-tinh",
        defaults={
            "name": "Báo cáo công tác cải cách hành chính của tỉnh",
            "title": "Kết quả thực hiện công tác cải cách hành chính {period}",
            "position": 10,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0004_indicator_aggregate")]

    operations = [migrations.RunPython(create_province_kind, migrations.RunPython.noop)]
