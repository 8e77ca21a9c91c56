"""Input and output shapes of the SCORM package API (the CMI runtime's are in cmi_serializers.py)."""

from __future__ import annotations

from rest_framework import serializers

from courses.attempt_grading import GradingMethod

from ..models import CompletionRule, ScormVersion


class ScormUploadIn(serializers.Serializer):
    file = serializers.FileField(help_text="A SCORM 1.2 or 2004 zip with imsmanifest.xml at its top.")
    grading_method = serializers.ChoiceField(choices=GradingMethod.choices, required=False)
    completion_rule = serializers.ChoiceField(
        choices=CompletionRule.choices, required=False,
        help_text="Default on a first upload: `required` when the package marks some SCO as not "
                  "counting for completion, else `all`. A re-upload keeps the lesson's rule.")


class ScormSettingsIn(serializers.Serializer):
    grading_method = serializers.ChoiceField(choices=GradingMethod.choices, required=False)
    completion_rule = serializers.ChoiceField(choices=CompletionRule.choices, required=False)


class ScormItemOut(serializers.Serializer):
    identifier = serializers.CharField()
    title = serializers.CharField()
    depth = serializers.IntegerField(help_text="0 for the organisation's own items.")
    is_sco = serializers.BooleanField(help_text="Launches a SCO (tracked); false: an asset or a folder.")
    href = serializers.CharField(allow_null=True, help_text="Launch URL relative to the package root "
                                                            "(with the item's parameters); null: a folder.")
    mastery_score = serializers.FloatField(allow_null=True, help_text="SCORM 1.2, 0..100.")
    scaled_passing_score = serializers.FloatField(allow_null=True, help_text="SCORM 2004, -1..1.")
    completion_threshold = serializers.FloatField(allow_null=True, help_text="SCORM 2004, 0..1.")
    required = serializers.BooleanField(help_text="Counts for the lesson's completion.")


class ScormWarningOut(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    path = serializers.CharField(allow_null=True)


class ScormPackageOut(serializers.Serializer):
    id = serializers.IntegerField()
    lesson_id = serializers.IntegerField()
    title = serializers.CharField()
    version = serializers.ChoiceField(choices=ScormVersion.choices)
    items = ScormItemOut(many=True, help_text="The default organisation, flattened in manifest order.")
    completion_rule = serializers.ChoiceField(choices=CompletionRule.choices)
    grading_method = serializers.ChoiceField(choices=GradingMethod.choices)
    warnings = ScormWarningOut(many=True)
    size_bytes = serializers.IntegerField(help_text="Unpacked size.")
    file_count = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()
    uploads = serializers.IntegerField(help_text="How many times a package was uploaded here.")
    player_url = serializers.CharField()
