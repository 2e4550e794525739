"""Fact-claim verification: extract figures from news text, store, review, compare, export."""
from claims.errors import BadInputError, ClaimsError, ConflictError, NotFoundError
from claims.extract import EXTRACTOR_VERSION, extract
from claims.model import Claim, ClaimFilter, ClaimRecord, Document, DocumentIn, Kind, Outcome, Verdict

__all__ = [
    "BadInputError", "ClaimsError", "ConflictError", "NotFoundError",
    "EXTRACTOR_VERSION", "extract",
    "Claim", "ClaimFilter", "ClaimRecord", "Document", "DocumentIn", "Kind", "Outcome", "Verdict",
]
