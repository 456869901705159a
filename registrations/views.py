from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.net import client_ip
from core.ratelimit import ratelimit
from registrations import notices, portalcache, services
from registrations.access import verified_user_required
from registrations.downloads import file_response
from registrations.forms import RegisterForm, UpdatesOptInForm
from registrations.keys import GENERIC_KEY_ERROR
from registrations.models import Product, Registration, Resource

ATTEMPTS_PER_HOUR = 10
ATTEMPT_PERIOD = 3600


def _report_unavailable_key(form):
    """A form with another error still says whether the key is wrong, so one round shows all."""
    key = form.cleaned_data.get("key") if form.is_bound else None
    if key and not services.key_is_available(key):
        form.add_error("key", ValidationError(GENERIC_KEY_ERROR, code="key_unavailable"))


@never_cache
@require_safe
@verified_user_required
def portal(request):
    def render_portal():
        resources = Resource.objects.visible_to(request.user).select_related("product")
        return render(request, "registrations/portal.html", {"resources": resources})

    return portalcache.respond(request, render_portal)


def _form_as_typed(request):
    """What was typed comes back unvalidated: no key is looked up."""
    return {"form": RegisterForm(initial=request.POST.dict())}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@verified_user_required
# Per user and per address, so neither many accounts on one address nor one account from
# many addresses can try keys at speed.
@ratelimit(
    "registrations.register.user",
    lambda request: request.user.pk,
    limit=ATTEMPTS_PER_HOUR,
    period=ATTEMPT_PERIOD,
    template="registrations/register.html",
    context=_form_as_typed,
)
@ratelimit(
    "registrations.register.ip",
    client_ip,
    limit=ATTEMPTS_PER_HOUR,
    period=ATTEMPT_PERIOD,
    template="registrations/register.html",
    context=_form_as_typed,
)
def register(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            _report_unavailable_key(form)
        else:
            try:
                registration = services.register_product(
                    request.user,
                    form.cleaned_data["key"],
                    purchase_date=form.cleaned_data["purchase_date"],
                    updates_opt_in=form.cleaned_data["updates_opt_in"],
                )
            except ValidationError as error:
                form.add_error("key", error)
            else:
                messages.success(
                    request,
                    _("%(product)s är registrerad. Vi har skickat en bekräftelse via e-post.")
                    % {"product": registration.product.name},
                )
                return redirect("registrations:list")
    return render(request, "registrations/register.html", {"form": form})


@never_cache
@require_safe
@verified_user_required
def registration_list(request):
    registrations = Registration.objects.filter(user=request.user).select_related(
        "product", "licence_key"
    )
    return render(request, "registrations/list.html", {"registrations": registrations})


@never_cache
@require_POST
@verified_user_required
def updates(request, pk):
    registration = get_object_or_404(Registration, pk=pk, user=request.user)
    form = UpdatesOptInForm(request.POST)
    form.is_valid()  # a missing checkbox means off
    services.set_updates_opt_in(registration, form.cleaned_data.get("updates_opt_in", False))
    if registration.updates_opt_in:
        message = _("Du får nu nyheter om %(product)s.")
    else:
        message = _("Du får inte längre nyheter om %(product)s.")
    messages.success(request, message % {"product": registration.product.name})
    return redirect("registrations:list")


@never_cache
@require_safe
@verified_user_required
def resource(request, pk):
    item = get_object_or_404(Resource.objects.visible_to(request.user), pk=pk)
    if not item.file:
        return render(request, "registrations/resource.html", {"resource": item})
    return file_response(item)


# Mail clients send RFC 8058 one-click unsubscribes as a POST without our CSRF
# token; the signed token in the URL is the authorisation.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    identifiers = notices.read_unsubscribe_token(token)
    if identifiers is None:
        raise Http404
    user_pk, product_pk = identifiers
    product = get_object_or_404(Product, pk=product_pk)
    if request.method == "POST":
        notices.unsubscribe(user_pk, product_pk)
        return render(request, "registrations/unsubscribed.html", {"product": product})
    return render(request, "registrations/unsubscribe.html", {"product": product})
