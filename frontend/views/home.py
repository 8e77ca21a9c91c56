from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.accounts.api import Role, user_update_profile
from frontend.forms_base import Form
from frontend.views.dashboard import dashboard_context


def home(request):
    if not request.user.is_authenticated:
        return render(request, "frontend/welcome.html")
    roles = _roles(request)
    role_labels = dict(Role.choices)
    return render(request, "frontend/home.html", {
        "role_labels": [role_labels[r] for r in Role.values if r in roles],
        **dashboard_context(request.user, roles),
    })


def _roles(request):
    from backend.accounts.api import user_role_names

    return user_role_names(request.user)


class ProfileForm(Form):
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=255)
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None,
                       initial={"full_name": user.full_name, "language": user.language})
    if request.method == "POST" and form.is_valid():
        user_update_profile(user=user, **form.cleaned_data)
        translation.activate(user.language)
        messages.success(request, _("Your profile has been saved."))
        response = redirect("profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language,
                            samesite="Lax", secure=not settings.DEBUG and not settings.TESTING)
        return response
    return render(request, "frontend/profile.html", {"form": form})
