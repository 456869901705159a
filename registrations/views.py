from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.ratelimit import too_many_requests
from registrations import attempts, notices, portalcache, services
from registrations.access import verified_user_required
from registrations.downloads import file_response
from registrations.forms import RegisterForm, UpdatesOptInForm
from registrations.models import Product, Registration, Resource


def _report_unavailable_key(request, form):
    """A form with another error still says whether the key is wrong, so one round shows all."""
    key = form.cleaned_data.get("key") if form.is_bound else None
    error = key and services.key_error(request.user, key)
    if error:
        form.add_error("key", error)


@never_cache
@require_safe
@verified_user_required
def portal(request):
    def render_portal():
        resources = Resource.objects.visible_to(request.user).select_related("product")
        has_registrations = request.user.registrations.exists()
        context = {"resources": resources, "has_registrations": has_registrations}
        return render(request, "registrations/portal.html", context)

    return portalcache.respond(request, render_portal)


def _form_as_typed(request):
    """What was typed comes back unvalidated: no key is looked up."""
    return {"form": RegisterForm(initial=request.POST.dict())}


def _register(request, form):
    """The registration the valid `form` asks for, or None with the error added to `form`."""
    try:
        return services.register_product(
            request.user,
            form.cleaned_data["key"],
            purchase_date=form.cleaned_data["purchase_date"],
            updates_opt_in=form.cleaned_data["updates_opt_in"],
        )
    except ValidationError as error:
        form.add_error("key", error)
        return None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@verified_user_required
def register(request):
    if request.method != "POST":
        return render(request, "registrations/register.html", {"form": RegisterForm()})
    attempt = attempts.Attempt(request)
    if not attempt.start():
        return too_many_requests(
            request, attempts.PERIOD, "registrations/register.html", _form_as_typed(request)
        )
    form = RegisterForm(request.POST)
    registration = None
    if form.is_valid():
        registration = _register(request, form)
    else:
        _report_unavailable_key(request, form)
    if not any(form.has_error("key", code) for code in services.UNAVAILABLE_KEY_CODES):
        attempt.give_back()
    if registration is None:
        return render(request, "registrations/register.html", {"form": form})
    messages.success(
        request,
        _("%(product)s är registrerad. Vi har skickat en bekräftelse via e-post.")
        % {"product": registration.product.name},
    )
    return redirect("registrations:list")


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
    if not item.download:
        return render(request, "registrations/resource.html", {"resource": item})
    return file_response(item.download)


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
