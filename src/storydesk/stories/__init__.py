"""Story grouping: place each article, as it arrives, in the story of its event.

Pure in-memory algorithm (``online``: the grouper; ``scoring``, ``index``,
``consolidate``, ``explain``: its parts); the store keeps the grouper's articles as
segments (``OnlineGrouper.export_new``, ``segments``) and the keeper (``keeper``) loads them.
"""

from storydesk.stories.metrics import bcubed, evaluate, partition_scores
from storydesk.stories.online import OnlineGrouper, Placement, StorySettings
from storydesk.stories.vectorize import VectorSettings, featurize

__all__ = ["OnlineGrouper", "Placement", "StorySettings", "VectorSettings", "bcubed",
           "evaluate", "featurize", "partition_scores"]
