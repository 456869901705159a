import json

from allauth.account.decorators import reauthentication_required
from allauth.account.views import LoginView, LogoutView
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts import registry, services
from accounts.forms import AccountSettingsForm
from core.crossorigin import protect_without_token
from core.ratelimit import too_many_requests


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    user = request.user
    form = AccountSettingsForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            services.set_visit_linking(user, form.cleaned_data["link_visits"])
        # The next page is in the (perhaps new) language; so is its message.
        with translation.override(user.language):
            messages.success(request, _("Dina uppgifter är sparade."))
        return redirect(translate_url(reverse("accounts:my_data"), user.language))
    sections = [
        {"section": section, "data": section.collect(user)} for section in registry.sections()
    ]
    context = {"facts": services.account_facts(user), "sections": sections, "form": form}
    return render(request, "account/my_data.html", context)


@never_cache
@login_required
@require_GET
def export(request):
    data = services.personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    # Translators: the start of the export's file name; lower case, dashes, no spaces.
    name = _("centiro-mina-uppgifter")
    filename = f"{name}-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def delete(request):
    if request.method == "POST":
        user = request.user
        services.delete_account(user)
        logout(request)
        messages.success(request, _("Ditt konto är raderat. Vi har skickat en bekräftelse."))
        response = redirect("home")
        for section in registry.sections():
            if section.on_account_deleted:
                section.on_account_deleted(response)
        return response
    return render(request, "account/delete.html")


def too_many_attempts(request, exception=None):
    """allauth's answer when one of its limits refuses a request (its respond_429 calls the
    URLconf's handler429). A refused sign-in shows the form again with the address typed, never
    the password, and says when to try again; any other refusal gets the 429 page."""
    match = request.resolver_match
    if request.method != "POST" or match is None or match.url_name != "account_login":
        return render(request, "429.html", status=429)
    view = LoginView()
    view.setup(request)
    form = view.get_form_class()(initial={"login": request.POST.get("login", "")}, request=request)
    context = view.get_context_data(form=form)
    return too_many_requests(
        request, services.rate_limit_window("login"), "account/login.html", context
    )


# allauth's sign-out, protected by the browser's headers alone (core/crossorigin.py): the
# form in every signed-in page's header then carries no CSRF token, so a page needs none masked
# anew for each response, and the cached portal holds nothing per session. Forcing a sign-out
# from a browser that sends neither header is the worst a forged post could do.
sign_out = protect_without_token(LogoutView.as_view())
