"""Django's test client, with its requests answered through the page cache's layer as gunicorn's
are (centiro_site/wsgi.py): the test client's own handler stands for Django's WSGI handler."""

from http.cookies import SimpleCookie

from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.test import Client
from django.test.client import ClientHandler

from pagecache.layer import PageCache


class _Handler:
    def __init__(self):
        self.django = ClientHandler(enforce_csrf_checks=False)

    def __call__(self, environ):
        answered = []

        def django(environ, start_response):
            answered.append(self.django(environ))
            return answered[0]

        sent = {}

        def start_response(status, headers, exc_info=None):
            sent.update(status=int(status[:3]), headers=headers)

        body = PageCache(django)(environ, start_response)
        if answered:
            return answered[0]
        response = HttpResponse(b"".join(body), status=sent["status"])
        for name, value in sent["headers"]:
            if name == "Set-Cookie":
                response.cookies.load(SimpleCookie(value))
            else:
                response[name] = value
        response.wsgi_request = WSGIRequest(environ)
        return response


class LayerClient(Client):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.handler = _Handler()
