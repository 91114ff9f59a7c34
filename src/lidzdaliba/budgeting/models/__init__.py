"""Participatory budget: cycles with phases and categories, ideas and their review, ballots,
tallies (counted by ``pbvote``) and implementation of the funded projects.

Split by stage; every write goes through ``budgeting.services``.
"""

from .cycles import Category, Cycle, CycleStatus, PhaseChange, Theme
from .ideas import CostLine, Idea, IdeaFollow, IdeaReview, IdeaStatus
from .implementation import (
    Implementation,
    ImplementationStatus,
    ImplementationUpdate,
    MaintenanceCost,
)
from .results import ProjectResult, Tally
from .voting import Ballot, BallotChoice

__all__ = [
    "Ballot",
    "BallotChoice",
    "Category",
    "CostLine",
    "Cycle",
    "CycleStatus",
    "Idea",
    "IdeaFollow",
    "IdeaReview",
    "IdeaStatus",
    "Implementation",
    "ImplementationStatus",
    "ImplementationUpdate",
    "MaintenanceCost",
    "PhaseChange",
    "ProjectResult",
    "Tally",
    "Theme",
]
