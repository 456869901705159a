from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST, require_safe

from core.crossorigin import protect_without_token
from core.net import safe_next
from pagecache.store import cacheable
from policy import services
from policy.diff import diff_versions
from policy.models import PolicyVersion


@cacheable()
@require_safe
def current(request):
    version = services.in_effect(request).current
    if version is None:
        raise Http404
    return render(request, "policy/version.html", {"version": version, "is_current": True})


def _public_version(number):
    return get_object_or_404(PolicyVersion.objects.in_effect(), number=number)


@cacheable()
@require_safe
def version(request, number):
    version = _public_version(number)
    current = services.current_version()
    return render(
        request,
        "policy/version.html",
        {"version": version, "is_current": current is not None and current.pk == version.pk},
    )


@cacheable()
@require_safe
def archive(request):
    versions = PolicyVersion.objects.in_effect().order_by("-number")
    return render(request, "policy/archive.html", {"versions": versions})


@cacheable()
@require_safe
def diff(request, a, b):
    old, new = _public_version(a), _public_version(b)
    # Published versions never change, so their diff can be kept as long as the cache likes.
    key = f"policy:diff:v2:{old.sha256}:{new.sha256}:{get_language()}"
    changes = cache.get_or_set(key, lambda: diff_versions(old, new), timeout=None)
    return render(request, "policy/diff.html", {"old": old, "new": new, "diff": changes})


def _back(request):
    """Back to the posted `next` when it is a path on this site: never an open redirect."""
    next_url = safe_next(request, request.POST.get("next", ""), reverse("policy:current"))
    return HttpResponseRedirect(next_url)  # a URL, never a view name


@login_required
@require_POST
def acknowledge(request, number):
    version = _public_version(number)
    services.acknowledge(request.user, version)
    return _back(request)


@protect_without_token
@require_POST
def dismiss_notice(request, number):
    version = _public_version(number)
    response = _back(request)
    services.dismiss_notice(response, version)
    return response
