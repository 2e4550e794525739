"""Team review: shared settings, roles, two-review mode with adjudication, agreement and assignment.

Library functions take a :class:`Store` first; see docs/architecture.md
("Team review") for the rules.
"""
from __future__ import annotations

from claims.team.agreement import AgreementRow, agreement, cohen_kappa
from claims.team.assign import assign, assignment_counts, unassign
from claims.team.queues import QUEUE_LABEL, Queue, next_filter, queue_filter
from claims.team.roles import (
    Actor, Permission, Role, actor_for, add_reviewer, list_reviewers, remove_reviewer, require, roles_from_claims,
)
from claims.team.settings import TEAM_SETTINGS, TeamSetting, get_setting, list_settings, set_setting, setting_history
from claims.team.votes import Vote, adjudicate, hidden_for, review_status, state_of, visible_history, votes

__all__ = [
    "QUEUE_LABEL", "Queue", "next_filter", "queue_filter",
    "AgreementRow", "agreement", "cohen_kappa", "assign", "assignment_counts", "unassign",
    "Actor", "Permission", "Role", "actor_for", "add_reviewer", "list_reviewers", "remove_reviewer", "require",
    "roles_from_claims", "TEAM_SETTINGS", "TeamSetting", "get_setting", "list_settings", "set_setting",
    "setting_history", "Vote", "adjudicate", "hidden_for", "review_status", "state_of", "visible_history", "votes",
]
