"""An audit entry's sentence with its target as a link (the text is escaped, the link added)."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def audit_sentence(description, url: str = ""):
    target = format_html('<a href="{}">{}</a>', url, description.target) if url \
        else conditional_escape(description.target)
    actor = format_html("<strong>{}</strong>", description.actor)
    return mark_safe(conditional_escape(description.template).format(actor=actor, target=target))  # noqa: S308
