"""The programs app's models, a module per concept: the catalogue (programs, metrics),
figures and their editions, corrections (pending changes and revisions), and the
publication version that every public change goes through."""

from .base import FIRST_YEAR, LAST_YEAR, Audited, latest_allowed_year
from .catalog import Metric, MetricNote, Program, WorkArea
from .editions import Edition
from .figures import Figure
from .publication import (
    Publication,
    PublicContentLocked,
    is_publisher,
    public_change,
    public_write,
    require_publisher,
)
from .revisions import Action, PendingChange, RevisedFigure, Revision
from .uploads import HeldUpload

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "Action",
    "Audited",
    "Edition",
    "Figure",
    "HeldUpload",
    "Metric",
    "MetricNote",
    "PendingChange",
    "Program",
    "Publication",
    "PublicContentLocked",
    "RevisedFigure",
    "Revision",
    "WorkArea",
    "is_publisher",
    "latest_allowed_year",
    "public_change",
    "public_write",
    "require_publisher",
]
