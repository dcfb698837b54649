"""The SRU endpoint (/sru, public, read-only): one request, one XML document."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from maillon.sru import protocol


@csrf_exempt  # SRU allows POST (a long query); nothing here changes anything
@require_http_methods(["GET", "POST"])
def endpoint(request: HttpRequest) -> HttpResponse:
    query = request.GET if request.method == "GET" else request.POST
    host, _sep, port = request.get_host().rpartition(":")
    if not host:  # no port in the Host header
        host, port = port, request.get_port()
    document = protocol.answer(dict(query.lists()), host, port, request.path)
    response = HttpResponse(document, content_type="text/xml; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
