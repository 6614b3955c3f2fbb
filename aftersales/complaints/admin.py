from django.contrib import admin

from aftersales.complaints.models import ApprovalLimit, RouteStep


@admin.register(RouteStep)
class RouteStepAdmin(admin.ModelAdmin):
    list_display = ("position", "code", "department", "owner_role", "days", "optional")


@admin.register(ApprovalLimit)
class ApprovalLimitAdmin(admin.ModelAdmin):
    list_display = ("role", "max_amount", "may_approve_major", "rank")
