"""Domain exceptions: the library raises these, the CLI and dashboard translate them."""
from __future__ import annotations


class ClaimsError(Exception):
    "Base class for every error this package raises on purpose"


class BadInputError(ClaimsError):
    "An input file, record or field cannot be used (the message names which)"


class LexiconError(BadInputError):
    "A lexicon data file is missing, not JSON, or has a malformed entry (the message names which)"


class MergeRefusedError(BadInputError):
    "Groups of different kinds or outcomes (killed and injured) merge only when forced (--force, or confirmed on the page)"


class PortInUseError(BadInputError):
    "The dashboard's port is taken by another program (the message names it and a free port)"


class FetchError(BadInputError):
    "A web page or feed could not be fetched or used (the message starts with its URL)"


class NotFoundError(ClaimsError):
    "The requested document, claim or group does not exist"


class ConflictError(ClaimsError):
    "A write was based on a version of the record that is no longer current"

    def __init__(self, message: str, *, current_version: int | None = None, current=None):
        super().__init__(message)
        self.current_version = current_version
        self.current = current


class ForbiddenError(ClaimsError):
    "The reviewer's role does not allow this action (editors adjudicate, grade sources, change team settings, publish)"


class StoreError(ClaimsError):
    "The database could not be opened, migrated or written"


class VerifyError(ClaimsError):
    "An export bundle failed verification (hash or count mismatch)"


class ClusterError(ClaimsError):
    "The Dask cluster that should extract (ingest --dask) cannot be reached or used (the message names its address)"
