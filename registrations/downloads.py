"""Streaming a resource's file, after whoever calls this has checked access."""

import mimetypes

from django.http import FileResponse, Http404


def file_response(resource):
    try:
        handle = resource.file.storage.open(resource.file.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    content_type, _encoding = mimetypes.guess_type(resource.filename)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=resource.filename,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
