"""The ``[keys]`` table of the config as a read-only, hashable mapping (binding id → keys)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

__all__ = ["Keymap"]


class Keymap(Mapping[str, str]):
    """A read-only, hashable mapping of binding id to keys (``{"app.quit": "ctrl+q"}``)."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        pairs = items.items() if isinstance(items, Mapping) else items
        self._items: dict[str, str] = dict(pairs)

    def __getitem__(self, key: str) -> str:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._items) == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Keymap({self._items!r})"
