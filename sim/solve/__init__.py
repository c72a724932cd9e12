"""Solution strategies for a model: the incremental Newton solver on composable items."""

from .items import LinearItem
from .newton import LimitPoint, NewtonOptions, NewtonResult, SolveFailed, solve_increments

__all__ = ["LimitPoint", "LinearItem", "NewtonOptions", "NewtonResult", "SolveFailed", "solve_increments"]
