"""The bookkeeping around a batch, shared by ``schedctl`` and the Batch window.

A batch is identified by what it does (its kind and its per-course orders) and where (the
server and the user): :func:`batch_key`. An earlier run of the same batch is found by
that key (:func:`earlier_run`) so that running it again continues it; the journals of
interrupted batches this login may continue are :func:`resumable`, and
:func:`orders_of` gives back the orders a journal planned.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..core.shift_order import OrderError, ShiftOrder
from ..store.journal import BatchJournal, JournalInfo, JournalStore
from .batch import Prepared, batch_key

#: (base URL, user): the server and login a batch ran on.
Identity = tuple[str, str]


def client_identity(client: Any) -> Identity:
    """The server and user a logged-in client works for."""
    return str(client.base_url), str(getattr(client, "user", ""))


def key_of(kind: str, identity: Identity, orders: Sequence[ShiftOrder]) -> str:
    return batch_key(kind, *identity, [order.to_json() for order in orders])


def earlier_run(key: str, store: JournalStore | None = None) -> JournalInfo | None:
    """The latest run of batch ``key`` not set aside by a restart, or None."""
    return (store or JournalStore()).latest(key)


def _same_login(info: JournalInfo, identity: Identity) -> bool:
    header = info.header
    return (
        str(header.get("baseUrl", "")).rstrip("/").lower() == identity[0].rstrip("/").lower()
        and str(header.get("user", "")).lower() == identity[1].lower()
    )


def resumable(identity: Identity, store: JournalStore | None = None) -> list[JournalInfo]:
    """Interrupted batches of this server and user that can be continued, newest first."""
    return [
        info
        for info in (store or JournalStore()).unfinished()
        if _same_login(info, identity) and info.header.get("orders")
    ]


def orders_of(info: JournalInfo) -> list[ShiftOrder]:
    """The orders a journal planned; :class:`OrderError` if they cannot be read."""
    orders = [ShiftOrder.from_json(order) for order in info.header.get("orders", [])]
    if not orders:
        raise OrderError(f"batch {info.batch_id} has no courses to resume")
    return orders


def open_journal(
    checked: Sequence[Prepared],
    earlier: JournalInfo | None,
    key: str,
    header: dict[str, Any],
    identity: Identity,
    store: JournalStore | None = None,
) -> BatchJournal:
    """The earlier run's journal to continue, or a new one for this batch.

    Raises:
        StoreError: the journal cannot be written (then nothing may be written).
    """
    store = store or JournalStore()
    if earlier is not None:
        return store.open(earlier)
    return store.create(
        key,
        {
            **header,
            "baseUrl": identity[0],
            "user": identity[1],
            "courses": [p.course_id or p.course for p in checked],
            "orders": [p.order.to_json() for p in checked if p.order is not None],
        },
    )


__all__ = [
    "Identity",
    "client_identity",
    "earlier_run",
    "key_of",
    "open_journal",
    "orders_of",
    "resumable",
]
