from django.shortcuts import render


def page_not_found(request, exception=None):
    """A page that says what was not found and where to go next."""
    return render(request, "404.html", status=404)
