"""Settings for the test suite: the real settings plus what makes tests fast and hermetic.

The database comes from DATABASE_URL (scripts/test starts a throwaway PostgreSQL when unset).
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault(
    "SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-django-checks-000"
)
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from cchc_portal.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": DEFAULT_STORAGE,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The test client's login() calls authenticate() without a request, which django-axes refuses;
# the throttling tests (tests/ops/test_throttling.py) switch it back on.
AXES_ENABLED = False
# The trust anchors and seals that tests and the demo loader write: a folder of this run's own.
_SIGNATURES = Path(tempfile.mkdtemp(prefix="cchc-signatures-"))
SIGNATURE_TRUST_DIR = _SIGNATURES / "trust"
SIGNATURE_SEAL_DIR = _SIGNATURES / "seals"
