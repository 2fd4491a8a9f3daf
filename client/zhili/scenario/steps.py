"""What every step of a scenario shares: a chain refusal becomes a :class:`ScenarioRunError` naming
the scenario field it came from (the runner and the term's parts both use it; no import cycle)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core.chain import ContractRevert
from ..errors import RuleRefused


class ScenarioRunError(RuleRefused, RuntimeError):
    """The chain refused a step of the scenario: ``field`` names the step, ``cause`` the refusal."""

    def __init__(self, field_path: str, cause: Exception) -> None:
        self.field = field_path
        self.cause = cause
        super().__init__(f"{field_path}: {cause}")


def run_step(where: str, fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except ContractRevert as exc:
        raise ScenarioRunError(where, exc) from None
