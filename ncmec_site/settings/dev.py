"""Local development: a throwaway secret and DEBUG only when asked for."""

from .base import *  # noqa: F403
from .base import env_bool

# A fixed key is fine on a developer's machine; prod refuses to start without its own.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
DEBUG = env_bool("DJANGO_DEBUG", False)
WHITENOISE_USE_FINDERS = True  # serve static/ without collectstatic
STATIC_ROOT = None  # static files come from the finders; no collectstatic here
