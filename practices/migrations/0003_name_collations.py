"""ICU collations for sorting names in each language's alphabet (Finnish and Swedish put å, ä, ö after z).

Created by the project itself, with provider = icu, so that the same names exist and sort alike on every PostgreSQL
built with ICU (the machine's 15, the production image's 18), instead of relying on the names initdb happened to
generate. A server built without ICU (the embedded 18 of scripts/devdb.py) gets none: practices/localisation.py
then orders by a key that follows the same alphabet (see there)."""

from django.db import DatabaseError, migrations, transaction

COLLATIONS = {"lst_fi": "fi-FI", "lst_sv": "sv-FI", "lst_en": "en-GB"}


def create(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for name, locale in COLLATIONS.items():
            try:
                with transaction.atomic(using=schema_editor.connection.alias):
                    cursor.execute(f'CREATE COLLATION IF NOT EXISTS "{name}" (provider = icu, locale = \'{locale}\')')
            except DatabaseError:  # "ICU is not supported in this build"
                return


def drop(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for name in COLLATIONS:
            cursor.execute(f'DROP COLLATION IF EXISTS "{name}"')


class Migration(migrations.Migration):

    dependencies = [
        ("practices", "0002_practice_name_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
