"""Demo content of the awards app: the prize, the current year's cycle with its criteria and its jury.

Each area adds its own demo module here and is called from `seed_demo` in order.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from awards.models import Award, AwardCycle, Criterion, JuryMembership

AWARD_DESCRIPTION_FI = (
    "Kunnallinen lastensuojeluteko -palkinnolla nostetaan esiin kunnissa ja hyvinvointialueilla tehtävää "
    "lastensuojelun kehittämistyötä ja hyviä käytäntöjä sekä muistutetaan ennalta ehkäisevän työn tärkeydestä. "
    "Palkinnon myöntävät Lastensuojelun Keskusliitto, Kuntaliitto ja Huoltaja-säätiö."
)
AWARD_DESCRIPTION_SV = (
    "Priset Kommunal barnskyddsgärning lyfter fram utvecklingsarbete och goda praxis inom barnskyddet i kommuner "
    "och välfärdsområden och påminner om hur viktigt det förebyggande arbetet är."
)
AWARD_DESCRIPTION_EN = (
    "The Municipal child-welfare act of the year prize raises up good child-welfare practices developed in "
    "Finnish municipalities and wellbeing services counties, and reminds us how much preventive work matters."
)

# The criteria known from the prize's calls (2013 and 2015), as default weighted criteria.
DEFAULT_CRITERIA = [
    (
        ("Lapsen etu", "Barnets bästa", "The child's best interest"),
        (
            "Miten käytäntö edistää lapsen etua ja lapsen näkökulmaa?",
            "Hur främjar praxisen barnets bästa och barnets perspektiv?",
            "How does the practice further the child's best interest and the child's point of view?",
        ),
        Decimal("2.0"),
    ),
    (
        (
            "Perheen ja asiakkaan näkökulma",
            "Familjens och klientens perspektiv",
            "The family's and client's perspective",
        ),
        (
            "Miten perheet ja asiakkaat ovat mukana ja miten heidän kokemuksensa on muuttunut?",
            "Hur deltar familjerna och klienterna, och hur har deras erfarenheter förändrats?",
            "How are families and clients involved, and how has their experience changed?",
        ),
        Decimal("1.5"),
    ),
    (
        ("Ennaltaehkäisevä työ", "Förebyggande arbete", "Preventive work"),
        (
            "Ehkäiseekö käytäntö ongelmia ajoissa ja kevenevätkö raskaammat palvelut?",
            "Förebygger praxisen problem i tid, och minskar behovet av tyngre tjänster?",
            "Does the practice prevent problems early, and does the need for heavier services decrease?",
        ),
        Decimal("1.5"),
    ),
    (
        ("Lastensuojelun kehittäminen", "Utveckling av barnskyddet", "Development of child welfare"),
        (
            "Mitä uutta käytäntö tuo ja voiko sen ottaa käyttöön muualla?",
            "Vad nytt för praxisen med sig, och kan den tas i bruk på andra håll?",
            "What does the practice bring that is new, and can it be adopted elsewhere?",
        ),
        Decimal("1.0"),
    ),
    (
        ("Vaikuttavuus ja näyttö", "Effekt och belägg", "Impact and evidence"),
        (
            "Mitä muutoksia on saatu aikaan ja miten niitä on arvioitu?",
            "Vilka förändringar har man åstadkommit och hur har de utvärderats?",
            "What changes have been achieved, and how have they been evaluated?",
        ),
        Decimal("1.0"),
    ),
]


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)), timezone.get_default_timezone())


def create_default_criteria(cycle: AwardCycle) -> None:
    for order, ((fi, sv, en), (guide_fi, guide_sv, guide_en), weight) in enumerate(DEFAULT_CRITERIA, start=1):
        Criterion.objects.create(
            cycle=cycle,
            order=order,
            name_fi=fi,
            name_sv=sv,
            name_en=en,
            guidance_fi=guide_fi,
            guidance_sv=guide_sv,
            guidance_en=guide_en,
            weight=weight,
        )


@transaction.atomic
def seed_award() -> tuple[Award, AwardCycle]:
    award, _created = Award.objects.update_or_create(
        slug="kunnallinen-lastensuojeluteko",
        defaults=dict(
            name_fi="Kunnallinen lastensuojeluteko",
            name_sv="Kommunal barnskyddsgärning",
            name_en="Municipal child-welfare act of the year",
            organisers="Lastensuojelun Keskusliitto, Kuntaliitto, Huoltaja-säätiö",
            description_fi=AWARD_DESCRIPTION_FI,
            description_sv=AWARD_DESCRIPTION_SV,
            description_en=AWARD_DESCRIPTION_EN,
        ),
    )
    today = timezone.localdate()
    cycle, created = AwardCycle.objects.get_or_create(
        award=award,
        year=today.year,
        defaults=dict(
            state=AwardCycle.State.OPEN,
            nominations_open_at=_at(today - timedelta(days=30), 9),
            nominations_close_at=_at(today + timedelta(days=30), 16),
            jury_opens_at=_at(today + timedelta(days=31), 9),
            jury_closes_at=_at(today + timedelta(days=60), 16),
            announcement_on=today + timedelta(days=75),
            occasion_fi="Valtakunnalliset lastensuojelupäivät",
            occasion_sv="De nationella barnskyddsdagarna",
            occasion_en="The national child-welfare days",
            prize_fi="1000 euron matka-apuraha kansainväliseen kokemusten vaihtoon.",
            prize_sv="Ett resestipendium på 1000 euro för internationellt erfarenhetsutbyte.",
            prize_en="A travel grant of 1000 euros for international exchange.",
            eligibility_fi="Ehdokkaita voivat esittää kunnat, hyvinvointialueet, kuntayhtymät ja muut julkiset "
            "toimijat. Käytännön on oltava käytössä Suomessa.",
            eligibility_sv="Kommuner, välfärdsområden, samkommuner och andra offentliga aktörer kan nominera.",
            eligibility_en="Municipalities, wellbeing services counties, joint authorities and other public bodies "
            "may nominate. The practice must be in use in Finland.",
        ),
    )
    if created:
        create_default_criteria(cycle)
    jury = {
        "chair@demo.fi": JuryMembership.Role.CHAIR,
        "juror1@demo.fi": JuryMembership.Role.JUROR,
        "juror2@demo.fi": JuryMembership.Role.JUROR,
        "juror3@demo.fi": JuryMembership.Role.JUROR,
    }
    for user in User.objects.filter(email__in=jury):
        JuryMembership.objects.update_or_create(cycle=cycle, user=user, defaults={"role": jury[user.email]})
    return award, cycle
