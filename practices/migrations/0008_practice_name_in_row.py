"""Keep the practice's name in the row: the library orders thousands of matches by it after their rank."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0007_ranked_and_counted_columns_in_row"),
    ]

    operations = [
        # With rank_vector and facet_keys held in the row (0007) a row stays above the TOAST target, so the toaster
        # moved every other column out of it, the short name too: a search ordering 12,000 matches by rank and
        # name fetched the name of each from TOAST (six buffers a row, two thirds of the page query's time).
        # MAIN keeps it in the row. The UPDATE gives the existing rows a new value, stored so; an unchanged value
        # would keep its place in TOAST.
        migrations.RunSQL(
            "ALTER TABLE practices_practice ALTER COLUMN name SET STORAGE MAIN; "
            "UPDATE practices_practice SET name = name || '';",
            "ALTER TABLE practices_practice ALTER COLUMN name SET STORAGE EXTENDED;",
        ),
    ]
