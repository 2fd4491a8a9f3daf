"""zhili.jurisdiction."""

from .registry import *  # noqa: F403 - the public names of zhili.jurisdiction
