"""Demo of the decision and publication: the 2024 cycle, decided, with a confirmed decision and a prepared
announcement that is NOT published, so staff can publish it in the demo (before that /fi/palkinto/2024/ is 404)."""

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from awards.models import Announcement, Award, AwardCycle, Decision, DecisionEntry, JuryMembership, Nomination
from practices.models import Municipality, Organisation, Practice, PracticeDescription

DEMO_YEAR = 2024

DESCRIPTION_FIELDS = [f.name for f in PracticeDescription._meta.fields]

IMATRA_PRACTICE = dict(
    name="Perhetyö koulun arjessa",
    summary="Imatran perhetyöntekijät ovat koulupäivän ajan tavattavissa kouluilla, ja huoleen tartutaan samana päivänä yhdessä perheen kanssa.",
    basic_idea="Perhetyöntekijä, kuraattori ja opettaja sopivat tuesta perheen kanssa ilman lähetteitä ja jonoja.",
)

# practice name, nominating organisation, result, citation fi, citation sv, consent, nominator e-mail
NOMINATIONS = [
    (
        "Monitoimijainen perhekeskus Pohjanmaalla",
        "Pohjanmaan hyvinvointialue",
        DecisionEntry.Result.WINNER,
        "Perhekeskus kokoaa perheiden palvelut yhteen ja suunnittelee ne yhdessä asiakkaiden kanssa. Koulupoissaoloihin tartutaan ajoissa yhteisen suosituksen mukaan – juuri niin kuin ennaltaehkäisevän lastensuojelun pitää toimia.",
        "Familjecentret samlar familjernas tjänster på ett ställe och planerar dem tillsammans med klienterna. Skolfrånvaro tas upp i tid enligt en gemensam rekommendation.",
        True,
        "",
    ),
    (
        "Nuorten kehittäjäryhmä sijaishuollossa",
        "Vantaan kaupunki",
        DecisionEntry.Result.HONOURABLE_MENTION,
        "Sijaishuollossa olevat nuoret ovat mukana kehittämässä palveluja ja kouluttamassa työntekijöitä. Nuorten ääni kuuluu päätöksissä.",
        "Unga i vård utom hemmet utvecklar tjänsterna och utbildar personalen. De ungas röst hörs i besluten.",
        True,
        "nominator@vantaa.demo.fi",
    ),
    (
        "Lupa auttaa! – mentorointi ja tiimityö lastensuojelussa",
        "Varsinais-Suomen hyvinvointialue",
        DecisionEntry.Result.HONOURABLE_MENTION,
        "Mentorointi ja tiimityö pitävät aloittelevat työntekijät työssä ja turvaavat perheille pysyvät työntekijät.",
        "Mentorskap och teamarbete håller kvar nya arbetstagare och ger familjerna bestående kontakter.",
        False,
        "",
    ),
    ("Perhetyö koulun arjessa", "Imatran kaupunki", "", "", "", True, "nominator@imatra.demo.fi"),
    ("Intensiivinen päihdetyö lastensuojelun avohuollossa", "Keski-Uudenmaan hyvinvointialue", "", "", "", True, ""),
]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)), timezone.get_default_timezone())


def _organisation(name: str) -> Organisation:
    organisation = Organisation.objects.filter(name=name).order_by("pk").first()
    if organisation is None:
        kind = Organisation.Kind.WELLBEING_COUNTY if "hyvinvointialue" in name else Organisation.Kind.MUNICIPALITY
        organisation = Organisation.objects.create(name=name, kind=kind)
    return organisation


def _practice(name: str, organisation: Organisation) -> Practice:
    practice = Practice.objects.filter(name=name).order_by("pk").first()
    if practice is None:
        texts = IMATRA_PRACTICE if name == IMATRA_PRACTICE["name"] else {"name": name}
        practice = Practice.objects.create(**texts)
        practice.organisations.add(organisation)
        practice.municipalities.add(*Municipality.objects.filter(code="153"))
    return practice


@transaction.atomic
def seed_publication_demo() -> AwardCycle:
    award = Award.objects.get(slug="kunnallinen-lastensuojeluteko")
    cycle, created = AwardCycle.objects.get_or_create(
        award=award,
        year=DEMO_YEAR,
        defaults=dict(
            state=AwardCycle.State.DECIDED,
            nominations_open_at=_at(date(DEMO_YEAR, 3, 1), 9),
            nominations_close_at=_at(date(DEMO_YEAR, 5, 31), 16),
            jury_opens_at=_at(date(DEMO_YEAR, 6, 3), 9),
            jury_closes_at=_at(date(DEMO_YEAR, 8, 30), 16),
            announcement_on=date(DEMO_YEAR, 10, 2),
            occasion_fi="Valtakunnalliset lastensuojelupäivät",
            occasion_sv="De nationella barnskyddsdagarna",
            occasion_en="The national child-welfare days",
            list_all_nominees=True,
        ),
    )
    if not created:
        return cycle  # staff may have published it in the demo: leave it as it is
    jury = {"chair@demo.fi": JuryMembership.Role.CHAIR, "juror1@demo.fi": JuryMembership.Role.JUROR}
    jury |= {"juror2@demo.fi": JuryMembership.Role.JUROR, "juror3@demo.fi": JuryMembership.Role.JUROR}
    for user in User.objects.filter(email__in=jury):
        JuryMembership.objects.get_or_create(cycle=cycle, user=user, defaults={"role": jury[user.email]})
    chair = User.objects.filter(email="chair@demo.fi").first()
    decision = Decision.objects.create(
        cycle=cycle, state=Decision.State.CONFIRMED, confirmed_at=_at(date(DEMO_YEAR, 9, 5), 14), confirmed_by=chair
    )
    for order, (name, org_name, result, citation_fi, citation_sv, consent, nominator) in enumerate(NOMINATIONS, 1):
        organisation = _organisation(org_name)
        practice = _practice(name, organisation)
        nomination = Nomination(
            cycle=cycle,
            practice=practice,
            organisation=organisation,
            state=Nomination.State.SUBMITTED,
            eligibility=Nomination.Eligibility.ELIGIBLE,
            submitted_at=_at(date(DEMO_YEAR, 5, 20 + order), 12),
            reference=f"{DEMO_YEAR}-D{order:02d}",
            consent_to_publish=consent,
            contact_name="Demo Yhteyshenkilö",
            contact_email=f"yhteys{order}@example.fi",
            contact_phone=f"040 000 00{order:02d}",
            created_by=User.objects.filter(email=nominator).first() if nominator else None,
        )
        for field in DESCRIPTION_FIELDS:
            setattr(nomination, field, getattr(practice, field))
        nomination.save()
        if result:
            DecisionEntry.objects.create(
                decision=decision,
                nomination=nomination,
                result=result,
                citation_fi=citation_fi,
                citation_sv=citation_sv,
                order=order,
            )
    Announcement.objects.create(
        cycle=cycle,
        title_fi="Kunnallinen lastensuojeluteko 2024 Pohjanmaalle",
        title_sv="Kommunal barnskyddsgärning 2024 till Österbotten",
        title_en="The 2024 prize goes to Ostrobothnia",
        text_fi="Vuoden 2024 Kunnallinen lastensuojeluteko -palkinto myönnettiin Pohjanmaan hyvinvointialueen "
        "monitoimijaiselle perhekeskukselle. Kunniamaininnat saivat Vantaan nuorten kehittäjäryhmä sijaishuollossa "
        "ja Varsinais-Suomen Lupa auttaa! -ohjelma.",
        text_sv="Priset Kommunal barnskyddsgärning 2024 gick till Österbottens välfärdsområdes familjecenter. "
        "Hedersomnämnanden fick Vandas utvecklargrupp för unga i vård utom hemmet och programmet Lupa auttaa! i "
        "Egentliga Finland.",
        text_en="The 2024 prize went to the multi-agency family centre of the Ostrobothnia wellbeing services "
        "county. Honourable mentions went to Vantaa's youth development group in foster care and Southwest "
        "Finland's Lupa auttaa! programme.",
    )
    return cycle
