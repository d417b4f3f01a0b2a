"""summarise stage: a neutral extractive summary per story, every sentence cited."""

from corroborate.summarise.extractive import summarise

__all__ = ["summarise"]
