"""Demo nominations in the open cycle: a draft by Imatra and a submitted nomination by Vantaa.

Created through the services, as a nominator would, so the demo shows real reference numbers and audit entries.
Idempotent: a nomination that exists (found by practice name) is left as it is.
"""

from django.db import transaction

from accounts.models import User
from awards.models import AwardCycle, Nomination
from awards.services import nominations as services
from practices.models import Organisation, Practice

IMATRA_DRAFT = dict(
    organisation="Imatran kaupunki",
    user="nominator@imatra.demo.fi",
    name="Perhekuntoutuksen kotitiimi",
    summary="Kotitiimi tukee lastensuojelun avohuollon perheitä heidän omassa arjessaan kolmesta kuuteen kuukautta "
    "kestävällä intensiivijaksolla.",
    basic_idea="Perhetyöntekijä ja sosiaaliohjaaja käyvät perheen kotona useita kertoja viikossa. Tavoitteet "
    "sovitaan yhdessä lapsen ja vanhempien kanssa, ja lapsen oma ääni kirjataan jokaiseen suunnitelmaan.",
    target_group_description="Lapsiperheet, joiden arki on kuormittunut ja joille kodin ulkopuolinen sijoitus on "
    "harkinnassa.",
    start_year=2022,
    justifications=[
        "Lapsen kokemus kysytään jokaisella jaksolla lapsen ikätasoon sopivin menetelmin.",
        "",
        "",
        "",
        "",
    ],
)

VANTAA_SUBMITTED = dict(
    organisation="Vantaan kaupunki",
    user="nominator@vantaa.demo.fi",
    name="Koulun lastensuojelun yhteistyömalli",
    summary="Koulun oppilashuolto ja lastensuojelu sopivat yhteiset toimintatavat, joilla huoleen tartutaan "
    "viikossa eikä kuukausissa.",
    basic_idea="Jokaisella koululla on nimetty lastensuojelun yhteyshenkilö. Huolen herätessä koulu, huoltajat ja "
    "lastensuojelu tapaavat yhdessä lapsen kanssa, ja tuesta sovitaan samassa tapaamisessa.",
    target_group_description="Peruskouluikäiset lapset ja nuoret sekä heidän perheensä.",
    achieved_changes="Lastensuojeluilmoitusten käsittely nopeutui, ja koulupoissaoloihin puututaan aiemmin.",
    evaluation="Mallia on arvioitu oppilaiden, huoltajien ja työntekijöiden kyselyillä kahtena lukuvuonna.",
    start_year=2021,
    justifications=[
        "Lapsi on mukana tapaamisessa, ja hänen näkemyksensä kirjataan ennen päätöksiä.",
        "Huoltajat kertovat saavansa tiedon ja tuen aiemmin ja selkeämmin kuin ennen.",
        "Huoleen tartutaan koulussa ennen kuin tilanne kärjistyy; raskaammat palvelut keventyvät.",
        "Malli on kuvattu niin, että toinen kunta tai hyvinvointialue voi ottaa sen käyttöön.",
        "Kyselyiden ja ilmoitusten käsittelyaikojen seuranta osoittavat muutoksen.",
    ],
    contact_phone="+358 40 123 4567",
    contact_title="Lastensuojelun johtava sosiaalityöntekijä",
    consent_to_publish=True,
)


def _demo_nomination(cycle: AwardCycle, spec: dict, *, submit: bool) -> Nomination | None:
    user = User.objects.filter(email=spec["user"]).first()
    organisation = Organisation.objects.filter(name=spec["organisation"]).first()
    if user is None or organisation is None:
        return None
    existing = Nomination.objects.filter(cycle=cycle, name=spec["name"]).first()
    if existing is not None:
        return existing
    practice = Practice.objects.filter(name=spec["name"]).first()
    nomination = services.nomination_start(
        cycle=cycle, organisation=organisation, by=user, practice=practice, practice_name=spec["name"]
    )
    fields = {
        key: spec[key]
        for key in [
            "summary",
            "basic_idea",
            "target_group_description",
            "achieved_changes",
            "evaluation",
            "start_year",
            "contact_phone",
            "contact_title",
            "consent_to_publish",
        ]
        if key in spec
    }
    criteria = list(cycle.criteria.all())
    texts = {c.pk: text for c, text in zip(criteria, spec["justifications"], strict=False)}
    nomination = services.nomination_save(
        nomination=nomination, by=user, expected_version=nomination.version, data=fields, justifications=texts
    )
    if submit:
        nomination = services.nomination_submit(nomination=nomination, by=user).nomination
    return nomination


@transaction.atomic
def seed_nominations(cycle: AwardCycle) -> list[Nomination]:
    """A draft by Imatra's and a submitted nomination by Vantaa's demo nominator in the open cycle."""
    if not cycle.is_open_for_nominations():
        return []
    created = [
        _demo_nomination(cycle, IMATRA_DRAFT, submit=False),
        _demo_nomination(cycle, VANTAA_SUBMITTED, submit=True),
    ]
    return [n for n in created if n is not None]
