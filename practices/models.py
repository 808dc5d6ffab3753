"""The shared schema: regions, wellbeing services counties, municipalities, organisations and practices."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Case, Q, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .localisation import localised
from .validators import validate_business_id


class StoredColumnsMixin:
    """For a model with columns that only a rule of its own writes, in SQL (`STORED_COLUMNS`): what a practice's
    publicity or a review's scores are, stored so that the pages that read them need not compute them.

    Saving an existing row writes every other column, never these: an instance read before the rule rewrote them
    would otherwise put its stale values back. (Nor the deferred columns, which Django's save leaves out by
    itself.) The rule writes them through write_stored()."""

    STORED_COLUMNS: tuple[str, ...] = ()

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key
                and not f.generated
                and f.name not in self.STORED_COLUMNS
                and f.attname not in deferred
            ]
        super().save(*args, **kwargs)

    @classmethod
    def write_stored(cls, queryset, columns: dict) -> int:
        """Write the stored columns (`columns`: the rule's expressions) of the rows of `queryset`, in the caller's
        transaction or one of its own; returns how many rows were written.

        The rows are locked first and computed in a statement of their own: under READ COMMITTED that statement
        sees every change committed by whoever held a lock on them. Computed in the locking statement, a write
        waiting on a row that another had locked would store what it read before the other committed (a
        publication would put back a text whose consent was being withdrawn; two edits of one review's scores would
        each store a tally without the other's)."""
        with transaction.atomic(savepoint=False):
            ids = list(queryset.order_by("pk").select_for_update(of=("self",)).values_list("pk", flat=True))
            if not ids:
                return 0
            return cls._default_manager.filter(pk__in=ids).update(**columns)


class LocalisedNameMixin:
    """Pick the name in the active language, falling back to Finnish."""

    @property
    def name(self) -> str:
        return localised(self, "name")

    def __str__(self) -> str:
        return self.name


class Region(LocalisedNameMixin, models.Model):
    """Maakunta: one of the 19 regions."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class WellbeingServicesCounty(LocalisedNameMixin, models.Model):
    """Hyvinvointialue: 21 counties, plus the City of Helsinki (90) and Åland (91) that organise the same services."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=150)
    name_sv = models.CharField(_("name in Swedish"), max_length=150)
    name_en = models.CharField(_("name in English"), max_length=150)

    class Meta:
        ordering = ["code"]
        verbose_name = _("wellbeing services county")
        verbose_name_plural = _("wellbeing services counties")


class MunicipalityQuerySet(models.QuerySet):
    def existing_in(self, year: int):
        """Municipalities that existed in the given year (merged ones stay in the table for history)."""
        return self.filter(
            Q(first_year__isnull=True) | Q(first_year__lte=year),
            Q(last_year__isnull=True) | Q(last_year__gte=year),
        )

    def current(self):
        return self.existing_in(timezone.localdate().year)


class Municipality(LocalisedNameMixin, models.Model):
    """Kunta, keyed by its three-digit Statistics Finland code."""

    class LanguageStatus(models.IntegerChoices):
        FINNISH = 0, _("monolingual Finnish")
        BILINGUAL_FINNISH_MAJORITY = 1, _("bilingual, Finnish majority")
        SWEDISH = 2, _("monolingual Swedish")
        BILINGUAL_SWEDISH_MAJORITY = 3, _("bilingual, Swedish majority")

    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    language_status = models.PositiveSmallIntegerField(_("language status"), choices=LanguageStatus.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    county = models.ForeignKey(
        WellbeingServicesCounty,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("wellbeing services county"),
    )
    first_year = models.PositiveSmallIntegerField(
        _("first year"), null=True, blank=True, help_text=_("Empty: existed in 2013 already.")
    )
    last_year = models.PositiveSmallIntegerField(
        _("last year"), null=True, blank=True, help_text=_("Empty: still exists.")
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^\d{3}$"), name="municipality_code_three_digits"),
            models.CheckConstraint(condition=Q(language_status__lte=3), name="municipality_language_status_0_3"),
            models.CheckConstraint(
                condition=Q(first_year__isnull=True)
                | Q(last_year__isnull=True)
                | Q(first_year__lte=models.F("last_year")),
                name="municipality_years_ordered",
            ),
        ]

    @property
    def is_current(self) -> bool:
        return self.last_year is None


class Organisation(models.Model):
    """A body that nominates practices, runs them, or that a juror belongs to."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        WELLBEING_COUNTY = "wellbeing_county", _("wellbeing services county")
        JOINT_AUTHORITY = "joint_authority", _("joint municipal authority")
        MUNICIPAL_ENTERPRISE = "municipal_enterprise", _("municipal enterprise")
        NGO = "ngo", _("non-governmental organisation")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    business_id = models.CharField(
        _("business ID"),
        max_length=9,
        blank=True,
        validators=[validate_business_id],
        help_text=_("Finnish business ID (Y-tunnus), e.g. 0204819-8."),
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="organisations", verbose_name=_("municipalities served")
    )
    counties = models.ManyToManyField(
        WellbeingServicesCounty,
        blank=True,
        related_name="organisations",
        verbose_name=_("wellbeing services counties served"),
    )
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["business_id"], condition=~Q(business_id=""), name="organisation_business_id_unique"
            ),
            models.UniqueConstraint(fields=["name", "kind"], name="organisation_name_kind_unique"),
        ]

    def __str__(self) -> str:
        return self.name


# Addresses anyone may get: owning one proves nothing about an organisation.
PUBLIC_MAIL_DOMAINS = {
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com", "icloud.com",
    "me.com", "protonmail.com", "proton.me", "luukku.com", "suomi24.fi", "kolumbus.fi", "elisanet.fi",
    "welho.com", "saunalahti.fi", "dnainternet.net", "pp.inet.fi", "netti.fi",
}  # fmt: skip


def validate_mail_domain(value: str) -> None:
    from django.core.exceptions import ValidationError  # noqa: PLC0415
    from django.core.validators import validate_email  # noqa: PLC0415

    try:
        validate_email(f"test@{value}")
    except ValidationError as exc:
        raise ValidationError(_("Give a domain such as vantaa.fi, without @ or www."), code="invalid") from exc
    if value.lower() in PUBLIC_MAIL_DOMAINS:
        raise ValidationError(
            _("Anyone can get an address at %(domain)s; it cannot prove that a person works for the organisation."),
            code="public",
            params={"domain": value},
        )


class OrganisationDomain(models.Model):
    """An e-mail domain of an organisation (e.g. vantaa.fi): a person who proves an address at it, by a link sent
    there, may nominate for the organisation at once, without waiting for staff (accounts/services.py)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="email_domains", verbose_name=_("organisation")
    )
    domain = models.CharField(
        _("e-mail domain"),
        max_length=253,
        unique=True,
        validators=[validate_mail_domain],
        help_text=_("Only the domain, e.g. vantaa.fi. Addresses exactly at it count, not its subdomains."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["domain"]
        verbose_name = _("e-mail domain of an organisation")
        verbose_name_plural = _("e-mail domains of organisations")
        constraints = [models.CheckConstraint(condition=Q(domain=Lower("domain")), name="domain_lower_case")]

    def __str__(self) -> str:
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower()
        super().save(*args, **kwargs)


class Theme(LocalisedNameMixin, models.Model):
    """A theme of child-welfare work, e.g. prevention or family work."""

    slug = models.SlugField(_("identifier"), unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class TargetGroup(LocalisedNameMixin, models.Model):
    """Whom a practice serves, e.g. families with small children or young people in care."""

    slug = models.SlugField(_("identifier"), unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class PracticeDescription(models.Model):
    """The description of a practice, with the fields of the Innokylä practice library.

    Shared by Practice (the living description in the library) and by a nomination's copy of it,
    so that what was nominated in a year stays as it was written.
    """

    class Language(models.TextChoices):
        FINNISH = "fi", _("Finnish")
        SWEDISH = "sv", _("Swedish")
        ENGLISH = "en", _("English")

    name = models.CharField(_("name of the practice"), max_length=200)
    summary = models.TextField(
        _("short description"),
        max_length=1000,
        blank=True,
        help_text=_("Two or three sentences: what the practice is and whom it serves."),
    )
    basic_idea = models.TextField(_("basic idea"), blank=True, help_text=_("How the practice works in everyday work."))
    target_group_description = models.TextField(
        _("target groups"), blank=True, help_text=_("Whom the practice serves, in your own words.")
    )
    operating_environment = models.TextField(
        _("operating environment"), blank=True, help_text=_("Where and by whom the practice is carried out.")
    )
    intended_changes = models.TextField(_("intended changes"), blank=True)
    achieved_changes = models.TextField(
        _("achieved changes"), blank=True, help_text=_("What has changed for children and families.")
    )
    evaluation = models.TextField(_("evaluation and evidence"), blank=True)
    resources = models.TextField(_("resources and cost"), blank=True)
    adoption_conditions = models.TextField(_("conditions for adoption elsewhere"), blank=True)
    start_year = models.PositiveSmallIntegerField(
        _("start year"), null=True, blank=True, validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    innokyla_url = models.URLField(_("link to Innokylä"), blank=True)
    language = models.CharField(
        _("language of the description"), max_length=2, choices=Language.choices, default=Language.FINNISH
    )

    class Meta:
        abstract = True


# The text-search configurations of each language (created by migration 0003): PostgreSQL's snowball stemmer of
# the language after unaccent, so "perhetyo" and "perhetyö", "Osterbotten" and "Österbotten" are the same word.
SEARCH_CONFIGS = {"fi": "finnish_unaccent", "sv": "swedish_unaccent", "en": "english_unaccent"}
# The Swedish and English names of places and themes are indexed as they are written (accents folded): stemmed,
# they would share stems with Finnish words in the same vector ("väntande" and "Vantaa" are both "vant").
NAMES_CONFIG = "simple_unaccent"


def _analysed(key: str, weight: str, config: str = SEARCH_CONFIGS["fi"]) -> SearchVector:
    return SearchVector(KeyTextTransform(key, "search_document"), weight=weight, config=config)


def _search_vector(config: str) -> SearchVector:
    """The description's own words in its language, and beside them what practices/search/index.py wrote into
    search_document: the Voikko base forms and compound parts of its Finnish words (same weight as the words),
    and the names of its organisations, places, themes and target groups in Finnish, Swedish and English."""
    return (
        SearchVector("name", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector("basic_idea", "target_group_description", "achieved_changes", weight="C", config=config)
        + SearchVector(
            "operating_environment",
            "intended_changes",
            "evaluation",
            "resources",
            "adoption_conditions",
            "funder",
            weight="D",
            config=config,
        )
        + _analysed("a", "A")
        + _analysed("b", "B")
        + _analysed("c", "C")
        + _analysed("d", "D")
        + _analysed("names_fi", "B")
        + _analysed("names_sv", "B", NAMES_CONFIG)
        + _analysed("names_en", "B", NAMES_CONFIG)
    )


def _rank_vector(config: str) -> SearchVector:
    """What ranks a match: the name (A), the summary and the names of its places, organisations and themes
    (B), with their analysis. A small vector, so ranking thousands of matches stays cheap; a match in the body
    alone ranks after these."""
    return (
        SearchVector("name", weight="A", config=config)
        + _analysed("a", "A")
        + SearchVector("summary", weight="B", config=config)
        + _analysed("b", "B")
        + _analysed("names_fi", "B")
        + _analysed("names_sv", "B", NAMES_CONFIG)
        + _analysed("names_en", "B", NAMES_CONFIG)
    )


class EvidenceLevel(models.TextChoices):
    """The evaluation scale of Itla's Kasvun tuki: five levels of evidence and two verdicts of their own.

    Source: Merikukka, Backman, Heikkilä & Kurki (2025), "Lasten ja nuorten mielenterveyttä edistävien
    psykososiaalisten menetelmien vaikuttavuus – Opas näytön systemaattiseen arviointiin", Itlan oppaat ja
    käsikirjat 2025:1, https://itla.fi/arviointiopas (the Kasvun tuki evaluation, modelled on Ungsinn's "5+1"
    classification: https://ungsinn.no/post_artikkel/ungsinns-klassifiseringsstruktur/, levels 1 "godt beskrevet",
    2 "teoretisk begrunnet", 3 "noe dokumentasjon", 4 "tilfredsstillende dokumentasjon", 5 "sterk dokumentasjon",
    and the verdict for no or negative effects). The service only records a rating published by such a body."""

    WELL_DESCRIBED = "well_described", _("1 Well described")
    THEORETICALLY_GROUNDED = "theoretically_grounded", _("2 Theoretically grounded")
    SOME_EVIDENCE = "some_evidence", _("3 Some documented evidence")
    DOCUMENTED_EVIDENCE = "documented_evidence", _("4 Documented evidence")
    STRONG_EVIDENCE = "strong_evidence", _("5 Strong documented evidence")
    NO_EFFECT = "no_effect", _("No effect")
    NEGATIVE_EFFECTS = "negative_effects", _("Negative effects")


# Written by awards' rule of publicity only (awards.selectors.publication.publicity_columns), never by a save.
PUBLICITY_FIELDS = ("listed_from", "description_from", "description_withheld")


class Practice(StoredColumnsMixin, PracticeDescription):
    """A child-welfare practice (toimintamalli); it lives on across award years."""

    STORED_COLUMNS = PUBLICITY_FIELDS

    slug = models.SlugField(_("address"), max_length=220, unique=True, allow_unicode=False)
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="practices", verbose_name=_("organisations")
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="practices", verbose_name=_("municipalities")
    )
    counties = models.ManyToManyField(
        WellbeingServicesCounty,
        blank=True,
        related_name="practices",
        verbose_name=_("wellbeing services counties"),
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="practices", verbose_name=_("themes"))
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="practices", verbose_name=_("target group categories")
    )
    is_public = models.BooleanField(
        _("public in the library"),
        default=False,
        help_text=_("Staff may publish a practice in the library; award results publish theirs automatically."),
    )
    evidence_level = models.CharField(
        _("evidence level"),
        max_length=32,
        choices=EvidenceLevel.choices,
        blank=True,
        help_text=_(
            "The rating published by an evaluating body (Itla's Kasvun tuki scale). This service rates nothing "
            "itself: leave empty unless the practice has been rated."
        ),
    )
    evidence_rated_by = models.CharField(
        _("rated by"), max_length=200, blank=True, help_text=_("The body that rated it, e.g. Itla (Kasvun tuki).")
    )
    evidence_rated_on = models.DateField(_("date of the rating"), null=True, blank=True)
    evidence_url = models.URLField(_("link to the rating"), blank=True)
    # What practices/search/index.py adds to the index beside the texts (Voikko analysis, names); written on
    # every save of the practice or of what it is linked to. Not shown anywhere.
    search_document = models.JSONField(_("search document"), default=dict, blank=True, editable=False)
    # Kept current by PostgreSQL itself on every insert and update, in the description's own language.
    search_vector = models.GeneratedField(
        expression=Case(
            When(language="sv", then=_search_vector(SEARCH_CONFIGS["sv"])),
            When(language="en", then=_search_vector(SEARCH_CONFIGS["en"])),
            default=_search_vector(SEARCH_CONFIGS["fi"]),
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    rank_vector = models.GeneratedField(
        expression=Case(
            When(language="sv", then=_rank_vector(SEARCH_CONFIGS["sv"])),
            When(language="en", then=_rank_vector(SEARCH_CONFIGS["en"])),
            default=_rank_vector(SEARCH_CONFIGS["fi"]),
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # The library's filter values the practice has ("theme:perhetyo", "municipality:091", "county:17", …, each
    # once), written with search_document by practices/search/index.py: the facet counts read this one array
    # instead of joining five link tables.
    facet_keys = ArrayField(models.CharField(max_length=80), default=list, blank=True, editable=False)
    # Whether the public sees the practice and the text of its description is decided by awards' rule
    # (awards/selectors/publication.py), which writes these columns whenever a nomination, a cycle, a decision or
    # a safeguard check changes, so that a list of 20,000 practices reads three columns instead of running the
    # rule's subqueries on every row. Listed at a moment `at`: is_public, or listed_from <= at. Its text public:
    # not description_withheld, and is_public or description_from <= at. Never edited by hand.
    listed_from = models.DateTimeField(_("listed by an award result from"), null=True, blank=True, editable=False)
    description_from = models.DateTimeField(
        _("description public by consent from"), null=True, blank=True, editable=False
    )
    description_withheld = models.BooleanField(
        _("description withheld by its nominator"), default=False, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        indexes = [
            GinIndex(fields=["search_vector"], name="practice_search_gin"),
            GinIndex(fields=["rank_vector"], name="practice_rank_gin"),
            # The library's filters of the links (facet_keys @> {'theme:perhetyo'}): combined with the text's
            # index, a filtered search reads only the rows that pass both.
            GinIndex(fields=["facet_keys"], name="practice_facet_keys_gin"),
            # The library's default order: its first page reads 20 index entries instead of sorting every row.
            models.Index(fields=["name", "id"], name="practice_name_idx"),
            # The public practices (and those a scheduled result will list) with what counting them and their
            # facets reads: an index-only scan instead of reading the wide rows of the whole table.
            models.Index(
                fields=["is_public", "listed_from"],
                include=["id", "evidence_level", "description_withheld", "description_from", "facet_keys"],
                condition=Q(is_public=True) | Q(listed_from__isnull=False),
                name="practice_listed_idx",
            ),
        ]
        constraints = [
            # A rating is a fact about someone else's evaluation: it names who rated it and when.
            models.CheckConstraint(
                condition=Q(evidence_level="") | (~Q(evidence_rated_by="") & Q(evidence_rated_on__isnull=False)),
                name="practice_evidence_rating_complete",
            ),
            models.CheckConstraint(
                condition=~Q(evidence_level="")
                | (Q(evidence_rated_by="") & Q(evidence_rated_on__isnull=True) & Q(evidence_url="")),
                name="practice_evidence_only_with_level",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Practice, self.name)
        # Never the publicity columns (StoredColumnsMixin): an instance read before a consent was withdrawn would
        # otherwise put its stale "public" back, if only until the rule runs again.
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.evidence_level and (not self.evidence_rated_by or not self.evidence_rated_on):
            raise ValidationError(
                {"evidence_rated_by": _("Give the body that rated the practice and the date of the rating.")}
            )
        if not self.evidence_level and (self.evidence_rated_by or self.evidence_rated_on or self.evidence_url):
            raise ValidationError({"evidence_level": _("Choose the evidence level, or leave the rating empty.")})


class PublicDataGeneration(models.Model):
    """How many committed transactions have changed what the public sees: one row, counted up by
    practices.public_version.public_data_changed once the change commits. A summary of public data kept in the
    database rather than in the shared cache (the library's unfiltered facet counts) records the number it was
    computed at and is used only while the number is still the same."""

    number = models.BigIntegerField(_("number"), default=0)

    class Meta:
        verbose_name = _("public data generation")
        verbose_name_plural = _("public data generations")

    def __str__(self) -> str:
        return str(self.number)


class SearchTerm(models.Model):
    """A word of the indexed texts and names, and its base forms: the vocabulary of "Did you mean …?" and of the
    suggestions shown while typing. Words are added as texts are indexed and never shown on their own: the
    library suggests one only when a public practice matches it."""

    word = models.CharField(_("word"), max_length=60, primary_key=True)
    folded = models.CharField(_("without diacritics"), max_length=60)
    is_base_form = models.BooleanField(_("base form or name"), default=False)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        indexes = [
            GinIndex(OpClass("folded", name="gin_trgm_ops"), name="searchterm_folded_trgm"),
            models.Index(OpClass("folded", name="varchar_pattern_ops"), name="searchterm_folded_prefix"),
        ]

    def __str__(self) -> str:
        return self.word


def unique_slug(model, text: str, max_length: int = 200) -> str:
    """A readable, unique slug for `text`, with -2, -3… appended on collision."""
    base = slugify(text)[:max_length].strip("-") or "practice"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug
