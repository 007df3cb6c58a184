"""The fault-tolerant cache: with Redis down every call returns at once, as a miss or a no-op."""

import logging
import os
import time

import pytest

from ..cache import FaultTolerantRedisCache

REDIS_URL = os.environ.get("REDIS_URL", "")
OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def cache_at(location: str) -> FaultTolerantRedisCache:
    return FaultTolerantRedisCache(location, {"OPTIONS": OPTIONS})


@pytest.fixture
def down() -> FaultTolerantRedisCache:
    return cache_at("redis://127.0.0.1:1/0")  # a closed port


def test_reads_miss_and_writes_are_skipped(down: FaultTolerantRedisCache) -> None:
    started = time.monotonic()
    assert down.get("k", "default") == "default"
    assert down.get_many(["a", "b"]) == {}
    assert down.has_key("k") is False
    assert down.get_or_set("k", 7) == 7
    down.set("k", 1)
    assert down.add("k", 1) is False
    assert down.set_many({"a": 1, "b": 2}) == ["a", "b"]  # the keys not set
    assert down.touch("k") is False
    assert down.incr("counter", 5) == 5  # counted from nothing, as a missing key would be
    assert down.delete("k") is False
    down.delete_many(["a", "b"])
    down.clear()
    assert time.monotonic() - started < 2


def test_one_traceback_per_outage_and_a_line_per_skipped_invalidation(
    down: FaultTolerantRedisCache, caplog
) -> None:
    caplog.set_level(logging.ERROR, logger=FaultTolerantRedisCache.__module__)
    down.get("k")
    down.get("k")  # bypassed: not even tried
    down.delete("posts")
    tracebacks = [record for record in caplog.records if record.exc_info]
    assert len(tracebacks) == 1
    assert "bypassed" in tracebacks[0].getMessage()
    assert "'posts' may be stale" in caplog.records[-1].getMessage()


def test_redis_is_tried_again_after_the_bypass(
    down: FaultTolerantRedisCache, monkeypatch, caplog
) -> None:
    down.get("k")
    later = time.monotonic() + 60
    monkeypatch.setattr(time, "monotonic", lambda: later)
    caplog.clear()
    down.get("k")
    assert any(record.exc_info for record in caplog.records)  # a new attempt, a new failure


@pytest.mark.skipif(not REDIS_URL, reason="set REDIS_URL to use a real Redis")
def test_with_redis_up_it_is_an_ordinary_cache() -> None:
    cache = cache_at(REDIS_URL)
    cache.set("fault-tolerant-test", {"a": 1}, 10)
    assert cache.get("fault-tolerant-test") == {"a": 1}
    cache.delete("fault-tolerant-count")
    assert cache.add("fault-tolerant-count", 1) is True
    assert cache.incr("fault-tolerant-count") == 2
    cache.delete_many(["fault-tolerant-test", "fault-tolerant-count"])
    assert cache.get("fault-tolerant-test") is None
