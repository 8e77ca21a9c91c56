"""Shapes of GET/PUT /api/v1/lessons/{id}/scorm/cmi/ (the documented schema; the view renders with them)."""

from __future__ import annotations

from rest_framework import serializers


class ScormResultOut(serializers.Serializer):
    score = serializers.FloatField(allow_null=True, help_text="The lesson score, a fraction 0..1.")
    completed = serializers.BooleanField()
    passed = serializers.BooleanField(allow_null=True, help_text="null: the package reports no success.")
    attempts = serializers.IntegerField(help_text="Attempts of every SCO of the lesson.")


class ScormCmiOut(serializers.Serializer):
    sco = serializers.CharField(help_text="The item's identifier in the manifest.")
    attempt = serializers.IntegerField(help_text="The attempt this session belongs to (1, 2, …).")
    seq = serializers.IntegerField(help_text="Number of the last commit applied to it (0: none).")
    version = serializers.ChoiceField(choices=["1.2", "2004-3", "2004-4"])
    entry = serializers.ChoiceField(choices=["ab-initio", "resume", ""])
    cmi = serializers.DictField(child=serializers.CharField(allow_blank=True),
                                help_text="Flattened data model to give scorm-again's loadFromFlattenedJSON.")
    result = ScormResultOut()
    preview = serializers.BooleanField(help_text="Staff preview: commits are not recorded.")


class ScormCommitIn(serializers.Serializer):
    sco = serializers.CharField(max_length=255)
    attempt = serializers.IntegerField(min_value=1, help_text="The attempt the GET gave.")
    seq = serializers.IntegerField(min_value=1, help_text="Above the GET's seq, one more per commit.")
    cmi = serializers.DictField(help_text="scorm-again's renderCommitCMI(true), flattened format. "
                                          "LMS-owned elements are ignored.")
    terminated = serializers.BooleanField(default=False, help_text="LMSFinish / Terminate was called.")


class ScormCommitOut(serializers.Serializer):
    applied = serializers.BooleanField(help_text="false: stale or duplicate seq, another attempt, "
                                                 "or staff preview; nothing changed.")
    seq = serializers.IntegerField(help_text="The attempt's last applied commit number.")
    attempt = serializers.IntegerField(help_text="The SCO's current attempt.")
    result = ScormResultOut()
    preview = serializers.BooleanField()
