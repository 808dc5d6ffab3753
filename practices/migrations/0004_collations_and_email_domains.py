"""E-mail domains of organisations, and ICU collations to sort names in each language's alphabet.

Finnish and Swedish put å, ä, ö after z. The collations are created by the project itself, with provider = icu,
so that the same names exist and sort alike on every PostgreSQL built with ICU (the machine's 15, the production image's 18), instead of relying on the names initdb happened to
generate. A server built without ICU (the embedded 18 of scripts/devdb.py) gets none: practices/localisation.py
then orders by a key that follows the same alphabet (see there)."""

import django.db.models.deletion
import django.db.models.functions.text
from django.db import DatabaseError, migrations, models, transaction

import practices.models

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
        ("practices", "0003_search_analysis_and_evidence"),
    ]

    operations = [
        migrations.RunPython(create, drop),
        migrations.CreateModel(
            name='OrganisationDomain',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('domain', models.CharField(help_text='Only the domain, e.g. vantaa.fi. Addresses exactly at it count, not its subdomains.', max_length=253, unique=True, validators=[practices.models.validate_mail_domain], verbose_name='e-mail domain')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='email_domains', to='practices.organisation', verbose_name='organisation')),
            ],
            options={
                'verbose_name': 'e-mail domain of an organisation',
                'verbose_name_plural': 'e-mail domains of organisations',
                'ordering': ['domain'],
                'constraints': [models.CheckConstraint(condition=models.Q(('domain', django.db.models.functions.text.Lower('domain'))), name='domain_lower_case')],
            },
        ),
    ]
