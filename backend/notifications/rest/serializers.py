from rest_framework import serializers

from backend.notifications.models import Delivery, Notification


class NotificationSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Link to the thing it is about ('' if none).")

    class Meta:
        model = Notification
        fields = ["id", "kind", "created_at", "read_at", "title", "body", "url", "delivery"]

    def get_url(self, row: Notification) -> str:
        return row.url


class NotificationListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    unread_count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = NotificationSerializer(many=True)


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many were unread.")
    unread_count = serializers.IntegerField()


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    delivery = serializers.ChoiceField(choices=Delivery.choices)


class PreferencesSerializer(serializers.Serializer):
    preferences = PreferenceSerializer(many=True)


class PreferencesUpdateSerializer(serializers.Serializer):
    """{kind: delivery}, e.g. {"course_due": "digest"}; kinds not named keep their setting."""

    preferences = serializers.DictField(child=serializers.ChoiceField(choices=Delivery.choices))


class DefaultsSerializer(serializers.Serializer):
    defaults = serializers.DictField(child=serializers.ChoiceField(choices=Delivery.choices))
