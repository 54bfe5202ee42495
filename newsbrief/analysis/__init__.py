"""Cross-source analysis: people and organisations, quotes, agreements,
contradictions, a timeline and relations, over prepared (cleaned and
segmented) articles. Work in progress (issue 4): each part is its own module;
they are not yet part of the briefing JSON."""
