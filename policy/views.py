from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def current(request):
    return render(request, "policy/current.html")


@require_safe
def cookies(request):
    return render(request, "policy/cookies.html")
