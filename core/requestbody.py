"""Limits on request bodies, applied before any view or middleware reads one.

Django counts only the non-file part of a body against DATA_UPLOAD_MAX_MEMORY_SIZE and spools
files to disk whatever their size, so without this any form would accept a file of any size.
"""

from django.conf import settings
from django.utils.deprecation import MiddlewareMixin

from core.views import bad_request, payload_too_large

# The only views that take a file: the staff's portal resource upload and licence key import.
FILE_UPLOAD_VIEWS = frozenset(
    {
        "admin:registrations_resource_add",
        "admin:registrations_resource_change",
        "admin:registrations_licencekey_import",
    }
)


def body_limit(view_name):
    if view_name in FILE_UPLOAD_VIEWS:
        return settings.REQUEST_MAX_BYTES + settings.RESOURCE_MAX_UPLOAD_BYTES
    return settings.REQUEST_MAX_BYTES


class RequestBodyLimitMiddleware(MiddlewareMixin):
    """413 for a body over its view's limit, 400 for a multipart body to a view without files.

    Runs in process_view, where the view is known and before CsrfViewMiddleware reads the body.
    The answer is sent without reading the body; the server then closes the connection.
    """

    def process_view(self, request, view, args, kwargs):
        view_name = request.resolver_match.view_name
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return bad_request(request, None)
        if length > body_limit(view_name):
            return payload_too_large(request)
        if request.content_type == "multipart/form-data" and view_name not in FILE_UPLOAD_VIEWS:
            return bad_request(request, None)
        return None
