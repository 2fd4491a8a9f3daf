"""zhili.admin: the two bodies of the ``AdminTimelock`` (issue 17; docs/consortium.md, docs/threat-model.md "Admins")."""

from .client import AdminClient, Grant, Operation, administrators, grant_roles, timelock_of  # noqa: F401
