"""Jurisdiction registry tests' fixtures."""

from __future__ import annotations

import pytest
from web3.contract import Contract

from zhili import profiles
from zhili.core.chain import Chain
from zhili.jurisdiction import registry
from zhili.testing import ROLE_HOLDERS


@pytest.fixture
def jurisdiction(chain: Chain, township: profiles.Profile) -> Contract:
    """A township registry with every external role held by its own account (``zhili.testing.ROLE_HOLDERS``)."""
    roles = {role: [chain.accounts[who].address] for role, who in ROLE_HOLDERS.items()}
    return registry.deploy_jurisdiction(chain, township, "330110-001", "良渚镇", roles=roles)
