"""Admin for awards, cycles and their criteria, jury and nominations."""

from django.contrib import admin

from .models import Award, AwardCycle, ConflictOfInterest, Criterion, JuryMembership, Nomination


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "slug", "organisers"]
    search_fields = ["name_fi", "name_sv", "name_en"]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["order", "name_fi", "name_sv", "name_en", "weight", "scale_min", "scale_max"]


class JuryInline(admin.TabularInline):
    model = JuryMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(AwardCycle)
class AwardCycleAdmin(admin.ModelAdmin):
    list_display = [
        "award",
        "year",
        "state",
        "nominations_open_at",
        "nominations_close_at",
        "announcement_on",
    ]
    list_filter = ["state", "award"]
    inlines = [CriterionInline, JuryInline]


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["reference", "name", "organisation", "cycle", "state", "eligibility", "submitted_at"]
    list_filter = ["cycle", "state", "eligibility"]
    search_fields = ["reference", "name", "organisation__name"]
    list_select_related = ["organisation", "cycle__award"]
    autocomplete_fields = ["organisation", "practice"]
    readonly_fields = ["reference", "created_at", "updated_at", "submitted_at", "version"]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ["user", "nomination", "source", "created_at", "lifted_at"]
    list_filter = ["source"]
    autocomplete_fields = ["user", "nomination"]


# Jury work. Reviews are read-only here: jurors change them through the scoring page so that the version check,
# the jury period and the audit trail always apply.
from .models import Assignment, Review, Score  # noqa: E402 (appended per area to keep merges trivial)


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    can_delete = False
    fields = ["criterion", "value", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["nomination", "juror", "state", "abstain", "submitted_at", "updated_at"]
    list_filter = ["nomination__cycle", "state", "abstain"]
    search_fields = ["nomination__reference", "nomination__name", "juror__email"]
    list_select_related = ["nomination", "juror"]
    inlines = [ScoreInline]
    readonly_fields = [
        "juror",
        "nomination",
        "state",
        "abstain",
        "abstain_reason",
        "overall_comment",
        "submitted_at",
        "first_submitted_at",
        "version",
    ]

    def get_queryset(self, request):
        # A staff member in conflict with a nomination does not see its reviews here either.
        from .selectors import conflicted_nominations  # noqa: PLC0415 (selectors import models)

        return super().get_queryset(request).exclude(nomination__in=conflicted_nominations(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["nomination", "juror", "created_at"]
    list_filter = ["nomination__cycle"]
    autocomplete_fields = ["nomination", "juror"]
