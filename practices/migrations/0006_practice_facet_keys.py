"""Each practice's filter values in one array for the library's facet counts, written with its search document."""

import django.contrib.postgres.fields
from django.db import migrations, models


def fill_facet_keys(apps, schema_editor):
    # Nothing to fill on a new database: the live code is then not run at all, so a later migration that
    # changes what it reads can never break a migration from scratch.
    if not apps.get_model("practices", "Practice").objects.exists():
        return
    # The live function, not a copy of it: one definition of the keys. update_search_index (the index's VERSION
    # was raised with this) writes them again with the documents.
    from practices.search.index import facet_keys_refresh  # noqa: PLC0415

    facet_keys_refresh()


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0005_practice_publicity"),
    ]

    operations = [
        migrations.AddField(
            model_name="practice",
            name="facet_keys",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=80), blank=True, default=list, editable=False, size=None
            ),
        ),
        migrations.RemoveIndex(model_name="practice", name="practice_listed_idx"),
        migrations.AddIndex(
            model_name="practice",
            index=models.Index(
                condition=models.Q(("is_public", True), ("listed_from__isnull", False), _connector="OR"),
                fields=["is_public", "listed_from"],
                include=("id", "evidence_level", "description_withheld", "description_from", "facet_keys"),
                name="practice_listed_idx",
            ),
        ),
        migrations.RunPython(fill_facet_keys, migrations.RunPython.noop, elidable=True),
    ]
