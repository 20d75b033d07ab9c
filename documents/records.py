"""A report's record when an app above keeps it in another form than the rendered file (the
signed PDF: signatures, ADR 0013). Providers register in their AppConfig.ready through the
same mechanism as page slots (lib/slots.py) and return a stored file, or None."""

from lib.slots import Slot

# provider(report, file_format) -> a FieldFile to serve instead of the rendered file, or None
record_files = Slot("record_files")


def record_file(report, file_format: str):
    return next(iter(record_files.parts(report=report, file_format=file_format)), None)
