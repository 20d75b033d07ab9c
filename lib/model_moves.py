"""For migrations that move a model to another app and keep its table (docs/decisions/0009)."""

from django.db import migrations


def keep_table(operations, *, from_app: str, to_app: str, models: list[str]):
    """`operations` change only Django's state (the table stays); the models' content types, and
    with them their permissions and admin log entries, move to the new app."""

    def move(apps, schema_editor):
        content_type = apps.get_model("contenttypes", "ContentType")
        for model in models:
            if not content_type.objects.filter(app_label=to_app, model=model).exists():
                content_type.objects.filter(app_label=from_app, model=model).update(
                    app_label=to_app
                )

    def back(apps, schema_editor):
        content_type = apps.get_model("contenttypes", "ContentType")
        content_type.objects.filter(app_label=to_app, model__in=models).update(app_label=from_app)

    return [
        migrations.SeparateDatabaseAndState(state_operations=operations),
        migrations.RunPython(move, back),
    ]
