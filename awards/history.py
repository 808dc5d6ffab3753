"""The prize's earlier results (2013, 2017) as published cycles, so the archive is not empty on day one.

Loaded from practices/data/awards_history.csv by `manage.py load_award_history` (and by seed_demo). Idempotent:
running it again updates the same cycles, nominations and decision entries. Citations and announcement texts are
drawn from the source articles of each year."""

import csv
from collections import defaultdict
from datetime import date, datetime, time
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from practices.demo import HISTORY_TEXTS
from practices.models import Municipality, Organisation, Practice, PracticeDescription
from practices.reference_data import DATA_DIR

from .demo import AWARD_DESCRIPTION_EN, AWARD_DESCRIPTION_FI, AWARD_DESCRIPTION_SV
from .models import Announcement, Award, AwardCycle, Decision, DecisionEntry, Nomination

HISTORY_FILE = DATA_DIR / "awards_history.csv"

# Texts of each year's announcement and the jury's citations, from the articles of the time.
YEARS = {
    2013: dict(
        occasion_fi="Kuntatalo, Helsinki",
        occasion_sv="Kommunernas hus, Helsingfors",
        occasion_en="The House of Municipalities, Helsinki",
        title_fi="Imatran hyvinvointineuvola palkittiin Kunnallinen lastensuojeluteko -palkinnolla",
        title_sv="Imatras välfärdsrådgivning fick priset Kommunal barnskyddsgärning",
        title_en="Imatra's wellbeing clinic wins the Municipal child-welfare act of the year prize",
        text_fi="Ensimmäistä kertaa jaetun palkinnon sai Imatran kaupungin hyvinvointineuvola. Imatran kaupunki on "
        "onnistunut hyvinvointineuvolallaan panostamaan ennaltaehkäisevään lastensuojelutyöhön ja perheiden "
        "varhaiseen tukemiseen. Palkinnon saajan valitsi ja palkinnon luovutti Lastensuojelun Keskusliiton "
        "puheenjohtaja, professori Pentti Arajärvi Kuntatalolla torstaina 21. maaliskuuta. Ehdolla oli yhdeksän "
        "käytäntöä eri puolilta Suomea.",
        text_sv="Priset, som delades ut för första gången, gick till Imatra stads välfärdsrådgivning. Imatra har "
        "satsat på förebyggande barnskydd och tidigt stöd till familjer. Nio praxis från olika delar av Finland "
        "var nominerade.",
        text_en="The prize, awarded for the first time, went to the wellbeing clinic of the City of Imatra, which "
        "has invested in preventive child welfare and early support for families. Nine practices from around "
        "Finland were nominated.",
        citations={
            "Hyvinvointineuvola": (
                "Imatran kunnallisen hyvinvointineuvolan toimintamalli lähtee kiitettävän varhaisesta tukemisesta – "
                "jo äitiysneuvolasta ja periaatteessa kaikista äideistä. Välitön kohtaaminen tarvittaessa lapsen "
                "kotona tuottaa tulosta lastensuojelun tarpeen kevenemisenä ja lapsiperheiden hyvinvointina.",
                "Imatras välfärdsrådgivning stöder familjer berömvärt tidigt – redan från mödrarådgivningen och i "
                "princip alla mödrar. Att familjen vid behov möts genast i barnets hem minskar behovet av barnskydd "
                "och ökar barnfamiljernas välfärd.",
            ),
        },
    ),
    2017: dict(
        occasion_fi="Valtakunnalliset lastensuojelupäivät",
        occasion_sv="De nationella barnskyddsdagarna",
        occasion_en="The national child-welfare days",
        title_fi="Lastensuojelupalkinto Varkaudelle",
        title_sv="Barnskyddspriset till Varkaus",
        title_en="The child-welfare prize goes to Varkaus",
        text_fi="Varkauden ja SOS-Lapsikylän kehittämällä SOS-kumppanuusmallilla uudistetaan kaupungin "
        "lapsiperheiden palvelujärjestelmää. Varkauden malli sai Kunnallinen lastensuojeluteko -palkinnon "
        "valtakunnallisilla lastensuojelupäivillä 26. syyskuuta. Kunniamaininnalla palkittiin Hämeenlinnan "
        "lasten ja nuorten neuropsykiatrinen työryhmä sekä Vantaan lastensuojelun Instagram-tili.",
        text_sv="SOS-partnerskapsmodellen, utvecklad av Varkaus och SOS-Barnbyn, förnyar stadens tjänster för "
        "barnfamiljer. Modellen fick priset Kommunal barnskyddsgärning på de nationella barnskyddsdagarna den "
        "26 september. Hedersomnämnanden gick till Tavastehus neuropsykiatriska team och Vanda barnskydds "
        "Instagramkonto.",
        text_en="The SOS partnership model developed by Varkaus and SOS Children's Villages renews the city's services "
        "for families with children. It received the prize at the national child-welfare days on 26 September. "
        "Honourable mentions went to Hämeenlinna's neuropsychiatric team and Vantaa child welfare's Instagram "
        "account.",
        citations={
            "SOS-kumppanuusmalli": (
                "Ongelmia ehkäisevä työ kattaa kaikki lapsiperheet, ja jokaisella perheellä on nimetty "
                "omatyöntekijä. Paljon tukea tarvitsevat perheet saavat kattavan, perheen omista tarpeista "
                "lähtevän tuen yhtenä kokonaisuutena – eivät sitä, mitä sattuu olemaan tarjolla.",
                "Det förebyggande arbetet når alla barnfamiljer och varje familj har en egen kontaktperson. Familjer "
                "som behöver mycket stöd får ett helhetsstöd som utgår från familjens egna behov.",
            ),
            "Lasten ja nuorten neuropsykiatrinen työryhmä (Nepsytiimi)": (
                "Moniammatillinen Nepsytiimi vastaa neuropsykiatrisen asiantuntemuksen kasvaneeseen tarpeeseen: "
                "oireilevat lapset pääsevät nopeasti tutkimuksiin ja hoitoon ja saavat tarvitsemansa tuen.",
                "Det multiprofessionella Nepsy-teamet svarar på det ökade behovet av neuropsykiatrisk kunskap: "
                "barnen kommer snabbt till undersökning och vård och får det stöd de behöver.",
            ),
            "Lastensuojelun Instagram-tili @vantaanlastensuojelu": (
                "Instagram-tili tekee lastensuojelutyötä kaikille tutuksi, parantaa lastensuojelun julkisuuskuvaa "
                "ja madaltaa kynnystä tulla palveluihin. Kaikki toimintayksiköt ovat mukana suunnittelemassa "
                "julkaisuja.",
                "Instagramkontot gör barnskyddsarbetet känt för alla, förbättrar barnskyddets offentliga bild och "
                "sänker tröskeln att söka hjälp.",
            ),
        },
    ),
}

DESCRIPTION_FIELDS = [f.name for f in PracticeDescription._meta.fields]


def read_history(path: Path = HISTORY_FILE) -> dict[int, list[dict[str, str]]]:
    by_year: dict[int, list[dict[str, str]]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            by_year[int(row["year"])].append(row)
    return dict(by_year)


def _kind_for(name: str) -> str:
    # The same classification as practices.demo uses, so both find the same organisation rows.
    lowered = name.lower()
    if "liikelaitos" in lowered:
        return Organisation.Kind.MUNICIPAL_ENTERPRISE
    if "hyvinvointialue" in lowered:
        return Organisation.Kind.WELLBEING_COUNTY
    if "kaupunki" in lowered or "kunta" in lowered:
        return Organisation.Kind.MUNICIPALITY
    return Organisation.Kind.OTHER


def _organisation(name: str, municipalities) -> Organisation | None:
    if not name:
        return None
    organisation = Organisation.objects.filter(name=name).order_by("pk").first()
    if organisation is None:
        organisation = Organisation.objects.create(name=name, kind=_kind_for(name))
    organisation.municipalities.add(*municipalities)
    return organisation


def _practice(name: str, organisation, municipalities) -> Practice:
    practice = Practice.objects.filter(name=name).order_by("pk").first()
    if practice is None:
        texts = {k: v for k, v in HISTORY_TEXTS.get(name, {}).items() if k in DESCRIPTION_FIELDS}
        practice = Practice.objects.create(name=name, **texts)
    if organisation is not None:
        practice.organisations.add(organisation)
    practice.municipalities.add(*municipalities)
    practice.counties.add(*{m.county_id for m in municipalities if m.county_id})
    return practice


def _at_noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)), timezone.get_default_timezone())


def _award() -> Award:
    award, _created = Award.objects.get_or_create(
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
    return award


@transaction.atomic
def load_award_history(path: Path = HISTORY_FILE) -> list[AwardCycle]:
    """Create or update the historical cycles as published, with their nominations, decisions and announcements."""
    award = _award()
    cycles = []
    for year, rows in sorted(read_history(path).items()):
        texts = YEARS.get(year, {})
        announced = date.fromisoformat(rows[0]["announced_on"])
        published_at = _at_noon(announced)
        cycle, _created = AwardCycle.objects.update_or_create(
            award=award,
            year=year,
            defaults=dict(
                state=AwardCycle.State.PUBLISHED,
                results_published_at=published_at,
                announcement_on=announced,
                # Where the history names the other candidates, the year's page names them too (as in 2013).
                list_all_nominees=any(row["result"] == "nominee" for row in rows),
                occasion_fi=texts.get("occasion_fi", ""),
                occasion_sv=texts.get("occasion_sv", ""),
                occasion_en=texts.get("occasion_en", ""),
            ),
        )
        decision, _created = Decision.objects.update_or_create(
            cycle=cycle,
            defaults=dict(state=Decision.State.CONFIRMED, confirmed_at=published_at),
        )
        citations = texts.get("citations", {})
        for order, row in enumerate(rows, start=1):
            codes = [c for c in row["municipality_codes"].split(";") if c]
            municipalities = list(Municipality.objects.filter(code__in=codes))
            organisation = _organisation(row["organisation"], municipalities)
            practice = _practice(row["practice"], organisation, municipalities)
            description = {f: getattr(practice, f) for f in DESCRIPTION_FIELDS}
            nomination = Nomination.objects.filter(cycle=cycle, practice=practice).exclude(state="withdrawn").first()
            if nomination is None:
                nomination = Nomination(cycle=cycle, practice=practice)
            for field, value in description.items():
                setattr(nomination, field, value)
            nomination.organisation = organisation
            nomination.state = Nomination.State.SUBMITTED
            nomination.eligibility = Nomination.Eligibility.ELIGIBLE
            nomination.submitted_at = nomination.submitted_at or published_at
            nomination.consent_to_publish = True
            nomination.reference = f"{year}-H{order:02d}"
            nomination.save()
            if row["result"] in (DecisionEntry.Result.WINNER, DecisionEntry.Result.HONOURABLE_MENTION):
                citation_fi, citation_sv = citations.get(row["practice"], ("", ""))
                DecisionEntry.objects.update_or_create(
                    decision=decision,
                    nomination=nomination,
                    defaults=dict(result=row["result"], citation_fi=citation_fi, citation_sv=citation_sv, order=order),
                )
        if texts:
            Announcement.objects.update_or_create(
                cycle=cycle,
                defaults=dict(
                    title_fi=texts["title_fi"],
                    title_sv=texts["title_sv"],
                    title_en=texts["title_en"],
                    text_fi=texts["text_fi"],
                    text_sv=texts["text_sv"],
                    text_en=texts["text_en"],
                    # History: the nominators were told at the time; no e-mails now.
                    notifications_sent_at=published_at,
                ),
            )
        cycles.append(cycle)
    return cycles
