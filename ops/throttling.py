"""The client address django-axes locks on (AXES_CLIENT_IP_CALLABLE); the API's call log reads
the same one."""

from lib.http import client_ip

__all__ = ["client_ip"]
