"""Input and output shapes of the H5P API."""

from __future__ import annotations

from rest_framework import serializers

from ..models import GradingMethod


class UploadIn(serializers.Serializer):
    file = serializers.FileField(help_text="A .h5p package exported WITH its libraries.")
    grading_method = serializers.ChoiceField(choices=GradingMethod.choices, required=False)


class SettingsIn(serializers.Serializer):
    grading_method = serializers.ChoiceField(choices=GradingMethod.choices)


class LibraryOut(serializers.Serializer):
    machine_name = serializers.CharField()
    version = serializers.CharField(help_text="major.minor.patch")
    title = serializers.CharField()
    files_hash = serializers.CharField(help_text="Digest of the library's files: the same version with "
                                                 "other bytes is another copy, played only by the content "
                                                 "that brought it.")
    added = serializers.BooleanField(help_text="Stored by this upload (false: these bytes were already "
                                               "on the site).")


class WarningOut(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    path = serializers.CharField(allow_null=True)


class ContentOut(serializers.Serializer):
    id = serializers.IntegerField()
    lesson_id = serializers.IntegerField()
    title = serializers.CharField()
    language = serializers.CharField()
    main_library = serializers.CharField(help_text="e.g. H5P.MultiChoice 1.16.4")
    libraries = LibraryOut(many=True)
    warnings = WarningOut(many=True)
    embed_types = serializers.ListField(child=serializers.CharField())
    grading_method = serializers.ChoiceField(choices=GradingMethod.choices)
    uploaded_at = serializers.DateTimeField()
    uploads = serializers.IntegerField(help_text="How many times a package was uploaded here.")
    player_url = serializers.CharField()


class StateIn(serializers.Serializer):
    state = serializers.CharField(allow_null=True, allow_blank=True, trim_whitespace=False,
                                  help_text="The player's state as a JSON text; null or '' forgets it.")


class StateOut(serializers.Serializer):
    state = serializers.CharField(allow_null=True)


class XAPIOut(serializers.Serializer):
    stored = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    attempts = serializers.IntegerField(allow_null=True)
    score = serializers.FloatField(allow_null=True, help_text="The lesson score now, 0..1.")
    completed = serializers.BooleanField()
