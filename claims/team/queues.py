"""The Review page's team queues as claim filters: needs my second review, disagreements, assigned to me."""
from __future__ import annotations

import dataclasses
from enum import Enum

from claims.model import ClaimFilter, ReviewState


class Queue(str, Enum):
    """A reviewer's work queue on top of the sidebar filters."""

    ALL = "all"
    SECOND = "second"              # someone else gave a verdict, I have not: my second review
    DISAGREEMENTS = "disagreements"  # reviewers disagree: an editor decides
    ASSIGNED = "assigned"          # assigned to me and not yet judged by me

    @property
    def label(self) -> str:
        return QUEUE_LABEL[self]


QUEUE_LABEL = {Queue.ALL: "All claims", Queue.SECOND: "Needs my second review",
               Queue.DISAGREEMENTS: "Disagreements", Queue.ASSIGNED: "Assigned to me"}


def queue_filter(flt: ClaimFilter, queue: Queue | str, *, reviewer: str | None) -> ClaimFilter:
    """Return ``flt`` narrowed to ``queue`` for ``reviewer`` (queues that need a name match nothing without one)."""
    q = Queue(queue)
    if q is Queue.ALL:
        return flt
    if q is Queue.DISAGREEMENTS:
        return dataclasses.replace(flt, review_states=[ReviewState.DISAGREED.value])
    who = (reviewer or "").strip()
    if not who:
        return dataclasses.replace(flt, claim_ids=[-1])  # no name, no personal queue
    if q is Queue.SECOND:
        return dataclasses.replace(flt, review_states=[ReviewState.NEEDS_SECOND.value], not_voted_by=who)
    return dataclasses.replace(flt, assigned_to=who, not_voted_by=who)


def next_filter(flt: ClaimFilter, *, reviewer: str | None, reviews_required: int) -> ClaimFilter:
    """Return the filter "Next unreviewed" walks: with two reviews required, also skip claims I already judged."""
    if reviews_required > 1 and reviewer and reviewer.strip():
        return dataclasses.replace(flt, not_voted_by=reviewer.strip())
    return flt
