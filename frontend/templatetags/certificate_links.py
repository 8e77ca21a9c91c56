"""Links to a course's certificates page, for the people who may manage them (its unit's
administrators) and only for courses that issue certificates."""

from django import template
from django.urls import reverse

from certificates.api import is_admin_over

register = template.Library()


@register.simple_tag(takes_context=True)
def course_certificates_url(context, course) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not getattr(course, "issues_certificate", False):
        return ""
    unit = getattr(course, "organisation", None)
    if unit is None or not is_admin_over(user, unit.path):
        return ""
    return reverse("course-certificates", args=[course.pk])
