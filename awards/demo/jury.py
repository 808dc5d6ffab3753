"""Demo of jury work: last year's cycle in jury scoring, six submitted nominations, and reviews in progress.

One nomination is by Vantaan kaupunki, so juror1@demo.fi (a member of it) is in conflict with it and never sees it.
Idempotent: existing reviews are left as they are, so what a tester scored survives a re-run.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from awards.models import (
    Award,
    AwardCycle,
    Criterion,
    CriterionJustification,
    JuryMembership,
    Nomination,
    Review,
    Score,
)
from awards.services.jury import reviews_tally_refresh
from practices.models import Municipality, Organisation, Practice

from . import create_default_criteria

DESCRIPTION_FIELDS = [
    "summary",
    "basic_idea",
    "target_group_description",
    "operating_environment",
    "achieved_changes",
    "evaluation",
    "start_year",
    "language",
]

VANTAA_PRACTICE = dict(
    name="Koulun perhetyöntekijät Vantaalla",
    summary="Jokaisella vantaalaisella yläkoululla on perhetyöntekijä, joka tukee perhettä heti, kun huoli lapsen "
    "koulunkäynnistä herää – ennen kuin tarvitaan lastensuojelua.",
    basic_idea="Perhetyöntekijä kuuluu koulun oppilashuoltoon. Hän tapaa nuoren ja vanhemmat kotona tai koululla, "
    "puuttuu koulupoissaoloihin ajoissa ja ohjaa perheen tarvittaessa hyvinvointialueen palveluihin yhdessä "
    "perheen kanssa.",
    target_group_description="Yläkouluikäiset nuoret ja heidän perheensä.",
    operating_environment="Vantaan kaupungin yläkoulut yhdessä Vantaan ja Keravan hyvinvointialueen kanssa.",
    achieved_changes="Koulupoissaoloihin puututaan viikoissa eikä kuukausissa, ja lastensuojeluilmoitukset "
    "koulusta ovat vähentyneet.",
    evaluation="Seurantaa tehdään poissaolotilastoilla ja perheiltä kerättävällä palautteella.",
    start_year=2022,
)

# Practice name → (nominating organisation, contact person, title)
NOMINATIONS = [
    (
        "Monitoimijainen perhekeskus Pohjanmaalla",
        "Pohjanmaan hyvinvointialue",
        "Sari Mäki",
        "perhekeskuskoordinaattori",
    ),
    (
        "Lupa auttaa! – mentorointi ja tiimityö lastensuojelussa",
        "Varsinais-Suomen hyvinvointialue",
        "Mikko Laine",
        "lastensuojelun johtava sosiaalityöntekijä",
    ),
    (
        "Intensiivinen päihdetyö lastensuojelun avohuollossa",
        "Keski-Uudenmaan hyvinvointialue",
        "Hanna Virtanen",
        "palveluesihenkilö",
    ),
    ("Nuorten kehittäjäryhmä sijaishuollossa", "Vantaan ja Keravan hyvinvointialue", "Leena Koski", "kehittäjä"),
    ("Familjecentrets öppna dialog", "Österbottens välfärdsområde", "Anna Sjöberg", "familjearbetare"),
    (VANTAA_PRACTICE["name"], "Vantaan kaupunki", "Ville Vantaalainen", "oppilashuollon päällikkö"),
]

# Juror → list of (practice index, scores per criterion or None to abstain, submitted?, overall comment)
REVIEWS = {
    "chair@demo.fi": [
        (0, [5, 4, 5, 4, 3], True, "Laaja yhteistyö, vaikuttavuudesta vielä vähän näyttöä."),
        (1, [4, 3, 3, 5, 4], True, "Tärkeä työntekijöiden pysyvyydelle."),
        (5, [4, 4, 5, 3, 3], True, ""),
        # The chair scores every nomination, so the ranking is open to them (blind scoring: it opens after the
        # chair's own reviews).
        (2, [4, 4, 4, 4, 4], True, ""),
        (3, [3, 4, 3, 3, 4], True, ""),
        (4, [4, 3, 4, 4, 3], True, ""),
    ],
    "juror1@demo.fi": [
        (0, [4, 4, 4, 3, 3], True, "Hyvä kokonaisuus."),
        (2, [5, 5, 4, 4, 4], True, "Perheet ovat mukana koko ajan."),
        (3, [3, 4, 2, 3, None], False, ""),
    ],
    "juror2@demo.fi": [
        (0, [5, 5, 5, 4, 4], True, ""),
        (1, [2, 2, 3, 4, 2], True, "Työntekijänäkökulma vahva, lapsen ääni jää ohueksi."),
        (2, [4, 3, 4, 4, 5], True, ""),
        (3, [5, 5, 3, 4, 3], True, "Nuorten oma ääni kuuluu."),
        (4, [4, 5, 4, 3, 3], True, ""),
        (5, [3, 3, 4, 3, 2], True, ""),
    ],
    "juror3@demo.fi": [
        (0, [4, 3, 5, 4, 4], True, ""),
        (1, [5, 4, 4, 5, 5], True, "Mentorointi kannattaa levittää."),
        (2, None, True, "Olen toiminut hankkeen ohjausryhmässä."),
        (4, [3, 4, 3, 3, None], False, ""),
    ],
}


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)), timezone.get_default_timezone())


def _vantaa_practice(organisation: Organisation) -> Practice:
    practice = Practice.objects.filter(name=VANTAA_PRACTICE["name"]).first()
    if practice is None:
        practice = Practice.objects.create(**VANTAA_PRACTICE)
        practice.organisations.add(organisation)
        vantaa = Municipality.objects.filter(code="092").first()
        if vantaa is not None:
            practice.municipalities.add(vantaa)
    return practice


def _cycle(award: Award) -> AwardCycle:
    today = timezone.localdate()
    year = today.year - 1
    cycle, created = AwardCycle.objects.get_or_create(
        award=award,
        year=year,
        defaults=dict(
            state=AwardCycle.State.SCORING,
            nominations_open_at=_at(today.replace(year=year, month=1, day=15), 9),
            nominations_close_at=_at(today.replace(year=year, month=3, day=31), 16),
            jury_opens_at=_at(today - timedelta(days=7), 9),
            jury_closes_at=_at(today + timedelta(days=30), 16),
            occasion_fi="Valtakunnalliset lastensuojelupäivät",
            prize_fi="1000 euron matka-apuraha kansainväliseen kokemusten vaihtoon.",
            score_visibility=AwardCycle.ScoreVisibility.AFTER_OWN_REVIEW,
        ),
    )
    if created:
        create_default_criteria(cycle)
    return cycle


def _nominations(cycle: AwardCycle) -> list[Nomination]:
    nominations = []
    for number, (practice_name, organisation_name, contact, title) in enumerate(NOMINATIONS, start=1):
        organisation = Organisation.objects.filter(name=organisation_name).order_by("pk").first()
        if organisation is None:
            continue
        if practice_name == VANTAA_PRACTICE["name"]:
            practice = _vantaa_practice(organisation)
        else:
            practice = Practice.objects.filter(name=practice_name).first()
            if practice is None:
                continue
        nomination = Nomination.objects.filter(cycle=cycle, practice=practice).first()
        if nomination is None:
            nomination = Nomination(
                cycle=cycle,
                practice=practice,
                organisation=organisation,
                name=practice.name,
                reference=f"LST-{cycle.year}-{number:04d}",
                state=Nomination.State.SUBMITTED,
                eligibility=Nomination.Eligibility.ELIGIBLE,
                submitted_at=cycle.nominations_close_at - timedelta(days=number),
                contact_name=contact,
                contact_title=title,
                contact_email=f"{contact.split()[0].lower()}@example.fi",
                consent_to_publish=True,
            )
            for name in DESCRIPTION_FIELDS:
                setattr(nomination, name, getattr(practice, name))
            nomination.save()
        _what_the_nominator_wrote(nomination, organisation)
        nominations.append(nomination)
    return nominations


def _what_the_nominator_wrote(nomination: Nomination, organisation: Organisation) -> None:
    """The parts a nominator must give and the jury reads beside the scores: a justification per criterion and
    the places where the practice works."""
    for criterion in Criterion.objects.filter(cycle=nomination.cycle).order_by("order", "pk"):
        CriterionJustification.objects.get_or_create(
            nomination=nomination,
            criterion=criterion,
            defaults={
                "text": f"{nomination.name}: {criterion.name_fi.lower()} näkyy arjessa. Kuvaamme tässä, miten "
                "toimintamalli vastaa kriteeriin, mitä siitä on opittu ja mitä muutoksia lapset ja perheet ovat "
                "kertoneet."
            },
        )
    nomination.practice_organisations.add(organisation)
    nomination.municipalities.add(*organisation.municipalities.all())
    nomination.counties.add(*organisation.counties.all())


def _reviews(cycle: AwardCycle, nominations: list[Nomination]) -> int:
    criteria = list(Criterion.objects.filter(cycle=cycle).order_by("order", "pk"))
    users = {u.email: u for u in User.objects.filter(email__in=REVIEWS)}
    created = 0
    now = timezone.now()
    for email, reviews in REVIEWS.items():
        juror = users.get(email)
        if juror is None:
            continue
        for index, values, submitted, comment in reviews:
            if index >= len(nominations) or Review.objects.filter(juror=juror, nomination=nominations[index]).exists():
                continue
            abstain = values is None
            review = Review.objects.create(
                juror=juror,
                nomination=nominations[index],
                state=Review.State.SUBMITTED if submitted else Review.State.DRAFT,
                submitted_at=now if submitted else None,
                first_submitted_at=now if submitted else None,
                abstain=abstain,
                abstain_reason=comment if abstain else "",
                overall_comment="" if abstain else comment,
                version=1,
            )
            Score.objects.bulk_create(
                Score(review=review, criterion=c, value=v, scale_min=c.scale_min, scale_max=c.scale_max)
                for c, v in zip(criteria, values or [], strict=False)
            )
            created += 1
    # bulk_create sends no signals: the scores' tally for the ranking is written here.
    reviews_tally_refresh(reviews=Review.objects.filter(nomination__cycle=cycle))
    return created


@transaction.atomic
def seed_jury(award: Award) -> AwardCycle:
    """Last year's cycle in jury scoring with its jury (chair + juror1..3), nominations and reviews."""
    cycle = _cycle(award)
    jury = {
        "chair@demo.fi": JuryMembership.Role.CHAIR,
        "juror1@demo.fi": JuryMembership.Role.JUROR,
        "juror2@demo.fi": JuryMembership.Role.JUROR,
        "juror3@demo.fi": JuryMembership.Role.JUROR,
    }
    for user in User.objects.filter(email__in=jury):
        JuryMembership.objects.update_or_create(cycle=cycle, user=user, defaults={"role": jury[user.email]})
    nominations = _nominations(cycle)
    _reviews(cycle, nominations)
    return cycle
