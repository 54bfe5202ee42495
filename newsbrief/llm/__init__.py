"""Language models the user brings (OpenAI-compatible servers, local GGUF
files), behind one small interface: the fusion step rewrites cited sentences
with whichever the user chose. xllamacpp (an optional extra) is imported only
when a GGUF backend is opened."""

from .base import Backend, LLMError, LLMSpecError, Message, Reply, TopTokens, backends
from .budget import Budgeted
from .choose import LLM_ENV, LLM_MODEL_ENV, NO_BACKEND, backend_from_options, open_backend
from .local import LocalGGUF
from .openai_compat import API_KEY_ENV, OpenAIChat

__all__ = [
    "API_KEY_ENV",
    "Backend",
    "Budgeted",
    "LLMError",
    "LLMSpecError",
    "LLM_ENV",
    "LLM_MODEL_ENV",
    "LocalGGUF",
    "Message",
    "NO_BACKEND",
    "OpenAIChat",
    "Reply",
    "backend_from_options",
    "backends",
    "open_backend",
]
