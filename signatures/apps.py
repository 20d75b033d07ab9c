from django.apps import AppConfig


class SignaturesConfig(AppConfig):
    """Digital signatures (ký số): verifying the leaders' signed PDFs against the frozen
    documents, bodies' seals, trust roots and registered signers (ADR 0013)."""

    name = "signatures"
    verbose_name = "Chữ ký số"

    def ready(self):
        from . import receivers, records, slots  # noqa: F401 - signals, the record file, slots
