"""One exception root (client/zhili/errors.py): every user-facing error carries the exit code and the
message prefix ``zhili`` shows, the same as before the hierarchy (docs/bad-input.md)."""

from __future__ import annotations

import pytest

from zhili import cli, profiles
from zhili.cli import args as cli_args
from zhili.core.build import BuildError
from zhili.core.chain import ChainError, ContractRevert, SignerError
from zhili.core.journal import JournalError
from zhili.core.workdays import CalendarError
from zhili.deploy.plan import DeployError
from zhili.election.client import BallotError
from zhili.errors import ChainUnavailable, InputError, JournalMismatch, NotFound, RuleRefused, ZhiliError
from zhili.scenario import runner as scenario

EXPECTED = [
    (ContractRevert, RuleRefused, 2, "refused"),
    (scenario.ScenarioRunError, RuleRefused, 2, "refused"),
    (ChainError, ChainUnavailable, 3, "chain"),
    (SignerError, InputError, 2, "refused"),  # no key for --from: bad input, although a ChainError
    (JournalError, JournalMismatch, 4, "journal"),
    (BuildError, ZhiliError, 2, "build failed"),
    (scenario.ScenarioError, InputError, 2, "error"),
    (profiles.ProfileError, InputError, 2, "error"),
    (CalendarError, InputError, 2, "refused"),
    (cli_args.BadInput, InputError, 2, "refused"),
    (BallotError, InputError, 2, "refused"),
    (DeployError, InputError, 2, "refused"),
    (NotFound, InputError, 2, "refused"),
]


@pytest.mark.parametrize(("cls", "parent", "code", "prefix"), EXPECTED, ids=[c[0].__name__ for c in EXPECTED])
def test_exit_code_and_prefix(cls: type[ZhiliError], parent: type[ZhiliError], code: int, prefix: str) -> None:
    assert issubclass(cls, parent) and issubclass(cls, ZhiliError)
    assert (cls.exit_code, cls.prefix) == (code, prefix)


def test_old_bases_kept() -> None:
    # code that caught the old bases keeps working
    assert issubclass(CalendarError, ValueError) and issubclass(ChainError, RuntimeError) and issubclass(NotFound, LookupError)
    assert issubclass(SignerError, ChainError)


def test_main_uses_the_class(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def boom(args: object) -> int:
        raise JournalError("the journal belongs to another run")

    monkeypatch.setattr(cli, "cmd_build", boom)
    assert cli.main(["build"]) == 4
    assert "journal the journal belongs to another run" in " ".join(capsys.readouterr().err.split())
