"""Online story grouping and near-duplicate (wire copy) detection."""

from .cluster import OnlineClusterer, features, keywords
from .dedupe import NearDup

__all__ = ["NearDup", "OnlineClusterer", "features", "keywords"]
