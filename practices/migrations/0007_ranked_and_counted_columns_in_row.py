"""Keep the columns that ranking and the facet counts read for thousands of matches in the row, not in TOAST."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0006_practice_facet_keys"),
    ]

    operations = [
        # rank_vector and facet_keys stay in the row (compressed if need be) while the wider columns (the texts,
        # search_document, search_vector) go to the TOAST table first: ranking or counting 12,000 matches read
        # three TOAST pages for each. The UPDATE writes new values for the rows that exist (the generated vector
        # is computed again, the array rebuilt) so that they are stored so too; an unchanged value would keep its
        # place in TOAST.
        migrations.RunSQL(
            "ALTER TABLE practices_practice ALTER COLUMN rank_vector SET STORAGE MAIN, "
            "ALTER COLUMN facet_keys SET STORAGE MAIN; "
            "UPDATE practices_practice SET search_document = search_document, "
            "facet_keys = array_cat(facet_keys, '{}'::varchar[]);",
            "ALTER TABLE practices_practice ALTER COLUMN rank_vector SET STORAGE EXTENDED, "
            "ALTER COLUMN facet_keys SET STORAGE EXTENDED;",
        ),
    ]
