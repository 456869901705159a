"""Streaming a resource's file, after whoever calls this has checked access."""

import mimetypes

from django.http import FileResponse, Http404

from registrations.models import file_name


def file_response(field_file):
    """`field_file` (a resource's `file` or `file_en`) as an attachment under its own name."""
    try:
        handle = field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    name = file_name(field_file)
    content_type, _encoding = mimetypes.guess_type(name)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
