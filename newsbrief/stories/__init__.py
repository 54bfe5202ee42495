"""Online story grouping and near-duplicate (wire copy) detection."""

from .cluster import OnlineClusterer, features, keywords
from .dedupe import NearDup
from .junk import is_junk

__all__ = ["NearDup", "OnlineClusterer", "features", "is_junk", "keywords"]
