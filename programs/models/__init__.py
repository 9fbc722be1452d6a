"""The programs app's models, a module per concept: the catalogue of programs, their
metrics, editions and the figures they hold, corrections (pending changes and
revisions), and the publication version that every public change goes through.

Each module imports only those below it: base and publication < editions <
figure_queries < figures < revisions < catalog < metrics < metric_notes; sources stand
alone. A model higher up is named by string in a foreign key."""

from .base import FIRST_YEAR, LAST_YEAR, Audited, latest_allowed_year
from .catalog import Program, WorkArea
from .editions import Edition
from .figures import Figure
from .metric_notes import MetricNote
from .metrics import POPULATION_KEY, Metric
from .publication import (
    Publication,
    PublicContentLocked,
    is_publisher,
    public_change,
    public_write,
    require_publisher,
)
from .revisions import Action, PendingChange, RevisedFigure, Revision
from .sources import Source
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
    "POPULATION_KEY",
    "PendingChange",
    "Program",
    "Publication",
    "PublicContentLocked",
    "RevisedFigure",
    "Revision",
    "Source",
    "WorkArea",
    "is_publisher",
    "latest_allowed_year",
    "public_change",
    "public_write",
    "require_publisher",
]
