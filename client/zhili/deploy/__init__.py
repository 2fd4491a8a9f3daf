"""zhili.deploy."""

from .plan import *  # noqa: F403 - the public names of zhili.deploy
