from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import Cohort, CohortMembership, Organisation, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["search_name"]
    list_display = ["email", "full_name", "organisation", "is_active", "date_joined"]
    list_filter = ["is_active", "is_staff", "language", "role_assignments__role"]
    search_fields = ["email", "full_name", "search_name"]
    autocomplete_fields = ["organisation"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "language", "organisation")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups",
                                  "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined", "invited_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": (
        "email", "full_name", "organisation", "password1", "password2")}),)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["indented_name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, unit):
        return "— " * unit.depth + unit.name


class CohortMembershipInline(admin.TabularInline):
    model = CohortMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "organisation", "created_at"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["organisation"]
    inlines = [CohortMembershipInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organisation", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
