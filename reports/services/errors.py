class ReportError(Exception):
    """A change to a report was refused; the message is for the user, in Vietnamese."""


class EditConflict(ReportError):
    """Someone saved the same part of the report since this copy was loaded."""

    def __init__(self, message: str, *, current=None):
        super().__init__(message)
        self.current = current
