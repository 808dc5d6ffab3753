"""Demo and history content of the practice library: the prize's earlier results and a few realistic practices.

Texts are drawn from the source articles in ../shared/seeds (news of the prize 2013 and 2017, LAPE work in
Ostrobothnia, the Lupa auttaa! programme in Southwest Finland and the Tulevaisuuden lastensuojelu project).
"""

import csv
from dataclasses import dataclass, field

from django.db import transaction

from .models import Municipality, Organisation, Practice, TargetGroup, Theme
from .reference_data import DATA_DIR

# Descriptions of the historical practices, from the articles.
HISTORY_TEXTS = {
    "Hyvinvointineuvola": dict(
        summary="Imatran hyvinvointineuvola tukee perheitä varhain, jo äitiysneuvolasta alkaen, ja kohtaa perheen "
        "tarvittaessa heti lapsen kotona.",
        basic_idea="Neuvolan terveydenhoitajat, perhetyöntekijät ja sosiaalityö toimivat yhtenä tiiminä. Tuki "
        "tarjotaan periaatteessa kaikille äideille ja perheille, ja välitön kohtaaminen kotona tapahtuu, kun "
        "huoli herää.",
        achieved_changes="Lastensuojelun tarve on keventynyt ja lapsiperheiden hyvinvointi parantunut.",
        themes=["ennaltaehkaisy", "neuvolat", "perhetyo"],
        groups=["vauvaperheet", "lapsiperheet"],
    ),
    "SOS-kumppanuusmalli": dict(
        summary="Varkauden ja SOS-Lapsikylän kumppanuusmalli uudistaa kaupungin lapsiperheiden palvelujärjestelmää: "
        "jokaisella perheellä on nimetty omatyöntekijä.",
        basic_idea="Alle kouluikäisen lapsen perheelle nimetään omatyöntekijä neuvolasta, kouluikäisen koulun "
        "terveydenhoitaja. Omatyöntekijä on väylä kaikkiin lapsiperheiden palveluihin. Paljon tukea tarvitseville "
        "perheille on perhekumppanipalvelu: perhekumppani jalkautuu perheen arkeen ja kuuntelee perhettä.",
        achieved_changes="Perheet saavat tarpeitaan vastaavaa tukea yhtenä kokonaisuutena, eivät sitä, mitä sattuu "
        "olemaan tarjolla.",
        themes=["ennaltaehkaisy", "perhetyo", "moniammatillisuus"],
        groups=["lapsiperheet"],
    ),
    "Lasten ja nuorten neuropsykiatrinen työryhmä (Nepsytiimi)": dict(
        summary="Hämeenlinnan moniammatillinen Nepsytiimi konsultoi ja ohjaa neuropsykiatrisesti oireilevat lapset "
        "nopeasti tutkimuksiin, hoitoon ja tukeen.",
        basic_idea="Tiimissä on oppilashuollon, perheneuvolan ja erityisvarhaiskasvatuksen asiantuntijoita. "
        "Konsultaation ja jatkosuunnitelman perusteella lapsi saa tarvitsemansa tuen.",
        themes=["moniammatillisuus", "mielenterveys", "koulu"],
        groups=["kouluikaiset", "lapsiperheet"],
    ),
    "Lastensuojelun Instagram-tili @vantaanlastensuojelu": dict(
        summary="Vantaan lastensuojelun Instagram-tili tekee lastensuojelutyötä tutuksi ja madaltaa kynnystä hakea "
        "apua.",
        basic_idea="Kaikki lastensuojelun toimintayksiköt suunnittelevat julkaisuja yhdessä somevastaavien kanssa.",
        intended_changes="Lastensuojelun julkisuuskuva paranee ja kynnys tulla palveluihin madaltuu.",
        themes=["viestinta"],
        groups=["nuoret", "vanhemmat"],
    ),
}


@dataclass
class DemoPractice:
    name: str
    organisation: str
    kind: str
    municipality_codes: list[str]
    summary: str
    basic_idea: str
    achieved_changes: str = ""
    themes: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    start_year: int | None = None
    language: str = "fi"


DEMO_PRACTICES = [
    DemoPractice(
        name="Monitoimijainen perhekeskus Pohjanmaalla",
        organisation="Pohjanmaan hyvinvointialue",
        kind=Organisation.Kind.WELLBEING_COUNTY,
        municipality_codes=["905", "499"],
        summary="Perhekeskus kokoaa neuvolan, varhaiskasvatuksen, koulun ja sosiaalityön palvelut perheille yhteen "
        "paikkaan.",
        basic_idea="Kehittäjäryhmät ja asiakkaat suunnittelevat palvelut yhdessä. Koulupoissaoloihin puututaan "
        "yhteisen suosituksen mukaan ajoissa.",
        achieved_changes="Perheet löytävät tuen helpommin, ja koulupoissaoloihin reagoidaan aiemmin.",
        themes=["moniammatillisuus", "koulu", "osallisuus"],
        groups=["lapsiperheet", "kouluikaiset"],
        start_year=2017,
    ),
    DemoPractice(
        name="Lupa auttaa! – mentorointi ja tiimityö lastensuojelussa",
        organisation="Varsinais-Suomen hyvinvointialue",
        kind=Organisation.Kind.WELLBEING_COUNTY,
        municipality_codes=["853"],
        summary="Aloittelevat lastensuojelun työntekijät saavat oman mentorin, ja työtä tehdään tiimissä "
        "asiakasperheen kanssa.",
        basic_idea="Tiimi jakaa vastuun perheen asioista; esihenkilöt saavat säännöllistä tukea ja valmennusta. "
        "Kaltoinkohtelutilanteissa viranomaiset toimivat nopeasti LASTA-yhteistyömallin mukaan.",
        themes=["johtaminen", "moniammatillisuus"],
        groups=["ammattilaiset", "lapsiperheet"],
        start_year=2019,
    ),
    DemoPractice(
        name="Intensiivinen päihdetyö lastensuojelun avohuollossa",
        organisation="Keski-Uudenmaan hyvinvointialue",
        kind=Organisation.Kind.WELLBEING_COUNTY,
        municipality_codes=["186", "858"],
        summary="Lastensuojelun avohuollon perheet saavat päihdehuollon intensiivistä tukea saman tiimin kautta.",
        basic_idea="Sosiaalityö, päihdepalvelut ja lasten mielenterveyspalvelut muodostavat yhteisen palveluketjun "
        "vanhemmille ja nuorille.",
        themes=["mielenterveys", "moniammatillisuus"],
        groups=["vanhemmat", "nuoret"],
        start_year=2020,
    ),
    DemoPractice(
        name="Nuorten kehittäjäryhmä sijaishuollossa",
        organisation="Vantaan ja Keravan hyvinvointialue",
        kind=Organisation.Kind.WELLBEING_COUNTY,
        municipality_codes=["092", "245"],
        summary="Sijaishuollossa olevat nuoret kehittävät palveluja yhdessä työntekijöiden kanssa kokemusasiantuntijoina.",
        basic_idea="Ryhmä kokoontuu kuukausittain, kommentoi ohjeita ja kouluttaa uusia työntekijöitä.",
        achieved_changes="Nuorten ääni kuuluu päätöksissä, ja ohjeet ovat selkeämpiä.",
        themes=["osallisuus", "sijaishuolto"],
        groups=["sijoitetut", "nuoret"],
        start_year=2021,
    ),
    DemoPractice(
        name="Familjecentrets öppna dialog",
        organisation="Österbottens välfärdsområde",
        kind=Organisation.Kind.WELLBEING_COUNTY,
        municipality_codes=["893"],
        summary="Familjer möts tidigt i öppna dialogmöten där barnet, föräldrarna och nätverket deltar.",
        basic_idea="Ett team sammankallar nätverket inom en vecka när oro väcks.",
        themes=["ennaltaehkaisy", "perhetyo"],
        groups=["lapsiperheet"],
        start_year=2018,
        language="sv",
    ),
]


def _organisation(name: str, kind: str, municipality_codes: list[str]) -> Organisation:
    org, _created = Organisation.objects.get_or_create(name=name, kind=kind)
    if municipality_codes:
        org.municipalities.add(*Municipality.objects.filter(code__in=municipality_codes))
        counties = {m.county_id for m in Municipality.objects.filter(code__in=municipality_codes) if m.county_id}
        if kind == Organisation.Kind.WELLBEING_COUNTY:
            org.counties.add(*counties)
    return org


def _kind_for(name: str) -> str:
    lowered = name.lower()
    if "liikelaitos" in lowered:
        return Organisation.Kind.MUNICIPAL_ENTERPRISE
    if "hyvinvointialue" in lowered:
        return Organisation.Kind.WELLBEING_COUNTY
    if "kaupunki" in lowered or "kunta" in lowered:
        return Organisation.Kind.MUNICIPALITY
    return Organisation.Kind.OTHER


def _practice(name: str, *, organisations, municipality_codes, public: bool, **texts) -> Practice:
    themes = texts.pop("themes", [])
    groups = texts.pop("groups", [])
    practice = Practice.objects.filter(name=name).first()
    if practice is None:
        practice = Practice(name=name)
    for key, value in texts.items():
        setattr(practice, key, value)
    practice.is_public = practice.is_public or public
    practice.save()
    practice.organisations.add(*organisations)
    municipalities = list(Municipality.objects.filter(code__in=municipality_codes))
    practice.municipalities.add(*municipalities)
    practice.counties.add(*{m.county_id for m in municipalities if m.county_id})
    practice.themes.add(*Theme.objects.filter(slug__in=themes))
    practice.target_groups.add(*TargetGroup.objects.filter(slug__in=groups))
    return practice


def history_rows() -> list[dict[str, str]]:
    with (DATA_DIR / "awards_history.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@transaction.atomic
def seed_practices() -> int:
    """Create the historical and demo practices with their organisations; returns how many practices exist."""
    for row in history_rows():
        codes = [c for c in row["municipality_codes"].split(";") if c]
        organisations = []
        if row["organisation"]:
            organisations.append(_organisation(row["organisation"], _kind_for(row["organisation"]), codes))
        texts = dict(HISTORY_TEXTS.get(row["practice"], {}))
        _practice(row["practice"], organisations=organisations, municipality_codes=codes, public=True, **texts)
    for demo in DEMO_PRACTICES:
        org = _organisation(demo.organisation, demo.kind, demo.municipality_codes)
        _practice(
            demo.name,
            organisations=[org],
            municipality_codes=demo.municipality_codes,
            public=True,
            summary=demo.summary,
            basic_idea=demo.basic_idea,
            achieved_changes=demo.achieved_changes,
            themes=demo.themes,
            groups=demo.groups,
            start_year=demo.start_year,
            language=demo.language,
        )
    return Practice.objects.count()
