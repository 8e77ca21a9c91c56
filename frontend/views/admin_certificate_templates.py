"""Administration: certificate templates (a unit's default, or a course's own) listed, created and
edited through the same services as the REST API (certificates.services.template_*)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.accounts.api import path_q
from backend.api.untrusted import parse_id
from backend.errors import DomainError
from backend.limits import FREE_TEXT_MAX_CHARS
from certificates import api as certificates_api
from certificates.api import CertificateTemplate, admin_paths, certificates_visible_to, templates_visible_to
from courses.api import course_get, courses_visible_to
from frontend.forms_base import Form
from frontend.views.admin import add_errors, admin_required, posted, units_for

FIELDS = ["issuer_name", "parent_issuer_name", "place", "signer_title", "signer_name",
          "validity_months", "course_hours", "wording", "serial_pattern", "language",
          "renewal_rule", "renewal_window_days"]
IMAGES = ("signature_image", "seal_image")
IMAGE_HELP = gettext_lazy("PNG or JPEG, up to 1 MB. Leave empty to keep the current image.")


class TemplateForm(Form):
    """The fields the API accepts; labels and defaults come from the model."""

    def __init__(self, *args, units=None, courses=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:  # creating a unit's default template
            self.fields["organisation"] = forms.ModelChoiceField(
                queryset=units.order_by("path"), label=_("Unit"),
                help_text=_("Courses of this unit and of the units under it use the template."))
        self.fields.update(forms.fields_for_model(CertificateTemplate, fields=FIELDS))
        self.fields["wording"].validators.append(MaxLengthValidator(FREE_TEXT_MAX_CHARS))
        self.fields["signature_image"] = forms.FileField(
            required=False, label=_("Signature image"), help_text=IMAGE_HELP)
        self.fields["seal_image"] = forms.FileField(
            required=False, label=_("Seal image"), help_text=IMAGE_HELP)
        # Recertification: the refresher course, among the courses this administrator can see.
        self.fields["refresher_course"] = forms.ModelChoiceField(
            queryset=courses, required=False,
            label=_("Refresher course"),
            help_text=_("Only for the renewal “Take a refresher course”."))
        for name in ("renewal_rule", "renewal_window_days"):  # left empty: as it is (or default)
            self.fields[name].required = False
        order = [n for n in self.fields if n not in ("renewal_rule", "refresher_course",
                                                     "renewal_window_days")]
        self.order_fields([*order, "renewal_rule", "refresher_course", "renewal_window_days"])

    def values(self) -> dict:
        values = {k: v for k, v in self.cleaned_data.items() if k in FIELDS}
        for name in ("renewal_rule", "renewal_window_days"):
            if values.get(name) in (None, ""):
                values.pop(name, None)
        if "refresher_course" in self.cleaned_data:
            chosen = self.cleaned_data["refresher_course"]
            values["refresher_course_id"] = chosen.pk if chosen else None
        for name in IMAGES:
            upload = self.cleaned_data.get(name)
            if upload:  # nothing chosen: the current image stays
                values[name] = upload.read(certificates_api.TEMPLATE_MAX_IMAGE_BYTES + 1)
        return values


@admin_required
def template_list(request):
    templates = templates_visible_to(request.user).select_related("course")
    return render(request, "frontend/admin/certificate_templates.html", {
        "section": "certificates", "templates": templates,
        "courses": _courses_issuing(request.user)})


def _courses_issuing(user) -> list[dict]:
    """Courses of the units the user administers that issue certificates, with how many were
    issued: the way from administration to each course's certificates page."""
    paths = admin_paths(user)
    courses = courses_visible_to(user).filter(issues_certificate=True).select_related("organisation")
    if paths is not None:
        courses = courses.filter(path_q(paths, "organisation__path"))
    courses = list(courses.order_by("title")[:200])
    counts = dict(certificates_visible_to(user).filter(course_id__in=[c.pk for c in courses])
                  .values("course_id").annotate(n=Count("pk")).values_list("course_id", "n"))
    return [{"course": c, "issued": counts.get(c.pk, 0)} for c in courses]


@admin_required
def template_create(request):
    course = _course_from(request)
    form = TemplateForm(posted(request), request.FILES or None,
                        units=None if course else units_for(request.user),
                        courses=_refresher_choices(request.user))
    if request.method == "POST" and form.is_valid():
        owner = ({"course_id": course.id} if course
                 else {"organisation_id": form.cleaned_data["organisation"].pk})
        try:
            certificates_api.template_create(actor=request.user, **owner, **form.values())
        except (ValidationError, DomainError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The certificate template has been saved."))
            return redirect("admin-certificates")
    heading = (_("Certificate template for the course “%(title)s”") % {"title": course.title}
               if course else _("New certificate template for a unit"))
    return render(request, "frontend/admin/certificate_template_form.html", {
        "section": "certificates", "form": form, "heading": heading, "course": course})


@admin_required
def template_edit(request, pk: int):
    template = templates_visible_to(request.user).select_related("course").filter(pk=pk).first()
    if template is None:
        raise Http404
    initial = {name: getattr(template, name) for name in FIELDS}
    initial["refresher_course"] = template.refresher_course_id
    form = TemplateForm(posted(request), request.FILES or None, initial=initial,
                        courses=_refresher_choices(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            certificates_api.template_update(actor=request.user, template_id=template.pk, **form.values())
        except (ValidationError, DomainError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The certificate template has been saved."))
            return redirect("admin-certificates")
    return render(request, "frontend/admin/certificate_template_form.html", {
        "section": "certificates", "form": form, "template": template,
        "heading": _("Edit the certificate template of “%(owner)s”") % {
            "owner": template.course.title if template.course else template.organisation.name}})


def _refresher_choices(user):
    return courses_visible_to(user).order_by("title")


def _course_from(request):
    """?course=<id>: the course's own template (linked from its certificates page)."""
    raw = request.GET.get("course")
    if not raw:
        return None
    course_id = parse_id(raw)
    course = course_get(course_id) if course_id is not None else None
    if course is None:
        raise Http404
    try:
        certificates_api.ensure_manageable_course(actor=request.user, course_id=course.id)
    except DomainError as exc:  # not this administrator's course: as if it did not exist
        raise Http404 from exc
    return course
