"""The briefing as JSON: ``Briefing.to_dict`` is the one place the contract is
written, so this only serializes it (UTF-8 kept readable)."""

from __future__ import annotations

import json

from ..model import Briefing


def to_json(b: Briefing) -> str:
    return json.dumps(b.to_dict(), ensure_ascii=False, indent=2)
