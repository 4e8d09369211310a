"""Domain exceptions. The library raises these; only the CLI prints them.

Every exception carries a message that says what went wrong and, where there is one,
the fix (``hint``). The CLI prints ``Error: <message> (<hint>)`` on one line and exits
with :attr:`RegiographError.exit_code`.
"""

from __future__ import annotations


class RegiographError(Exception):
    """Base class of every error regiograph raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UsageError(RegiographError):
    """The caller asked for something that cannot be done as asked."""

    exit_code = 2


class BadInputError(RegiographError):
    """A source document cannot be read: empty, binary, undecodable, too large, unreadable,
    malformed. The build skips it and lists it in the report."""

    def __init__(self, path: str, reason: str, *, hint: str | None = None) -> None:
        super().__init__(f"{path}: {reason}", hint=hint)
        self.path = path
        self.reason = reason


class NothingToBuildError(RegiographError):
    """No input document could be read, or ``--strict`` met a skipped document."""


class StoreError(RegiographError):
    """The graph store is missing, locked or unreadable."""


class QueryError(RegiographError):
    """A SPARQL query is unknown, malformed, or its parameters do not fit."""


class ValidationError(RegiographError):
    """The graph does not conform to the SHACL shapes."""


class CurationError(RegiographError):
    """``curation.yaml`` is malformed."""


class ReferenceDataError(RegiographError):
    """The shipped reference places or ontology files are missing or malformed."""
