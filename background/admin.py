"""Read-only views of the outbox and the timed work for staff in the admin; changes go through the services."""

from django.contrib import admin

from .models import DueWork, Email


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Email)
class EmailAdmin(ReadOnly):
    list_display = ["created_at", "purpose", "to", "language", "state", "attempts", "sent_at"]
    list_filter = ["state", "purpose", "language"]
    search_fields = ["to", "key"]
    # The body is not shown: it may hold a link that opens an account.
    exclude = ["text", "html"]


@admin.register(DueWork)
class DueWorkAdmin(ReadOnly):
    list_display = ["name", "last_run_at", "next_run_at", "last_result", "last_error"]
