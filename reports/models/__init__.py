from .periods import Period
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
    "CommentTarget",
    "Explanation",
    "Notification",
    "ReviewComment",
    "StateChange",
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
