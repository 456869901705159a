from visits import recording, visitor_cookie


class VisitMiddleware:
    """Record successful HTML page views as pseudonymous visits, and keep the visitor id
    cookie within consent on every response (a leftover id is deleted).

    Sits after AuthenticationMiddleware, so staff can be recognised (and
    skipped) when the request has a session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        record(request, response)
        return response


def record(request, response):
    """Record the page view and keep the id cookie within consent (also on a page cache hit:
    visits/apps.py)."""
    if recording.is_recordable(request, response):
        visit = recording.build_visit(request)
        if visit is not None:
            recording.identify(request, response, visit)
            recording.save(visit)
            recording.link_to_user(request, visit.visitor_id)
    visitor_cookie.forget_without_consent(request, response)
