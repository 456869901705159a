from django.utils.cache import patch_vary_headers

from consent import state
from consent.cookies import STATISTICS, VISITOR_COOKIE


class ConsentMiddleware:
    """Keep responses honest about what they depend on, and the visitor id within consent.

    A response rendered from the consent state (the banner, the settings page)
    depends on the consent cookie and on the Sec-GPC header. A visitor id left in
    the browser after consent expired or the declaration changed is deleted.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        forget_leftover_visitor(request, response)
        if state.was_read(request):
            patch_vary_headers(response, ("Cookie", "Sec-GPC"))
        return response


def forget_leftover_visitor(request, response):
    """Delete a visitor id the consent no longer covers (also on a page cache hit)."""
    if (
        VISITOR_COOKIE in request.COOKIES
        and VISITOR_COOKIE not in response.cookies
        and not state.get(request).allows(STATISTICS)
    ):
        state.forget_visitor(response)
