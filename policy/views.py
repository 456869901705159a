from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def current(request):
    return render(request, "policy/current.html")
