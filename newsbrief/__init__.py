"""newsbrief: several articles about one story in, a briefing a reader can
trust out: a summary whose every sentence cites the source sentence it comes
from, plus the tools to measure it (ROUGE on Multi-News-style data).

    >>> import newsbrief
    >>> b = newsbrief.brief("articles/")          # files, dirs, JSONL, Article objects
    >>> print(b.summary[0].text, b.summary[0].citations[0])
    >>> newsbrief.ingest("crawl/", db="news.db")     # group a stream of articles into stories
    >>> s = newsbrief.stories(db="news.db")[0]
    >>> newsbrief.brief_story(s.id, db="news.db")    # cached until the story changes
"""

from .model import SCHEMA, Article, Briefing, Citation, Cluster, Dropped, Edit, LoadError, Sentence, SummarySentence, apply_edits
from .pipeline import NoArticlesError, analyze, brief, brief_articles, load, prepare
from .batching import BatchReport, batch
from .sources import article_from_text as article
from .store import Store, StoreError
from .stories import IngestReport, StoryNotFound, brief_story, front_page, ingest, search, stories, story
from .summarize import DEFAULT_METHOD, Budget, methods

__version__ = "0.1.0"

__all__ = [
    "SCHEMA", "Article", "Briefing", "Citation", "Cluster", "Dropped", "Edit", "LoadError", "Sentence", "SummarySentence", "apply_edits",
    "NoArticlesError", "analyze", "brief", "brief_articles", "load", "prepare", "article", "DEFAULT_METHOD", "Budget",
    "methods", "batch", "BatchReport", "__version__", "Store", "StoreError", "IngestReport", "StoryNotFound",
    "brief_story", "front_page", "ingest", "search", "stories", "story",
]
