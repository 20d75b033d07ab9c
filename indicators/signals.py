"""What indicators tells the apps above it (they connect in their AppConfig.ready)."""

from django.dispatch import Signal

# A template version was published: `version`, and `by` (a user, or org.permissions.OPERATOR).
template_version_published = Signal()
