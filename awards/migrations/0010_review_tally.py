"""Each review stores what the chair's ranking reads of its scores (awards.selectors.jury.review_tally_columns),
so that the ranking of a large cycle reads a row per review instead of a score per criterion. The existing
reviews are filled here in SQL of its own, the rule as it stands today, so that the migration does not depend on
live code; the receivers of awards/review_tallies.py keep the columns current from now on."""

import django.contrib.postgres.fields
from django.db import migrations, models


FILL = """
UPDATE awards_review r SET
    criterion_scores = COALESCE(
        (SELECT array_agg(s.value ORDER BY c.id)
         FROM awards_nomination n
         JOIN awards_criterion c ON c.cycle_id = n.cycle_id
         LEFT JOIN awards_score s ON s.criterion_id = c.id AND s.review_id = r.id
         WHERE n.id = r.nomination_id),
        '{}'),
    weighted_score = (
        SELECT SUM(s.value::float8 * c.weight::float8) / SUM(c.weight::float8)
        FROM awards_score s JOIN awards_criterion c ON c.id = s.criterion_id
        WHERE s.review_id = r.id AND s.value IS NOT NULL),
    score_sum = COALESCE((SELECT SUM(s.value) FROM awards_score s WHERE s.review_id = r.id), 0),
    score_count = (SELECT COUNT(s.value) FROM awards_score s WHERE s.review_id = r.id)
"""


class Migration(migrations.Migration):

    dependencies = [
        ('awards', '0009_practice_publicity'),
    ]

    operations = [
        migrations.AddField(
            model_name='review',
            name='criterion_scores',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.SmallIntegerField(null=True), default=list, editable=False, verbose_name='scores by criterion'),
        ),
        migrations.AddField(
            model_name='review',
            name='score_count',
            field=models.PositiveSmallIntegerField(default=0, editable=False, verbose_name='number of scores'),
        ),
        migrations.AddField(
            model_name='review',
            name='score_sum',
            field=models.IntegerField(default=0, editable=False, verbose_name='sum of scores'),
        ),
        migrations.AddField(
            model_name='review',
            name='weighted_score',
            field=models.FloatField(editable=False, null=True, verbose_name='weighted score'),
        ),
        migrations.RunSQL(FILL, reverse_sql=migrations.RunSQL.noop),
    ]
