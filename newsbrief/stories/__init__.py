"""Stories: online story grouping, near-duplicate (wire copy) detection, and
ingest into the store (:mod:`.ingest`), with the library API over stored
stories (:mod:`.api`)."""

from .api import StoryNotFound, brief_story, search, stories, story
from .cluster import OnlineClusterer, features, keywords
from .dedupe import NearDup
from .ingest import IngestedArticle, IngestReport, Ingestor, ingest
from .rank import RankedStory, front_page
from ..text.junk import is_junk

__all__ = ["NearDup", "OnlineClusterer", "features", "is_junk", "keywords", "IngestReport", "IngestedArticle",
           "Ingestor", "ingest", "StoryNotFound", "brief_story", "search", "stories", "story",
           "RankedStory", "front_page"]
