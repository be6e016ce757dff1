"""The staff roles (admin, warehouse) stand in one place, shared.names.STAFF: inventory's quality and buying routes
and the requests' role changes read it, rather than each its own ("admin", "warehouse")."""
from __future__ import annotations

import pytest

from services.inventory import api_procurement, api_quality
from services.requests import user_admin
from shared import names


@pytest.mark.parametrize("module", [api_quality, api_procurement, user_admin])
def test_a_modules_staff_roles_are_the_shared_ones(module):
    own = [name for name, value in vars(module).items()
           if isinstance(value, tuple) and set(value) == set(names.STAFF) and value is not names.STAFF]
    assert own == [] and module.STAFF is names.STAFF
