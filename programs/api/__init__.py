"""The read-only JSON API at /api/v1/: programs, states, metrics and published figures.

Plain Django views (``views.py``) behind one decorator (``responses.api_view``) that
answers every request the same way: JSON, CORS, ETag and Last-Modified from the
publication version, 304s, and errors as JSON. ``fields.py`` names and documents every
field once; ``serializers.py`` writes the objects with them; ``openapi.py`` and the
/api/ page describe them from the same lists.
"""
