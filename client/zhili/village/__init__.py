"""The village contract + credit scheme (SPEC §9): client, rebuild from events, CLI."""

from .client import Colour, VillageClient, deploy_framework
from .profile import VillageProfile, load

__all__ = ["Colour", "VillageClient", "VillageProfile", "deploy_framework", "load"]
