"""The places on the dashboard where the apps above `review` show their parts (lib/slots.py)."""

from lib.slots import Slot

# Above the unit table: provider(scope)
dashboard_panels = Slot("dashboard_panels")
