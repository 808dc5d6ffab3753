"""The public rule's result stored on each practice (written by awards, see awards 0009), and the index that counts
the public practices without reading their rows."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0004_collations_and_email_domains"),
    ]

    operations = [
        migrations.AddField(
            model_name="practice",
            name="listed_from",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="listed by an award result from"
            ),
        ),
        migrations.AddField(
            model_name="practice",
            name="description_from",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="description public by consent from"
            ),
        ),
        migrations.AddField(
            model_name="practice",
            name="description_withheld",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="description withheld by its nominator"
            ),
        ),
        migrations.AddIndex(
            model_name="practice",
            index=models.Index(
                condition=models.Q(("is_public", True), ("listed_from__isnull", False), _connector="OR"),
                fields=["is_public", "listed_from"],
                include=("id", "evidence_level", "description_withheld", "description_from"),
                name="practice_listed_idx",
            ),
        ),
    ]
