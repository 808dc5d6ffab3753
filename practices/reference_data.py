"""Loading the reference data the project carries: regions, counties, municipalities, themes, target groups.

Idempotent: rows are upserted by their codes, so loading twice changes nothing.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import Municipality, Region, TargetGroup, Theme, WellbeingServicesCounty
from .public_version import public_data_changed
from .search.index import facet_keys_refresh

DATA_DIR = Path(__file__).resolve().parent / "data"

THEMES = [
    ("ennaltaehkaisy", "Ennaltaehkäisy", "Förebyggande arbete", "Prevention"),
    ("perhetyo", "Perhetyö", "Familjearbete", "Family work"),
    (
        "neuvolat",
        "Äitiys- ja lastenneuvolat",
        "Mödra- och barnrådgivning",
        "Maternity and child health clinics",
    ),
    (
        "moniammatillisuus",
        "Moniammatillinen yhteistyö",
        "Multiprofessionellt samarbete",
        "Multi-professional teams",
    ),
    (
        "osallisuus",
        "Lasten ja nuorten osallisuus",
        "Barns och ungas delaktighet",
        "Participation of young people",
    ),
    ("viestinta", "Viestintä", "Kommunikation", "Communication"),
    ("sijaishuolto", "Sijaishuolto", "Vård utom hemmet", "Substitute care"),
    ("jalkihuolto", "Jälkihuolto", "Eftervård", "Aftercare"),
    (
        "mielenterveys",
        "Mielenterveys ja päihteet",
        "Psykisk hälsa och missbruk",
        "Mental health and substance use",
    ),
    (
        "koulu",
        "Koulu ja varhaiskasvatus",
        "Skola och småbarnspedagogik",
        "School and early childhood education",
    ),
    (
        "johtaminen",
        "Johtaminen ja työn tuki",
        "Ledarskap och stöd i arbetet",
        "Management and support for staff",
    ),
]

TARGET_GROUPS = [
    ("lapsiperheet", "Lapsiperheet", "Barnfamiljer", "Families with children"),
    (
        "vauvaperheet",
        "Vauvaperheet ja odottavat perheet",
        "Familjer med spädbarn och väntande familjer",
        "Expecting families and families with babies",
    ),
    ("kouluikaiset", "Kouluikäiset lapset", "Barn i skolåldern", "School-age children"),
    ("nuoret", "Nuoret", "Unga", "Young people"),
    (
        "sijoitetut",
        "Sijoitetut lapset ja nuoret",
        "Placerade barn och unga",
        "Children and young people in care",
    ),
    ("vanhemmat", "Vanhemmat", "Föräldrar", "Parents"),
    ("ammattilaiset", "Ammattilaiset", "Yrkesverksamma", "Professionals"),
]


@dataclass(frozen=True)
class LoadResult:
    regions: int
    counties: int
    municipalities: int
    themes: int
    target_groups: int


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _int_or_none(value: str) -> int | None:
    return int(value) if value.strip() else None


def _upsert(model, objects, unique_field: str, update_fields: list[str]) -> int:
    model.objects.bulk_create(objects, update_conflicts=True, unique_fields=[unique_field], update_fields=update_fields)
    return len(objects)


@transaction.atomic
def load_reference_data() -> LoadResult:
    names = ["name_fi", "name_sv", "name_en"]
    regions = _upsert(Region, [Region(**row) for row in _rows("regions.csv")], "code", names)
    counties = _upsert(
        WellbeingServicesCounty,
        [WellbeingServicesCounty(**row) for row in _rows("wellbeing_services_counties.csv")],
        "code",
        names,
    )
    municipalities = _upsert(
        Municipality,
        [
            Municipality(
                code=row["code"],
                name_fi=row["name_fi"],
                name_sv=row["name_sv"],
                name_en=row["name_en"],
                language_status=int(row["language"]),
                region_id=row["region_code"],
                county_id=row["wellbeing_county_code"] or None,
                first_year=_int_or_none(row["first_year"]),
                last_year=_int_or_none(row["last_year"]),
            )
            for row in _rows("municipalities.csv")
        ],
        "code",
        [*names, "language_status", "region", "county", "first_year", "last_year"],
    )
    themes = _upsert(
        Theme, [Theme(slug=s, name_fi=fi, name_sv=sv, name_en=en) for s, fi, sv, en in THEMES], "slug", names
    )
    target_groups = _upsert(
        TargetGroup,
        [TargetGroup(slug=s, name_fi=fi, name_sv=sv, name_en=en) for s, fi, sv, en in TARGET_GROUPS],
        "slug",
        names,
    )
    # Bulk upserts send no signals: a municipality may have moved to another region or county (the facet keys
    # of its practices), and the place pages and the library's filters may have changed.
    facet_keys_refresh()
    public_data_changed()
    return LoadResult(regions, counties, municipalities, themes, target_groups)
