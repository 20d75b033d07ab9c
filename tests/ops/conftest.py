# A report with a published template, shared with the workflow tests.
from tests.reports.test_workflow import report  # noqa: F401
