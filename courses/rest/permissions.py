"""Who may do what through the REST API: one permission class and one queryset filter per
resource, so a list never shows a row its detail view would refuse (rules in selectors)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from courses.models import Course, Enrolment, Lesson, Module
from courses.selectors import (
    course_visibility_q,
    courses_visible_to,
    enrolment_visibility_q,
    is_course_author,
    is_course_staff,
    lessons_visible_to,
    not_found,
    staff_paths,
)


class NotAuthor(PermissionDenied):
    default_code = "not_author"


# --- courses: visible to see; a trainer over the unit to change ------------------------------------

def course_queryset(request, **filters) -> QuerySet[Course]:
    return courses_visible_to(request.user, **filters)


class CourseAccess(BasePermission):
    def has_object_permission(self, request, view, course: Course) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if getattr(view, "course_action", "author") == "staff":
            return is_course_staff(request.user, course)
        if not is_course_author(request.user, course):
            raise NotAuthor(_("Only trainers of the course's unit may change it."))
        return True


def course_for(request, view, course_id: int, **filters) -> Course:
    course = course_queryset(request, **filters).filter(pk=course_id).first()
    if course is None:
        raise not_found()
    view.check_object_permissions(request, course)
    return course


# --- modules and lessons: their course must be visible; writes need its author ------------------

def module_queryset(request) -> QuerySet[Module]:
    return Module.objects.filter(course_visibility_q(request.user, "course__"),
                                 deleted_at__isnull=True).select_related("course__organisation")


def lesson_queryset(request) -> QuerySet[Lesson]:
    """Live draft lessons, and deleted ones still in the published version."""
    return lessons_visible_to(request.user)


class ContentAccess(BasePermission):
    """Modules and lessons: reading is decided per learner (enrolment, locks) in the view;
    changing needs a trainer over the course's unit."""

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if not is_course_author(request.user, obj.course):
            raise NotAuthor(_("Only trainers of the course's unit may change it."))
        return True


def content_for(request, view, queryset: QuerySet, pk: int):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise not_found()
    view.check_object_permissions(request, obj)
    return obj


# --- enrolments: the course's staff see all; other staff their subtree; everyone their own -------

def enrolment_queryset(request, course: Course) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(enrolment_visibility_q(request.user, course))


class EnrolmentListAccess(BasePermission):
    """Listing enrolments is for staff (what they see is then filtered by the queryset)."""

    def has_permission(self, request, view) -> bool:
        return staff_paths(request.user) != []
