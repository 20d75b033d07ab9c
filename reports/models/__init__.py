from .aggregates import IndicatorAggregate, PeriodAggregate
from .documents import StoredDocument
from .periods import Period
from .province import Compilation, ValueOverride
from .reports import (
    EDITABLE_STATES,
    SUBMITTED_STATES,
    IndicatorValue,
    NarrativeSection,
    Report,
    ReportState,
    TableRow,
)
from .workflow import (
    CommentTarget,
    Explanation,
    Notification,
    ReviewComment,
    StateChange,
    Submission,
)

__all__ = [
    "IndicatorAggregate",
    "PeriodAggregate",
    "Compilation",
    "ValueOverride",
    "CommentTarget",
    "Explanation",
    "Notification",
    "ReviewComment",
    "StateChange",
    "StoredDocument",
    "Submission",
    "EDITABLE_STATES",
    "SUBMITTED_STATES",
    "IndicatorValue",
    "NarrativeSection",
    "Period",
    "Report",
    "ReportState",
    "TableRow",
]
