"""Serializers of the open data API. Fields are listed one by one: nothing is public unless named here,
and no contact person's e-mail or phone is ever among them."""

from django.urls import reverse
from django.utils import timezone, translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from awards.models import AwardCycle
from awards.selectors.publication import withhold_descriptions
from library.selectors import OUTCOME_LABELS
from practices.models import (
    EvidenceLevel,
    Municipality,
    Organisation,
    Practice,
    Region,
    TargetGroup,
    Theme,
    WellbeingServicesCounty,
)

OUTCOMES = list(OUTCOME_LABELS)


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name_fi", "name_sv", "name_en"]


class CountySerializer(serializers.ModelSerializer):
    class Meta:
        model = WellbeingServicesCounty
        fields = ["code", "name_fi", "name_sv", "name_en"]


class MunicipalitySerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", help_text="Code of the region (maakunta).")
    county = serializers.CharField(
        source="county_id", allow_null=True, help_text="Code of the wellbeing services county."
    )

    class Meta:
        model = Municipality
        fields = [
            "code",
            "name_fi",
            "name_sv",
            "name_en",
            "language_status",
            "region",
            "county",
            "first_year",
            "last_year",
        ]


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["slug", "name_fi", "name_sv", "name_en"]


class TargetGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = TargetGroup
        fields = ["slug", "name_fi", "name_sv", "name_en"]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "business_id", "website"]


class PracticeAwardSerializer(serializers.Serializer):
    year = serializers.IntegerField(source="cycle.year")
    result = serializers.ChoiceField(choices=OUTCOMES, source="outcome", help_text="'nominee': named, no result.")


class EvidenceSerializer(serializers.Serializer):
    """A rating published by an evaluating body on Itla's Kasvun tuki scale; the service rates nothing itself."""

    level = serializers.ChoiceField(choices=EvidenceLevel.choices, source="evidence_level")
    label_fi = serializers.SerializerMethodField(help_text="The level's name in Finnish.")
    label_sv = serializers.SerializerMethodField(help_text="The level's name in Swedish.")
    label_en = serializers.SerializerMethodField(help_text="The level's name in English.")
    rated_by = serializers.CharField(source="evidence_rated_by", help_text="The body that rated the practice.")
    rated_on = serializers.DateField(source="evidence_rated_on")
    url = serializers.URLField(source="evidence_url", help_text="Link to the rating; may be empty.")

    @staticmethod
    def _label(practice, language: str) -> str:
        with translation.override(language):
            return str(EvidenceLevel(practice.evidence_level).label)

    def get_label_fi(self, practice) -> str:
        return self._label(practice, "fi")

    def get_label_sv(self, practice) -> str:
        return self._label(practice, "sv")

    def get_label_en(self, practice) -> str:
        return self._label(practice, "en")


class PracticeSerializer(serializers.ModelSerializer):
    organisations = OrganisationSerializer(many=True)
    municipalities = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    counties = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    target_groups = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    awards = PracticeAwardSerializer(many=True, read_only=True, help_text="Public award history, newest first.")
    web_url = serializers.SerializerMethodField(help_text="The practice's page in the library.")
    evidence = serializers.SerializerMethodField(help_text="Its evidence rating, or null when it has none.")
    description_public = serializers.BooleanField(
        read_only=True,
        help_text="False when the nominator has not consented to publishing the description: its text fields "
        "(summary … innokyla_url) are then empty, and only the name and the facts around it are given.",
    )

    class Meta:
        model = Practice
        fields = [
            "slug",
            "name",
            "description_public",
            "language",
            "summary",
            "basic_idea",
            "target_group_description",
            "operating_environment",
            "intended_changes",
            "achieved_changes",
            "evaluation",
            "resources",
            "adoption_conditions",
            "start_year",
            "funder",
            "innokyla_url",
            "organisations",
            "municipalities",
            "counties",
            "themes",
            "target_groups",
            "awards",
            "evidence",
            "web_url",
            "updated_at",
        ]

    @extend_schema_field(EvidenceSerializer(allow_null=True))
    def get_evidence(self, practice) -> dict | None:
        return EvidenceSerializer(practice).data if practice.evidence_level else None

    def to_representation(self, instance):
        # The description's text only with consent (awards' description_public_condition): blanked here too.
        withhold_descriptions([instance])
        return super().to_representation(instance)

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, practice) -> str:
        request = self.context.get("request")
        path = reverse("library:practice_detail", args=[practice.slug])
        return request.build_absolute_uri(path) if request else path


class FollowUpSerializer(serializers.Serializer):
    """One approved follow-up of an awarded practice: how it went on one or three years after the prize."""

    year = serializers.IntegerField(source="cycle.year", help_text="The award year the follow-up is about.")
    years_after = serializers.IntegerField(source="milestone", help_text="1 or 3: years after the publication.")
    answered_on = serializers.SerializerMethodField(help_text="The day the organisation answered (Finnish time).")
    language = serializers.CharField()
    still_running = serializers.ChoiceField(choices=["yes", "changed", "no"])
    spread = serializers.CharField()
    changes = serializers.CharField()
    evaluation = serializers.CharField()

    @extend_schema_field(OpenApiTypes.DATE)
    def get_answered_on(self, followup) -> str:
        return timezone.localdate(followup.answered_at).isoformat()


class PracticeDetailSerializer(PracticeSerializer):
    follow_ups = FollowUpSerializer(
        many=True, read_only=True, source="public_follow_ups", help_text="Approved follow-ups, oldest first."
    )

    class Meta(PracticeSerializer.Meta):
        fields = [*PracticeSerializer.Meta.fields, "follow_ups"]


class AwardResultSerializer(serializers.Serializer):
    """One named nomination of an award year: its result (or 'nominee') and the jury's citation."""

    result = serializers.ChoiceField(choices=OUTCOMES, source="outcome")
    practice = serializers.SlugField(source="practice.slug", help_text="Slug of the practice (see /practices/).")
    name = serializers.CharField(help_text="Name of the practice as nominated that year.")
    organisation = serializers.CharField(source="organisation.name", allow_null=True, default=None)
    citation_fi = serializers.SerializerMethodField()
    citation_sv = serializers.SerializerMethodField()
    citation_en = serializers.SerializerMethodField()

    def _citation(self, nomination, lang) -> str:
        entries = getattr(nomination, "confirmed_entries", [])
        return getattr(entries[0], f"citation_{lang}", "") if entries else ""

    def get_citation_fi(self, nomination) -> str:
        return self._citation(nomination, "fi")

    def get_citation_sv(self, nomination) -> str:
        return self._citation(nomination, "sv")

    def get_citation_en(self, nomination) -> str:
        return self._citation(nomination, "en")


class AwardYearSerializer(serializers.ModelSerializer):
    results = AwardResultSerializer(many=True, source="public_results")

    class Meta:
        model = AwardCycle
        fields = [
            "year",
            "announcement_on",
            "occasion_fi",
            "occasion_sv",
            "occasion_en",
            "results_published_at",
            "results",
        ]
