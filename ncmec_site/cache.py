"""Django's Redis cache, never failing a page and never making one wait.

Redis hung, gone or refusing is a miss, and a write that does not happen, logged:
readers get their pages built from the database, never a 500. Each call gives up after
the socket timeouts in ``CACHES["default"]["OPTIONS"]`` (100 ms in the settings), and a
call that could not reach Redis (refused, or timed out) leaves Redis alone in this
process for ``RETRY_SECONDS``: a request waits on a hung Redis once at most, and the
process tries again by itself a moment later. An error Redis answers (out of memory, a
read-only replica) is logged and that call is a miss; Redis is not left alone for it.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every call;
redis-py 6 fills about 160 response callbacks as it builds one, half a page-cache hit's
time (profiled 2026-12-02). A client is thread-safe and shares its server's connection
pool, so each cache object (Django keeps one per thread) keeps one per server.
"""

import logging
import time
from functools import wraps

from django.core.cache.backends import redis
from redis import exceptions

logger = logging.getLogger(__name__)

# How long a process leaves Redis alone after a call to it failed.
RETRY_SECONDS = 1.0
# Until when (time.monotonic()) this process leaves Redis alone: one value per process,
# shared by its threads (a hung Redis is hung for all of them).
_resting_until = 0.0


def _tolerant(method, fallback):
    @wraps(method)
    def call(self, *args, **kwargs):
        global _resting_until
        if time.monotonic() < _resting_until:
            return fallback(*args, **kwargs)
        try:
            return method(self, *args, **kwargs)
        except (exceptions.ConnectionError, exceptions.TimeoutError) as error:
            _resting_until = time.monotonic() + RETRY_SECONDS
            logger.warning(
                "Redis out of reach in cache.%s (%s): left alone for %.0f s.",
                method.__name__,
                error,
                RETRY_SECONDS,
            )
            return fallback(*args, **kwargs)
        except exceptions.RedisError as error:
            logger.warning("Redis refused cache.%s: %s", method.__name__, error)
            return fallback(*args, **kwargs)

    return call


class SharedClientRedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    get = _tolerant(redis.RedisCache.get, lambda key, default=None, **kw: default)
    get_many = _tolerant(redis.RedisCache.get_many, lambda keys, **kw: {})
    set = _tolerant(redis.RedisCache.set, lambda *a, **kw: None)
    set_many = _tolerant(redis.RedisCache.set_many, lambda data, *a, **kw: list(data))
    add = _tolerant(redis.RedisCache.add, lambda *a, **kw: False)
    delete = _tolerant(redis.RedisCache.delete, lambda *a, **kw: False)
    delete_many = _tolerant(redis.RedisCache.delete_many, lambda *a, **kw: None)
    clear = _tolerant(redis.RedisCache.clear, lambda *a, **kw: None)
