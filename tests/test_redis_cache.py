"""backend.redis_cache: Django's Redis cache, with one client per server kept, against a real Redis."""

import os
import threading
import uuid

import pytest
from django.core.cache.backends import redis as django_redis

from backend.redis_cache import RedisCache

REDIS_URL = os.environ.get("REDIS_TEST_URL") or os.environ.get("CELERY_BROKER_URL")


@pytest.fixture
def cache():
    if not REDIS_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must provide REDIS_TEST_URL or CELERY_BROKER_URL")
        pytest.skip("no Redis configured (set REDIS_TEST_URL to run this test)")
    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield backend
    backend.delete_many([f"k{i}" for i in range(50)] + ["n", "s", "gone"])


def test_it_stores_reads_and_forgets_as_djangos_backend_does(cache):
    cache.set("s", {"tên": "Nguyễn Thị Hà"}, 60)
    assert cache.get("s") == {"tên": "Nguyễn Thị Hà"}
    assert cache.get_many(["s", "gone"]) == {"s": {"tên": "Nguyễn Thị Hà"}}
    assert cache.add("s", "other") is False
    cache.set("n", 1)
    assert cache.incr("n", 4) == 5
    cache.delete("s")
    assert cache.get("s", "default") == "default"
    # The same Redis key Django's own backend would use: the two read each other's values.
    django_backend = django_redis.RedisCache(REDIS_URL, {"KEY_PREFIX": cache.key_prefix})
    assert django_backend.get("n") == 5


def test_every_call_shares_one_client_and_its_pool(cache):
    clients = {id(cache._cache.get_client(write=write)) for write in (False, True, False)}
    assert len(clients) == 1
    # Django's client builds a new one per call (the cost this backend removes).
    django_client = django_redis.RedisCacheClient([REDIS_URL])
    assert django_client.get_client() is not django_client.get_client()


def test_threads_sharing_the_client_read_their_own_values(cache):
    errors: list[str] = []

    def work(n: int) -> None:
        for round_ in range(20):
            cache.set(f"k{n}", (n, round_))
            if cache.get(f"k{n}") != (n, round_):
                errors.append(f"thread {n} round {round_}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({id(c) for c in cache._cache._clients.values()}) == 1
