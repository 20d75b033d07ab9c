from .periods import Period
from .units import Unit, UnitKind
from .users import Role, User

__all__ = ["Period", "Role", "Unit", "UnitKind", "User"]
