"""The archive over Redis: what distributed workers and the coordinator send to the single writer process.

Each archive call becomes one entry of the Redis stream `warta:archive` (JSON, never pickle: the broker is a
network service). The writer applies entries in stream order, so one site's writes land in the order they were
made; calls whose result is needed (a site's URL state, the counts of a save, a new run's id) wait for the
writer's answer on a reply list of their own. Only the archive functions named in `OPERATIONS` may be called.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, is_dataclass
from typing import Any

from archive import crawl_state
from archive.store import SaveResult, save_articles, save_labelled
from scraper.config import BROKER_SCHEMES, ConfigError

STREAM = "warta:archive"
WRITER_KEY = "warta:writer"            # held by the running writer (value: its pid), refreshed while it runs
REPLY_PREFIX = "warta:reply:"
REPLY_TTL = 600                        # seconds an unread reply stays in Redis
REPLY_TIMEOUT = 300.0                  # seconds a caller waits for the writer before giving up

OPERATIONS: dict[str, Callable[..., Any]] = {
    "begin_run": crawl_state.begin_run,
    "end_run": crawl_state.end_run,
    "upsert_site": crawl_state.upsert_site,
    "site_crawled": crawl_state.site_crawled,
    "set_site_state": crawl_state.set_site_state,
    "load_urls": crawl_state.load_urls,
    "save_urls": crawl_state.save_urls,
    "record_fetch": crawl_state.record_fetch,
    "load_profile": crawl_state.load_profile,
    "save_profile": crawl_state.save_profile,
    "save_articles": save_articles,
    "save_labelled": save_labelled,
}
_NAMES = {function: name for name, function in OPERATIONS.items()}
# Results the caller uses; every other call is sent without waiting (the stream keeps it in order).
_ANSWERED: dict[str, Callable[[Any], Any]] = {
    "begin_run": int,
    "load_urls": dict,
    "load_profile": dict,
    "save_articles": lambda data: SaveResult(**data),
    "save_labelled": lambda data: SaveResult(**data),
}


def check_broker(broker: str | None, flag: str = "--broker") -> str:
    """`broker` if it is a usable Redis URL and the Redis client is installed; else ConfigError naming `flag`."""
    if not broker:
        raise ConfigError(f"{flag}: no broker given and no [distributed] broker in the config")
    if not broker.startswith(BROKER_SCHEMES):
        raise ConfigError(f"{flag}: not a Redis URL: {broker!r} (e.g. redis://127.0.0.1:6379/0)")
    try:
        import celery  # noqa: F401
        import redis  # noqa: F401
    except ImportError:
        raise ConfigError("distributed crawling needs Celery and Redis: pip install 'warta[distributed]'") from None
    return broker


class WriterError(RuntimeError):
    """The writer did not answer in time, or could not apply a call."""


def encode_call(function: Callable[..., Any], args: tuple, kwargs: Mapping[str, Any],
                *, answer: bool = False) -> tuple[str | None, dict[str, str]]:
    """The stream entry for `function(db, *args, **kwargs)` and the reply key to wait on (None: no wait).
    `answer` asks for a reply even when the result is not used (to know the call was applied)."""
    name = _NAMES.get(function)
    if name is None:
        raise ValueError(f"{function!r} is not an archive operation the writer applies")
    reply = f"{REPLY_PREFIX}{uuid.uuid4().hex}" if answer or name in _ANSWERED else None
    entry = {"op": name, "args": json.dumps([list(args), dict(kwargs)], ensure_ascii=False)}
    if reply:
        entry["reply"] = reply
    return reply, entry


def decode_reply(function: Callable[..., Any], raw: str | bytes | None, timeout: float = REPLY_TIMEOUT) -> Any:
    """The result of a call from the writer's reply (raises WriterError on no reply or a failed call)."""
    name = _NAMES[function]
    if raw is None:
        raise WriterError(f"no answer from the writer to {name} within {timeout:.0f} s "
                          "(is `warta writer` running on the same broker?)")
    reply = json.loads(raw)
    if "error" in reply:
        raise WriterError(f"the writer could not apply {name}: {reply['error']}")
    result = reply.get("result")
    return _ANSWERED[name](result) if name in _ANSWERED and result is not None else result


def apply_entry(db: Any, fields: Mapping[str, str]) -> Any:
    """Run one stream entry against the archive `db` (the writer's side); returns the JSON-ready result."""
    function = OPERATIONS.get(fields.get("op", ""))
    if function is None:
        raise ValueError(f"unknown archive operation {fields.get('op')!r}")
    args, kwargs = json.loads(fields["args"])
    result = function(db, *args, **kwargs)
    return asdict(result) if is_dataclass(result) else result


class RemoteArchive:
    """Stands in for `ArchiveWorker` inside a worker: `await call(f, *args)` runs `f(db, *args)` in the writer."""

    def __init__(self, redis: Any) -> None:
        self.redis = redis        # a redis.asyncio.Redis with decode_responses=True

    async def call(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Send the call to the writer; wait for its result only when the caller needs one."""
        reply, entry = encode_call(function, args, kwargs)
        await self.redis.xadd(STREAM, entry)
        if reply is None:
            return None
        answer = await self.redis.blpop([reply], timeout=REPLY_TIMEOUT)
        return decode_reply(function, answer[1] if answer else None)


class ArchiveClient:
    """The coordinator's blocking counterpart of RemoteArchive: every call waits until the writer applied it."""

    def __init__(self, redis: Any, timeout: float = REPLY_TIMEOUT) -> None:
        self.redis = redis        # a redis.Redis with decode_responses=True
        self.timeout = timeout

    def call(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Apply `function(db, *args, **kwargs)` in the writer and return its result."""
        reply, entry = encode_call(function, args, kwargs, answer=True)
        self.redis.xadd(STREAM, entry)
        answer = self.redis.blpop([reply], timeout=self.timeout)
        return decode_reply(function, answer[1] if answer else None, self.timeout)
