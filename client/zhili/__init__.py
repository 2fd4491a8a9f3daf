"""zhili: township and county governance rules enforced on an EVM chain.

The rules live in the Solidity contracts (``contracts/``); this package ships their compiled
artifacts and drives them: :mod:`zhili.core.chain` connects to a chain, :mod:`zhili.core.artifacts` loads the
compiled contracts, :mod:`zhili.profiles` loads and validates jurisdiction profiles,
:mod:`zhili.jurisdiction.registry` deploys and reads a jurisdiction, :mod:`zhili.cli` is the ``zhili`` command.
"""

__version__ = "0.1.0"
