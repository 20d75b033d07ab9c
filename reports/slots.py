"""The places on the report's pages where the apps above `reports` show their parts
(lib/slots.py)."""

from lib.slots import Slot

# Tabs after the report's appendices: provider(report, active)
report_tabs = Slot("report_tabs")
# Buttons on the report's overview: provider(report)
report_actions = Slot("report_actions")
# Under a section's text: provider(report, code, editable)
section_extras = Slot("section_extras")
# On the report's history, after its state changes and submissions: provider(report)
report_history = Slot("report_history")
