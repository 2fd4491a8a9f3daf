"""zhili.persons."""

from .client import *  # noqa: F403 - the public names of zhili.persons
