"""One exception root for zhili: every error meant for the user is a :class:`ZhiliError`.

Each class carries the ``zhili`` exit code and the word its message starts with, so ``cli.main``
catches ``ZhiliError`` once and never depends on the order of ``except`` clauses:

=================  ====  =========  ==================================================
class              exit  prefix     meaning
=================  ====  =========  ==================================================
InputError         2     refused    bad input, caught before anything reached the chain
RuleRefused        2     refused    a contract (or a scenario step) refused by a rule
ChainUnavailable   3     chain      the chain could not be reached or is not the one expected
JournalMismatch    4     journal    a run journal does not fit the run (nothing was sent)
=================  ====  =========  ==================================================

A subclass may change ``prefix`` (a malformed scenario or profile says "error", a failed compile
"build failed") but keeps its parent's exit code. Anything that is not a ``ZhiliError`` is a bug
and reaches the user as a traceback.
"""

from __future__ import annotations


class ZhiliError(Exception):
    """The root of every zhili error shown to a user."""

    exit_code: int = 1
    prefix: str = "error"


class InputError(ZhiliError):
    """Bad input (an argument, a file, a person, an id), refused before anything was sent (exit 2)."""

    exit_code = 2
    prefix = "refused"


class RuleRefused(ZhiliError):
    """A contract refused a call or transaction by one of its rules (exit 2)."""

    exit_code = 2
    prefix = "refused"


class ChainUnavailable(ZhiliError):
    """The chain could not be reached or is not the one expected (exit 3)."""

    exit_code = 3
    prefix = "chain"


class JournalMismatch(ZhiliError):
    """A run journal does not fit this run, or is locked (exit 4)."""

    exit_code = 4
    prefix = "journal"


class NotFound(InputError, LookupError):
    """An id or a person the user named does not exist on chain (a case without a decision, a ledger
    entry, a seat). Still a ``LookupError`` for callers that test for absence."""
