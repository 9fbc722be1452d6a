"""Production's static files storage: WhiteNoise's, each file's address looked up once.

``{% static %}`` asks the storage for a file's hashed address every time it is used: six
stylesheets and a script on every page, a ninth of an uncached fact sheet's time under
the profiler (2026-12-03). The manifest is read as the process starts and does not change
while it runs, so neither does an address: each is kept after its first use. A name the
manifest lacks is still refused every time (``manifest_strict``), and with DEBUG on
nothing is kept (the addresses are then the files' own names).
"""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

KEPT = 1000  # addresses; templates name a few dozen files


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.addresses = {}

    def url(self, name, force=False):
        if force or settings.DEBUG:
            return super().url(name, force)
        found = self.addresses.get(name)
        if found is None:
            found = super().url(name)
            if len(self.addresses) < KEPT:
                self.addresses[name] = found
        return found
