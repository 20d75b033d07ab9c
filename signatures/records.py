"""The signed PDF is the report's record: PDF downloads serve it (documents.records)."""

from documents.records import record_files

from .selectors import signed_record


@record_files.register
def signed_pdf(*, report, file_format):
    if file_format != "pdf":
        return None
    record = signed_record(report)
    return record.file if record else None
