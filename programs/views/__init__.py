"""The public pages. Thin: they fetch through ``reader.figures`` and shape through ``reader``."""
