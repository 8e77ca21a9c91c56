"""Django's Redis cache backend, with one redis-py client per connection pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache call, and
each one copies redis-py's table of ~340 response callbacks: a signed-in page makes two cache
calls (its session and the person's auth facts), which cost about 0.1 ms of building clients.
A `redis.Redis` is safe to share between threads (each command takes a connection from the
pool and gives it back), and the pool already survives a fork (it checks the process id), so
the client is built once per pool and kept. Everything else is Django's backend unchanged.
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:  # first call for this server (Django's pool, as its backend builds it)
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            pool = self._pools[index]
            client = self._clients.setdefault(index, self._client(connection_pool=pool))
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
