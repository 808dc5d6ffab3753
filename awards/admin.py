"""Admin for awards, cycles and their criteria, jury and nominations."""

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile

from .image_validation import validate_image_content
from .models import (
    Announcement,
    AnnouncementImage,
    Assignment,
    Attachment,
    Award,
    AwardCycle,
    ConflictOfInterest,
    Criterion,
    DeadlineExtension,
    Decision,
    DecisionEntry,
    DecisionReopening,
    JuryMembership,
    Nomination,
    NotificationLog,
    ReferenceCounter,
    Review,
    Score,
)
from .selectors.jury import conflicted_nominations


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


# Nominations (issue 4): attachments are listed, never opened here (downloads go through the checked view).


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "nomination", "content_type", "size", "created_at"]
    list_select_related = ["nomination"]
    readonly_fields = [
        "nomination",
        "stored_name",
        "original_name",
        "content_type",
        "size",
        "uploaded_by",
        "created_at",
    ]
    search_fields = ["original_name", "nomination__reference", "nomination__name"]


# Decision and publication. Writes of consequence (confirm, reopen, publish) go through the staff pages and
# awards/services/; the admin is for reading and small corrections.


class DecisionEntryInline(admin.TabularInline):
    model = DecisionEntry
    extra = 0
    autocomplete_fields = ["nomination"]
    fields = ["order", "nomination", "result", "citation_fi", "citation_sv", "citation_en"]


class DecisionReopeningInline(admin.TabularInline):
    model = DecisionReopening
    extra = 0
    readonly_fields = ["reopened_by", "reopened_at", "reason"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["cycle", "state", "confirmed_at", "confirmed_by"]
    list_filter = ["state"]
    readonly_fields = ["state", "confirmed_at", "confirmed_by", "created_at", "updated_at"]
    inlines = [DecisionEntryInline, DecisionReopeningInline]


class AnnouncementImageForm(forms.ModelForm):
    """The same content check as the staff page (awards.image_validation): a real JPEG, PNG or WebP of sensible
    size, stored under a name whose extension follows the content, never the uploader's."""

    class Meta:
        model = AnnouncementImage
        fields = ["order", "image", "alt_fi", "alt_sv", "alt_en", "caption"]

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile):
            extension = validate_image_content(image)
            image.name = f"image.{extension}"
        return image


class AnnouncementImageInline(admin.TabularInline):
    model = AnnouncementImage
    form = AnnouncementImageForm
    extra = 0
    fields = ["order", "image", "alt_fi", "alt_sv", "alt_en", "caption"]


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["cycle", "title_fi", "notifications_sent_at", "updated_at"]
    readonly_fields = ["notifications_sent_at", "created_at", "updated_at"]
    inlines = [AnnouncementImageInline]


@admin.register(NotificationLog)
class NotificationLogAdmin(admin.ModelAdmin):
    list_display = ["email", "nomination", "kind", "language", "sent_at"]
    list_filter = ["cycle", "kind", "language"]
    search_fields = ["email", "nomination__name"]
    list_select_related = ["nomination"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(admin.ModelAdmin):
    list_display = ["nomination", "until", "granted_by", "created_at"]
    list_select_related = ["nomination", "granted_by"]
    readonly_fields = ["nomination", "until", "reason", "granted_by", "created_at"]

    def has_add_permission(self, request):
        # Extensions are granted on the staff page so the rules and the audit entry apply.
        return False


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(admin.ModelAdmin):
    list_display = ["cycle", "last_number"]
    readonly_fields = ["cycle", "last_number"]


# Jury work. Reviews are read-only here: jurors change them through the scoring page so that the version check,
# the jury period and the audit trail always apply.


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
