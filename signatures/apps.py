from django.apps import AppConfig


class SignaturesConfig(AppConfig):
    """Digital signatures (ký số): verifying the leaders' signed PDFs against the frozen
    documents, bodies' seals, trust roots and registered signers."""

    name = "signatures"
    verbose_name = "Chữ ký số"
