"""What search engines and security researchers read: sitemap, robots.txt, security.txt."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core.declarations import views_marked

# Pages only for signed-in users or staff: never indexed.
PRIVATE_APPS = {"accounts", "registrations", "visits", "admin"}
PRIVATE_NAME_PREFIXES = ("account_", "mfa_")


def canonical_base():
    parts = urlsplit(settings.SITE_URL)
    return parts.scheme, parts.netloc


def is_private(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    return match.app_name in PRIVATE_APPS or (match.url_name or "").startswith(
        PRIVATE_NAME_PREFIXES
    )


class CanonicalSitemap(Sitemap):
    """Every public page in both languages, with hreflang alternates, on the canonical host."""

    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol=None):
        return canonical_base()[0]

    def get_domain(self, site=None):
        return canonical_base()[1]


class PublicPagesSitemap(CanonicalSitemap):
    changefreq = "monthly"

    def items(self):
        # The public pages are those the page cache may answer (`@cacheable`).
        return [name for name, arguments in views_marked("page_cache").items() if not arguments]

    def location(self, item):
        return reverse(item)


class PolicyVersionsSitemap(CanonicalSitemap):
    changefreq = "never"

    def items(self):
        from policy.models import PolicyVersion

        return PolicyVersion.objects.in_effect().order_by("number")

    def location(self, item):
        return reverse("policy:version", args=[item.number])

    def lastmod(self, item):
        return item.published_at


SITEMAPS = {"pages": PublicPagesSitemap, "policy": PolicyVersionsSitemap}


def robots_disallowed_paths():
    paths = ["/admin/"]
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            paths.append(reverse("account_login").rsplit("/", 2)[0] + "/")
            paths.append(reverse("registrations:portal"))
            paths.append(reverse("consent:choose"))
            paths.append(reverse("visits:statistics"))
    return sorted(set(paths))


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in robots_disallowed_paths()]
    lines += ["", f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def security_txt_expires():
    if settings.SECURITY_TXT_EXPIRES:
        return datetime.fromisoformat(settings.SECURITY_TXT_EXPIRES)
    # Without an explicit date, promise at most 180 days ahead (RFC 9116 asks for less than
    # a year), counted from today so the file never goes stale on a running site.
    return (timezone.now() + timedelta(days=180)).replace(microsecond=0)


@require_safe
@cache_control(max_age=86400, public=True)
def security_txt(request):
    expires = security_txt_expires()
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: sv, en",
        f"Canonical: {settings.SITE_URL}/.well-known/security.txt",
        f"Policy: {settings.SITE_URL}{reverse('policy:current')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(max_age=86400, public=True)
def favicon_ico(request):
    """Browsers and feed readers ask for /favicon.ico whatever the pages link: send them to the
    hashed static copy, which carries the long cache lifetime."""
    return HttpResponseRedirect(static("img/favicon.ico"))
