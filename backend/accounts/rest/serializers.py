from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from backend.accounts.models import Organisation, Role, User
from backend.accounts.selectors import user_role_names, user_role_scopes
from backend.api.fields import DateTimeField


class OrganisationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "code", "name", "kind"]


class RoleScopeSerializer(serializers.Serializer):
    role = serializers.CharField()
    organisation_id = serializers.IntegerField(allow_null=True)


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    role_scopes = serializers.SerializerMethodField()
    organisation = OrganisationBriefSerializer(read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "language", "roles", "role_scopes", "organisation"]

    def get_roles(self, user) -> list[str]:
        return user_role_names(user)

    def get_role_scopes(self, user) -> list[dict]:
        return RoleScopeSerializer(user_role_scopes(user), many=True).data


def me_payload(user) -> dict:
    """What `MeSerializer(user).data` renders, built directly: /me/ is called on every page load
    of an app, and building a ModelSerializer costs more than the rest of the request
    (tests/accounts/test_auth_cache.py holds the two equal)."""
    org = user.organisation
    return {
        "id": user.pk, "email": user.email, "full_name": user.full_name, "language": user.language,
        "roles": user_role_names(user),
        "role_scopes": [{"role": scope.role, "organisation_id": scope.organisation_id}
                        for scope in user_role_scopes(user)],
        "organisation": None if org is None else {"id": org.pk, "code": org.code, "name": org.name,
                                                  "kind": org.kind},
    }


class MeUpdateSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=255)
    language = serializers.ChoiceField(choices=settings.LANGUAGES)


class UserCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(label=_("e-mail address"))
    full_name = serializers.CharField(max_length=255, label=_("full name"))
    organisation = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), label=_("organisation"),
        help_text=_("Organisation code."),
    )
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices),
                                  default=[Role.TRAINEE], allow_empty=False)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, default="vi")
    invite = serializers.BooleanField(default=True)


class UserSerializer(serializers.ModelSerializer):
    organisation = OrganisationBriefSerializer(read_only=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "language", "organisation", "roles", "is_active",
                  "date_joined", "invited_at"]

    def get_roles(self, user) -> list[str]:
        return sorted({a.role for a in user.role_assignments.all()})


class UserUpdateSerializer(serializers.Serializer):
    """What an administrator may correct; fields left out stay as they are."""

    full_name = serializers.CharField(max_length=255, required=False, label=_("full name"))
    email = serializers.EmailField(required=False, label=_("e-mail address"),
                                   help_text="The new login; its owner confirms it (unverified).")
    organisation = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), required=False,
        label=_("organisation"), help_text=_("Organisation code."))


class UserDeactivateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="",
                                   label=_("reason"), help_text="Kept in the audit log.")


class DeactivationSerializer(serializers.Serializer):
    user = UserSerializer()
    sessions_ended = serializers.IntegerField(help_text="Open sessions (browsers, API tokens) "
                                              "that were signed out.")


class UserImportSerializer(serializers.Serializer):
    file = serializers.FileField(label=_("CSV file"))
    all_or_nothing = serializers.BooleanField(default=False, label=_("all or nothing"))


class ImportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["created", "updated", "error"])
    message = serializers.CharField(required=False)
    email = serializers.CharField(required=False)


class ImportCohortSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()
    organisation = OrganisationBriefSerializer(help_text="The unit that owns the cohort.")
    size = serializers.IntegerField(help_text="Active members after the import.")
    new = serializers.BooleanField(help_text="Created by this import.")


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    errors = serializers.IntegerField()
    written = serializers.BooleanField()
    rows = ImportRowSerializer(many=True)
    cohorts = ImportCohortSerializer(many=True, help_text="The cohorts the file named: one per "
                                     "name, owned by one unit, whatever units its people are in.")


class AccommodationIn(serializers.Serializer):
    time_factor = serializers.DecimalField(
        max_digits=6, decimal_places=2, coerce_to_string=False,
        help_text="1.00 to 5.00: the person's time limit on every timed quiz is multiplied by it.")
    extra_attempts = serializers.IntegerField(required=False, default=0,
                                              help_text="Added to a limited number of attempts (0 to 100).")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class AccommodationOut(serializers.Serializer):
    user_id = serializers.IntegerField()
    time_factor = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False)
    extra_attempts = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True)
    updated_at = DateTimeField(allow_null=True)
    notice = serializers.CharField(required=False)
