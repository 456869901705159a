"""Limits on request bodies, applied before any view or middleware reads one.

Django counts only the non-file part of a body against DATA_UPLOAD_MAX_MEMORY_SIZE and spools
files to disk whatever their size, so without this any form would accept a file of any size.
"""

from django.conf import settings
from django.utils.deprecation import MiddlewareMixin

from core.views import bad_request, payload_too_large


def accepts_files(view):
    """Mark a view that takes a file upload (the staff's resource upload, licence key import)."""
    view.accepts_files = True
    return view


def body_limit(view):
    if getattr(view, "accepts_files", False):
        return settings.REQUEST_MAX_BYTES + settings.RESOURCE_MAX_UPLOAD_BYTES
    return settings.REQUEST_MAX_BYTES


class RequestBodyLimitMiddleware(MiddlewareMixin):
    """413 for a body over its view's limit, 400 for a multipart body to a view without files.

    Runs in process_view, where the view is known and before CsrfViewMiddleware reads the body.
    The answer is sent without reading the body; the server then closes the connection.
    """

    def process_view(self, request, view, args, kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return bad_request(request, None)
        if length > body_limit(view):
            return payload_too_large(request)
        if request.content_type == "multipart/form-data" and not getattr(
            view, "accepts_files", False
        ):
            return bad_request(request, None)
        return None
