"""A tiny name -> factory registry, so a new summarizer or backend is one file.

Modelled on spaCy's registries: a decorator registers, ``get`` builds, and an
unknown name fails with the list of known ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._factories: dict[str, Callable[..., T]] = {}

    def register(self, name: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
        def deco(factory: Callable[..., T]) -> Callable[..., T]:
            if name in self._factories:
                raise ValueError(f"{self.kind} {name!r} is already registered")
            self._factories[name] = factory
            return factory

        return deco

    def get(self, name: str, **kwargs) -> T:
        try:
            factory = self._factories[name]
        except KeyError:
            known = ", ".join(sorted(self._factories))
            raise KeyError(f"unknown {self.kind} {name!r} (known: {known})") from None
        return factory(**kwargs)

    def factory(self, name: str) -> Callable[..., T]:
        """The registered class or function, without building it (building a
        trained method loads its model)."""
        if name not in self._factories:
            self.get(name)
        return self._factories[name]

    def names(self) -> list[str]:
        return sorted(self._factories)

    def __contains__(self, name: object) -> bool:
        return name in self._factories
