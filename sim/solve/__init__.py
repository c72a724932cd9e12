"""Solution strategies for a model: the incremental Newton solver on composable items."""

from .items import LinearItem
from .newton import NewtonOptions, NewtonResult, SolveFailed, solve_increments

__all__ = ["LinearItem", "NewtonOptions", "NewtonResult", "SolveFailed", "solve_increments"]
