"""The one error family of dhrkg: a message meant for the user, and what it is about."""

from __future__ import annotations


class DhrkgError(Exception):
    """An error with a message a user can act on; the CLI prints it and the web app maps
    ``status`` to an HTTP status code."""

    status: int = 400

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class ExtractError(DhrkgError):
    """A file could not be read as a source; the message names the file and the problem."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}", status=422)
        self.path = path
        self.problem = problem

    def __reduce__(self) -> tuple[type[ExtractError], tuple[str, str]]:
        # Errors cross process boundaries (files are read in worker processes).
        return (ExtractError, (self.path, self.problem))


class QueryError(DhrkgError):
    """A SPARQL query or its parameters are wrong (syntax, unknown named query, bad binding)."""
