"""Parked tasks in the admin: read what failed and why, then send it back to the queue or dismiss it."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from claims.models import ParkedTask
from claims.parked_tasks import parked_task_dismiss, parked_task_requeue


class ParkedTaskOpenFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("open", "Waiting for a person"), ("resolved", "Resolved")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[ParkedTask]) -> QuerySet[ParkedTask]:
        if self.value() == "open":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(ParkedTask)
class ParkedTaskAdmin(admin.ModelAdmin):
    list_display = ["task_name", "args", "exception", "attempts", "parked_at", "resolution", "resolved_at"]
    list_filter = [ParkedTaskOpenFilter, "task_name", "resolution"]
    search_fields = ["task_name", "task_id", "exception"]
    readonly_fields = [field.name for field in ParkedTask._meta.fields]
    date_hierarchy = "parked_at"
    actions = ["requeue", "dismiss"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Send the selected tasks back to the queue", permissions=["change"])
    def requeue(self, request: HttpRequest, queryset: QuerySet[ParkedTask]) -> None:
        waiting = list(queryset.filter(resolved_at__isnull=True))
        for parked in waiting:
            parked_task_requeue(parked=parked, actor=request.user)
        self.message_user(request, f"{len(waiting)} task(s) sent back to the queue.", messages.SUCCESS)

    @admin.action(description="Dismiss the selected tasks", permissions=["change"])
    def dismiss(self, request: HttpRequest, queryset: QuerySet[ParkedTask]) -> None:
        waiting = list(queryset.filter(resolved_at__isnull=True))
        for parked in waiting:
            parked_task_dismiss(parked=parked, actor=request.user)
        self.message_user(request, f"{len(waiting)} task(s) dismissed.", messages.SUCCESS)
