from django.db import migrations, models

# The sections of the standard outline (indicators.standard) a report must write, as the
# standard outline now marks them; versions already made from it get the same marks.
STANDARD_REQUIRED = [
    "chi_dao",
    "the_che",
    "tthc",
    "bo_may",
    "cong_vu",
    "tai_chinh",
    "cqs",
    "ket_qua_dat",
    "ton_tai",
    "nguyen_nhan",
    "phuong_huong",
]


def mark_standard_sections(apps, schema_editor):
    OutlineSection = apps.get_model("indicators", "OutlineSection")
    OutlineSection.objects.filter(code__in=STANDARD_REQUIRED).update(required=True)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0007_indicator_timing"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="not_applicable",
            field=models.BooleanField(
                blank=True,
                help_text=(
                    "Được ghi “/” (không áp dụng) thay cho số liệu. Để trống: chỉ tiêu bắt buộc "
                    "không được ghi “/”, chỉ tiêu không bắt buộc thì được."
                ),
                null=True,
                verbose_name="cho phép “/”",
            ),
        ),
        migrations.AddField(
            model_name="outlinesection",
            name="required",
            field=models.BooleanField(
                default=False,
                help_text="Báo cáo chưa viết mục này (hoặc một mục con của nó) thì chưa gửi được.",
                verbose_name="phải viết",
            ),
        ),
        migrations.RunPython(mark_standard_sections, migrations.RunPython.noop),
    ]
