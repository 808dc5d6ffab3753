"""Admin of the shared schema, in Finnish by default."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Municipality,
    Organisation,
    OrganisationDomain,
    Practice,
    Region,
    TargetGroup,
    Theme,
    WellbeingServicesCounty,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fi", "name_sv", "name_en"]
    search_fields = ["code", "name_fi", "name_sv", "name_en"]


@admin.register(WellbeingServicesCounty)
class WellbeingServicesCountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fi", "name_sv"]
    search_fields = ["code", "name_fi", "name_sv", "name_en"]


class CurrentFilter(admin.SimpleListFilter):
    title = _("existence")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("exists today")), ("no", _("merged or ended"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(last_year__isnull=True)
        if self.value() == "no":
            return queryset.filter(last_year__isnull=False)
        return queryset


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_fi",
        "name_sv",
        "region",
        "county",
        "language_status",
        "first_year",
        "last_year",
    ]
    list_filter = [CurrentFilter, "language_status", "region", "county"]
    search_fields = ["code", "name_fi", "name_sv", "name_en"]
    list_select_related = ["region", "county"]


class OrganisationDomainInline(admin.TabularInline):
    model = OrganisationDomain
    extra = 1
    fields = ["domain"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    inlines = [OrganisationDomainInline]
    list_display = ["name", "kind", "business_id", "updated_at"]
    list_filter = ["kind", "counties"]
    search_fields = ["name", "business_id"]
    autocomplete_fields = ["municipalities", "counties"]


@admin.register(Theme, TargetGroup)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_fi", "name_sv", "name_en"]
    search_fields = ["slug", "name_fi", "name_sv", "name_en"]


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    """Saving here re-indexes the practice for search (practices/signals.py), its links included."""

    list_display = ["name", "start_year", "language", "is_public", "evidence_level", "updated_at"]
    list_filter = ["is_public", "language", "evidence_level", "themes", "target_groups", "counties"]
    search_fields = ["name", "summary", "organisations__name"]
    autocomplete_fields = ["organisations", "municipalities", "counties"]
    filter_horizontal = ["themes", "target_groups"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "language",
                    "is_public",
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
                ]
            },
        ),
        (
            _("Links"),
            {"fields": ["organisations", "municipalities", "counties", "themes", "target_groups"]},
        ),
        (
            _("Evidence rating"),
            {
                "description": _(
                    "Enter the rating an evaluating body has published on Itla's Kasvun tuki scale, with the body, "
                    "the date and a link. The service rates nothing itself."
                ),
                "fields": ["evidence_level", "evidence_rated_by", "evidence_rated_on", "evidence_url"],
            },
        ),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]
