"""The admin, a module per concept; importing them registers every model admin."""

from . import catalog, editions, figures, sources

__all__ = ["catalog", "editions", "figures", "sources"]
