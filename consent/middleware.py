from django.utils.cache import patch_vary_headers

from consent import state


class ConsentMiddleware:
    """Keep responses honest about what they depend on.

    A response rendered from the consent state (the banner, the settings page)
    depends on the consent cookie and on the Sec-GPC header. (A visitor id left in
    the browser without consent is deleted by visits.middleware.VisitMiddleware.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if state.was_read(request):
            patch_vary_headers(response, ("Cookie", "Sec-GPC"))
        return response
