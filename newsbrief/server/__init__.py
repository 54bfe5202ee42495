"""The web app and REST API (``newsbrief serve``): FastAPI on uvicorn.

``create_app(settings)`` builds the ASGI app; see :mod:`.app` for the
security choices, :mod:`.fetch` for URL fetching and :mod:`.settings` for the
limits (``NEWSBRIEF_*`` environment variables).
"""

from .app import create_app
from .settings import Settings, SettingsError

__all__ = ["create_app", "Settings", "SettingsError"]
