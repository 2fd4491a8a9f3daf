"""zhili.scenario."""

from .runner import *  # noqa: F403 - the public names of zhili.scenario
