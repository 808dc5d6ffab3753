"""Open data: the public practices and award results as downloadable datasets (CSV and JSON, CC BY 4.0), their
README of fields, and the DCAT-AP catalogue (JSON-LD, in Finnish, Swedish and English) that avoindata.fi harvests.

Every row comes from awards' public_practices() and public_nominations_with_outcome(), the one rule for what the
public may see, exactly as the library pages and the API. Nothing personal is in them: the nominations' contact
persons, nominators and jury are never read here, only practices, organisations, places and the jury's citations.
"""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Max, Prefetch
from django.urls import reverse
from django.utils import timezone

from awards.exports import formula_safe
from awards.models import Decision, DecisionEntry
from awards.selectors.publication import public_nominations_with_outcome, public_practices, withhold_descriptions

from .selectors import award_history_prefetch

LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENSE_TITLE = {
    "fi": "Creative Commons Nimeä 4.0 Kansainvälinen (CC BY 4.0)",
    "sv": "Creative Commons Erkännande 4.0 Internationell (CC BY 4.0)",
    "en": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
}
PUBLISHER = {
    "fi": "Lastensuojelun Keskusliitto",
    "sv": "Centralförbundet för Barnskydd",
    "en": "Central Union for Child Welfare",
}
PUBLISHER_URL = "https://www.lskl.fi/"
ATTRIBUTION = {
    "fi": "Lähde: Kunnallinen lastensuojeluteko -palkinnon käytäntökirjasto (Lastensuojelun Keskusliitto), CC BY 4.0",
    "sv": "Källa: Praxisbiblioteket för priset Kunnallinen lastensuojeluteko (Centralförbundet för Barnskydd), "
    "CC BY 4.0",
    "en": "Source: the practice library of the Kunnallinen lastensuojeluteko prize (Central Union for Child Welfare), "
    "CC BY 4.0",
}
LANGUAGES = ("fi", "sv", "en")
# Multi-valued fields are joined with this in CSV (lists in JSON).
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Field:
    name: str
    fi: str
    sv: str
    en: str


PRACTICE_FIELDS = [
    Field("slug", "Käytännön pysyvä tunniste", "Praxisens bestående identifierare", "Permanent identifier"),
    Field("name", "Käytännön nimi", "Praxisens namn", "Name of the practice"),
    Field("language", "Kuvauksen kieli (fi, sv, en)", "Beskrivningens språk (fi, sv, en)", "Language of the text"),
    Field("summary", "Lyhyt kuvaus", "Kort beskrivning", "Short description"),
    Field("basic_idea", "Perusajatus", "Grundidé", "Basic idea"),
    Field("target_group_description", "Kohderyhmät", "Målgrupper", "Target groups"),
    Field("operating_environment", "Toimintaympäristö", "Verksamhetsmiljö", "Operating environment"),
    Field("intended_changes", "Tavoitellut muutokset", "Eftersträvade förändringar", "Intended changes"),
    Field("achieved_changes", "Saavutetut muutokset", "Uppnådda förändringar", "Achieved changes"),
    Field("evaluation", "Arviointi ja näyttö", "Utvärdering och evidens", "Evaluation and evidence"),
    Field("resources", "Resurssit ja kustannukset", "Resurser och kostnader", "Resources and cost"),
    Field("adoption_conditions", "Käyttöönoton edellytykset", "Förutsättningar för införande", "Conditions"),
    Field("start_year", "Aloitusvuosi", "Startår", "Start year"),
    Field("funder", "Rahoittaja", "Finansiär", "Funder"),
    Field("innokyla_url", "Linkki Innokylään", "Länk till Innokylä", "Link to Innokylä"),
    Field(
        "organisations",
        "Organisaatiot (nimi ja Y-tunnus)",
        "Organisationer (namn och FO-nummer)",
        "Organisations (name and business ID)",
    ),
    Field(
        "municipalities",
        "Kunnat, Tilastokeskuksen kuntanumerot",
        "Kommuner, Statistikcentralens kommunnummer",
        "Municipalities, Statistics Finland codes",
    ),
    Field("counties", "Hyvinvointialueiden koodit", "Välfärdsområdenas koder", "Wellbeing services county codes"),
    Field("themes", "Teemat (tunnisteet)", "Teman (identifierare)", "Themes (identifiers)"),
    Field("target_groups", "Kohderyhmät (tunnisteet)", "Målgrupper (identifierare)", "Target groups (identifiers)"),
    Field(
        "evidence_level",
        "Näytön taso Itlan Kasvun tuki -asteikolla, jos arvioitu",
        "Evidensnivå på Itlas Kasvun tuki-skala, om bedömd",
        "Evidence level on Itla's Kasvun tuki scale, if rated",
    ),
    Field("evidence_rated_by", "Arvioinnin tekijä", "Bedömningens utförare", "Rated by"),
    Field("evidence_rated_on", "Arvioinnin päivämäärä", "Bedömningens datum", "Date of the rating"),
    Field("evidence_url", "Linkki arviointiin", "Länk till bedömningen", "Link to the rating"),
    Field(
        "awards",
        "Julkaistut palkintotulokset: vuosi:tulos",
        "Publicerade prisresultat: år:resultat",
        "Published award results: year:result",
    ),
    Field("web_url", "Käytännön sivu kirjastossa", "Praxisens sida i biblioteket", "The practice's page"),
    Field("updated_at", "Viimeksi muutettu", "Senast ändrad", "Last changed"),
]

RESULT_FIELDS = [
    Field("year", "Palkintovuosi", "Prisår", "Award year"),
    Field(
        "result",
        "Tulos: winner, honourable_mention, finalist tai nominee",
        "Resultat: winner, honourable_mention, finalist eller nominee",
        "Result: winner, honourable_mention, finalist or nominee",
    ),
    Field("practice", "Käytännön tunniste (slug)", "Praxisens identifierare (slug)", "Identifier of the practice"),
    Field("name", "Käytännön nimi ehdotettaessa", "Praxisens namn vid nomineringen", "Name as nominated"),
    Field("organisation", "Ehdottanut organisaatio", "Nominerande organisation", "Nominating organisation"),
    Field("citation_fi", "Tuomariston perustelu suomeksi", "Juryns motivering på finska", "Citation in Finnish"),
    Field("citation_sv", "Tuomariston perustelu ruotsiksi", "Juryns motivering på svenska", "Citation in Swedish"),
    Field("citation_en", "Tuomariston perustelu englanniksi", "Juryns motivering på engelska", "Citation in English"),
]


@dataclass(frozen=True)
class Dataset:
    key: str
    fields: list[Field]
    title: dict[str, str]
    description: dict[str, str]
    keywords: dict[str, list[str]]


DATASETS = {
    "practices": Dataset(
        "practices",
        PRACTICE_FIELDS,
        title={
            "fi": "Lastensuojelun käytäntökirjasto",
            "sv": "Praxisbibliotek för barnskydd",
            "en": "Library of child-welfare practices",
        },
        description={
            "fi": "Kuntien ja hyvinvointialueiden lastensuojelun käytännöt, jotka on julkaistu Kunnallinen "
            "lastensuojeluteko -palkinnon käytäntökirjastossa: kuvaukset, organisaatiot, kunnat, teemat, "
            "näytön tasot ja palkintohistoria.",
            "sv": "Barnskyddspraxis från kommuner och välfärdsområden som publicerats i praxisbiblioteket för "
            "priset Kunnallinen lastensuojeluteko: beskrivningar, organisationer, kommuner, teman, evidensnivåer "
            "och prishistorik.",
            "en": "Child-welfare practices of Finnish municipalities and wellbeing services counties published in "
            "the practice library of the Kunnallinen lastensuojeluteko prize: descriptions, organisations, "
            "municipalities, themes, evidence levels and award history.",
        },
        keywords={
            "fi": ["lastensuojelu", "hyvät käytännöt", "kunnat", "hyvinvointialueet"],
            "sv": ["barnskydd", "god praxis", "kommuner", "välfärdsområden"],
            "en": ["child welfare", "good practices", "municipalities", "wellbeing services counties"],
        },
    ),
    "results": Dataset(
        "results",
        RESULT_FIELDS,
        title={
            "fi": "Kunnallinen lastensuojeluteko -palkinnon tulokset",
            "sv": "Resultaten av priset Kunnallinen lastensuojeluteko",
            "en": "Results of the Kunnallinen lastensuojeluteko prize",
        },
        description={
            "fi": "Palkinnon julkaistut tulokset vuosittain: voittajat, kunniamaininnat, finalistit ja julkaistut "
            "ehdokkaat tuomariston perusteluineen.",
            "sv": "Prisets publicerade resultat per år: vinnare, hedersomnämnanden, finalister och publicerade "
            "nominerade med juryns motiveringar.",
            "en": "The prize's published results by year: winners, honourable mentions, finalists and published "
            "nominees with the jury's citations.",
        },
        keywords={
            "fi": ["lastensuojelu", "palkinto", "kunnat"],
            "sv": ["barnskydd", "pris", "kommuner"],
            "en": ["child welfare", "award", "municipalities"],
        },
    ),
}


def _joined(values) -> list[str]:
    return [str(v) for v in values if v not in (None, "")]


def practice_rows(at=None, *, base_url: str = "") -> Iterator[dict]:
    """One dict per public practice, in the order of PRACTICE_FIELDS, lists as lists. Streams in chunks."""
    practices = (
        public_practices(at)
        .order_by("slug")
        .prefetch_related(
            "organisations", "municipalities", "counties", "themes", "target_groups", award_history_prefetch(at)
        )
    )
    for practice in practices.iterator(chunk_size=500):
        # The description's text only with the nominator's consent (awards' description_public_condition).
        withhold_descriptions([practice])
        yield {
            "slug": practice.slug,
            "name": practice.name,
            "language": practice.language,
            "summary": practice.summary,
            "basic_idea": practice.basic_idea,
            "target_group_description": practice.target_group_description,
            "operating_environment": practice.operating_environment,
            "intended_changes": practice.intended_changes,
            "achieved_changes": practice.achieved_changes,
            "evaluation": practice.evaluation,
            "resources": practice.resources,
            "adoption_conditions": practice.adoption_conditions,
            "start_year": practice.start_year,
            "funder": practice.funder,
            "innokyla_url": practice.innokyla_url,
            "organisations": [
                f"{o.name} ({o.business_id})" if o.business_id else o.name for o in practice.organisations.all()
            ],
            "municipalities": [m.code for m in practice.municipalities.all()],
            "counties": [c.code for c in practice.counties.all()],
            "themes": [t.slug for t in practice.themes.all()],
            "target_groups": [g.slug for g in practice.target_groups.all()],
            "evidence_level": practice.evidence_level,
            "evidence_rated_by": practice.evidence_rated_by,
            "evidence_rated_on": practice.evidence_rated_on.isoformat() if practice.evidence_rated_on else "",
            "evidence_url": practice.evidence_url,
            "awards": [f"{n.cycle.year}:{n.outcome}" for n in practice.awards],
            "web_url": base_url + reverse("library:practice_detail", args=[practice.slug]),
            "updated_at": practice.updated_at.isoformat(),
        }


def result_rows(at=None) -> Iterator[dict]:
    """One dict per public nomination with its result (or "nominee") and the jury's citation."""
    entries = DecisionEntry.objects.filter(decision__state=Decision.State.CONFIRMED).order_by("order", "pk")
    nominations = (
        public_nominations_with_outcome(at)
        .select_related("cycle", "practice", "organisation")
        .prefetch_related(Prefetch("decision_entries", queryset=entries, to_attr="confirmed_entries"))
        .order_by("-cycle__year", "name", "pk")
    )
    for nomination in nominations.iterator(chunk_size=500):
        entry = nomination.confirmed_entries[0] if nomination.confirmed_entries else None
        yield {
            "year": nomination.cycle.year,
            "result": nomination.outcome,
            "practice": nomination.practice.slug,
            "name": nomination.name,
            "organisation": nomination.organisation.name if nomination.organisation else "",
            "citation_fi": entry.citation_fi if entry else "",
            "citation_sv": entry.citation_sv if entry else "",
            "citation_en": entry.citation_en if entry else "",
        }


def rows(key: str, at=None, *, base_url: str = "") -> Iterator[dict]:
    return practice_rows(at, base_url=base_url) if key == "practices" else result_rows(at)


class _Line:
    """A file-like object whose write() returns what was written, for csv.writer in a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_lines(key: str, at=None, *, base_url: str = "") -> Iterator[str]:
    """The dataset as CSV (UTF-8, comma-separated, a header row): lists joined with ";", and every text that a
    spreadsheet would read as a formula prefixed with an apostrophe."""
    writer = csv.writer(_Line())
    names = [f.name for f in DATASETS[key].fields]
    yield writer.writerow(names)
    for row in rows(key, at, base_url=base_url):
        yield writer.writerow(
            [
                formula_safe(LIST_SEPARATOR.join(_joined(row[n])) if isinstance(row[n], list) else row[n])
                if row[n] is not None
                else ""
                for n in names
            ]
        )


def json_chunks(key: str, at=None, *, base_url: str = "") -> Iterator[str]:
    """The dataset as one JSON object: its licence and source, and the rows under "items"."""
    head = {
        "dataset": key,
        "license": LICENSE_URL,
        "attribution": ATTRIBUTION,
        "generated_at": timezone.now().isoformat(),
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "items": ['
    for i, row in enumerate(rows(key, at, base_url=base_url)):
        yield ("," if i else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]}\n"


def readme(*, base_url: str = "") -> str:
    """The README of the datasets: what they are, their licence and every field in Finnish, Swedish and English."""
    out = io.StringIO()
    out.write("# Kunnallinen lastensuojeluteko – avoin data / öppna data / open data\n\n")
    for lang in LANGUAGES:
        out.write(f"{ATTRIBUTION[lang]}: {LICENSE_URL}\n\n")
    out.write(
        "Suomeksi: aineistot sisältävät vain julkiset käytännöt ja julkaistut tulokset, ei henkilötietoja. "
        "CSV on UTF-8-merkistöä ja pilkuin eroteltua; monta arvoa samassa kentässä erotetaan puolipisteellä. "
        "Kaavaksi tulkittava teksti (alkaa =, +, -, @) saa CSV:ssä eteensä heittomerkin; JSON sisältää tekstin "
        "sellaisenaan.\n\n"
        "På svenska: materialen innehåller endast offentliga praxis och publicerade resultat, inga personuppgifter. "
        "CSV är UTF-8 och kommaseparerad; flera värden i samma fält skiljs åt med semikolon. Text som kunde läsas "
        "som en formel (börjar med =, +, -, @) får en apostrof först i CSV; JSON har texten som den är.\n\n"
        "In English: the datasets hold only public practices and published results, no personal data. CSV is UTF-8 "
        "and comma-separated; several values in one field are separated by a semicolon. A text that a spreadsheet "
        "would read as a formula (starting with =, +, -, @) gets a leading apostrophe in CSV; JSON has the text as "
        "it is.\n\n"
    )
    out.write(f"DCAT-AP: {base_url}{reverse('api:opendata_catalog')}\n\n")
    for dataset in DATASETS.values():
        out.write(f"## {dataset.key}: {dataset.title['fi']} / {dataset.title['sv']} / {dataset.title['en']}\n\n")
        for fmt in ("csv", "json"):
            out.write(f"- {base_url}{reverse('api:opendata_download', args=[dataset.key, fmt])}\n")
        out.write("\n| field | suomeksi | på svenska | in English |\n| --- | --- | --- | --- |\n")
        for f in dataset.fields:
            out.write(f"| `{f.name}` | {f.fi} | {f.sv} | {f.en} |\n")
        out.write("\n")
    return out.getvalue()


def _lang_map(values: dict[str, str]) -> dict[str, str]:
    return {lang: values[lang] for lang in LANGUAGES}


def last_modified(at=None):
    """When anything in the datasets last changed (the newest public practice or nomination)."""
    practices = public_practices(at).aggregate(last=Max("updated_at"))["last"]
    nominations = public_nominations_with_outcome(at).order_by().aggregate(last=Max("updated_at"))["last"]
    stamps = [s for s in (practices, nominations) if s]
    return max(stamps) if stamps else None


# EU vocabularies used by DCAT-AP for formats, languages, places and access rights.
_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
_MEDIA_TYPES = {"csv": "text/csv", "json": "application/json"}
_LANGUAGE_CODES = {"fi": "FIN", "sv": "SWE", "en": "ENG"}

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "title": {"@id": "dct:title", "@container": "@language"},
    "description": {"@id": "dct:description", "@container": "@language"},
    "keyword": {"@id": "dcat:keyword", "@container": "@language"},
    "name": {"@id": "foaf:name", "@container": "@language"},
    "fn": {"@id": "vcard:fn", "@container": "@language"},
    "publisher": {"@id": "dct:publisher", "@type": "@id"},
    "license": {"@id": "dct:license", "@type": "@id"},
    "dataset": {"@id": "dcat:dataset", "@type": "@id"},
    "distribution": {"@id": "dcat:distribution", "@type": "@id"},
    "accessURL": {"@id": "dcat:accessURL", "@type": "@id"},
    "downloadURL": {"@id": "dcat:downloadURL", "@type": "@id"},
    "landingPage": {"@id": "dcat:landingPage", "@type": "@id"},
    "homepage": {"@id": "foaf:homepage", "@type": "@id"},
    "page": {"@id": "foaf:page", "@type": "@id"},
    "format": {"@id": "dct:format", "@type": "@id"},
    "mediaType": {"@id": "dcat:mediaType", "@type": "@id"},
    "language": {"@id": "dct:language", "@type": "@id"},
    "spatial": {"@id": "dct:spatial", "@type": "@id"},
    "accessRights": {"@id": "dct:accessRights", "@type": "@id"},
    "contactPoint": {"@id": "dcat:contactPoint", "@type": "@id"},
    "hasEmail": {"@id": "vcard:hasEmail", "@type": "@id"},
    "conformsTo": {"@id": "dct:conformsTo", "@type": "@id"},
    "identifier": "dct:identifier",
    "issued": {"@id": "dct:issued", "@type": "xsd:date"},
    "modified": {"@id": "dct:modified", "@type": "xsd:dateTime"},
}


def catalog(*, base_url: str, contact_email: str, at=None) -> dict:
    """The DCAT-AP catalogue of the open data as JSON-LD, every text in Finnish, Swedish and English."""
    modified = last_modified(at)
    publisher = {
        "@id": PUBLISHER_URL,
        "@type": "foaf:Organization",
        "name": _lang_map(PUBLISHER),
        "homepage": PUBLISHER_URL,
    }
    license_document = {"@id": LICENSE_URL, "@type": "dct:LicenseDocument", "title": _lang_map(LICENSE_TITLE)}
    contact = {
        "@id": f"{base_url}/#contact",
        "@type": "vcard:Organization",
        "fn": _lang_map(PUBLISHER),
        "hasEmail": f"mailto:{contact_email}",
    }
    readme_url = base_url + reverse("api:opendata_readme")
    datasets = []
    for dataset in DATASETS.values():
        distributions = []
        for fmt in ("csv", "json"):
            url = base_url + reverse("api:opendata_download", args=[dataset.key, fmt])
            distributions.append(
                {
                    "@id": url,
                    "@type": "dcat:Distribution",
                    "title": {lang: f"{dataset.title[lang]} ({fmt.upper()})" for lang in LANGUAGES},
                    "description": {
                        "fi": f"Koko aineisto {fmt.upper()}-muodossa; kentät: {readme_url}",
                        "sv": f"Hela materialet i {fmt.upper()}-format; fälten: {readme_url}",
                        "en": f"The whole dataset as {fmt.upper()}; its fields: {readme_url}",
                    },
                    "accessURL": url,
                    "downloadURL": url,
                    "format": _FILE_TYPE + fmt.upper(),
                    "mediaType": f"https://www.iana.org/assignments/media-types/{_MEDIA_TYPES[fmt]}",
                    "license": license_document,
                    "page": readme_url,
                    **({"modified": modified.isoformat()} if modified else {}),
                }
            )
        datasets.append(
            {
                "@id": f"{base_url}{reverse('library:open_data')}#{dataset.key}",
                "@type": "dcat:Dataset",
                "identifier": f"{base_url}{reverse('library:open_data')}#{dataset.key}",
                "title": _lang_map(dataset.title),
                "description": _lang_map(dataset.description),
                "keyword": {lang: dataset.keywords[lang] for lang in LANGUAGES},
                "publisher": publisher,
                "contactPoint": contact,
                "license": license_document,
                "accessRights": "http://publications.europa.eu/resource/authority/access-right/PUBLIC",
                "language": [_LANGUAGE + _LANGUAGE_CODES[lang] for lang in LANGUAGES],
                "spatial": "http://publications.europa.eu/resource/authority/country/FIN",
                "landingPage": base_url + reverse("library:open_data"),
                "page": readme_url,
                "distribution": distributions,
                **({"modified": modified.isoformat()} if modified else {}),
            }
        )
    return {
        "@context": CONTEXT,
        "@id": base_url + reverse("api:opendata_catalog"),
        "@type": "dcat:Catalog",
        "title": {
            "fi": "Kunnallinen lastensuojeluteko – avoin data",
            "sv": "Kunnallinen lastensuojeluteko – öppna data",
            "en": "Kunnallinen lastensuojeluteko – open data",
        },
        "description": {
            "fi": "Lastensuojelun käytäntökirjaston ja Kunnallinen lastensuojeluteko -palkinnon tulosten avoimet "
            "aineistot.",
            "sv": "Öppna data från praxisbiblioteket för barnskydd och resultaten av priset Kunnallinen "
            "lastensuojeluteko.",
            "en": "Open data of the child-welfare practice library and the results of the Kunnallinen "
            "lastensuojeluteko prize.",
        },
        "publisher": publisher,
        "license": license_document,
        "language": [_LANGUAGE + _LANGUAGE_CODES[lang] for lang in LANGUAGES],
        "homepage": base_url + reverse("library:open_data"),
        "conformsTo": "https://semiceu.github.io/DCAT-AP/releases/3.0.0/",
        "dataset": datasets,
        **({"modified": modified.isoformat()} if modified else {}),
    }
