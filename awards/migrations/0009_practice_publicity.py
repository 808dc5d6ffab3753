"""Fill the practices' stored publicity (practices 0005) from the rule, for the rows that exist."""

from django.db import migrations


def fill(apps, schema_editor):
    # Nothing to fill on a new database: the live code is then not run at all, so a later migration that
    # changes what it reads can never break a migration from scratch.
    if not apps.get_model("practices", "Practice").objects.exists():
        return
    # The live rule rather than a copy of it here: a copy would be a second rule that could differ from the first.
    # It reads the current models, which this migration's state matches; a later migration that changes what the
    # rule reads will find the columns filled already.
    from awards.services.publication import practices_publicity_refresh  # noqa: PLC0415

    practices_publicity_refresh()


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0008_jury_quorum"),
        ("practices", "0005_practice_publicity"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
