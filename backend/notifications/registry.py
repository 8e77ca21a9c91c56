"""What the apps above tell the notifications app: the kinds they send and their reminder producers.

Each app registers in its AppConfig.ready() (courses/reminders.py, assessments/reminders.py,
certificates/reminders.py), so the app that owns a fact owns the rule for reminding about it, and
`backend.notifications` only runs them: it never imports an app above it.

A producer yields chunks of `Item`s found by set-based queries (no Python loop over every
enrolment) and can say, for rows about to be e-mailed, which are still true ("no longer true is
not sent": the person finished, the date moved).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Kind:
    code: str
    label: Any  # a lazy translation
    default: str = "email"  # Delivery value used when neither the person nor an administrator chose
    template: str = ""  # "<app>/notifications/<name>": <template>_title.txt and <template>.txt


@dataclass(frozen=True)
class Item:
    """One notification to create: the producer fills the facts, the service renders them."""

    recipient_id: int
    kind: str
    subject: tuple[str, str, int | None]  # (app label, model, pk)
    offset: str = ""
    url: str = ""
    context: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def dedup_key(self) -> str:
        app, model, pk = self.subject
        return f"{self.kind}:{app}.{model}:{pk if pk is not None else ''}:{self.offset}"


# rows are (recipient_id, subject_id, offset); the answer is the subset still true at `now`.
StillTrue = Callable[[str, list[tuple[int, int | None, str]], datetime],
                     set[tuple[int, int | None, str]]]


@dataclass(frozen=True)
class Producer:
    name: str
    collect: Callable[[datetime], Iterator[list[Item]]]
    still_true: StillTrue | None = None
    kinds: tuple[str, ...] = ()


_KINDS: dict[str, Kind] = {}
_PRODUCERS: dict[str, Producer] = {}


def register_kind(kind: Kind) -> None:
    _KINDS[kind.code] = kind


def register_producer(producer: Producer) -> None:
    _PRODUCERS[producer.name] = producer


def kinds() -> dict[str, Kind]:
    return dict(_KINDS)


def kind(code: str) -> Kind | None:
    return _KINDS.get(code)


def producers() -> Iterable[Producer]:
    return list(_PRODUCERS.values())


def still_true_for(kind_code: str) -> StillTrue | None:
    for producer in _PRODUCERS.values():
        if kind_code in producer.kinds and producer.still_true is not None:
            return producer.still_true
    return None
