"""Keep the ranked vector in the row rather than in the TOAST table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0006_practice_facet_keys"),
    ]

    operations = [
        # The ranked vector stays in the row (compressed if need be) while the wider columns go to the TOAST table
        # first: ranking 12,000 matches read three TOAST pages for each. The UPDATE rewrites the rows that exist
        # (their generated columns are computed again) so that they are stored so too.
        migrations.RunSQL(
            "ALTER TABLE practices_practice ALTER COLUMN rank_vector SET STORAGE MAIN; "
            "UPDATE practices_practice SET search_document = search_document;",
            "ALTER TABLE practices_practice ALTER COLUMN rank_vector SET STORAGE EXTENDED;",
        ),
    ]
