"""How DATABASES holds connections, for each combination of the DATABASE_* variables.

Pure tests of backend/database_settings.py (no server): persistent connections, psycopg's pool,
PgBouncer in transaction mode, a replica, and the combinations that are refused.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured

from backend.database_settings import build_databases, database_entry, databases_from_env

PG = "postgres://app:secret@db.example.vn:5432/ttdn"
REPLICA = "postgres://reader:secret@replica.example.vn:5432/ttdn"
SQLITE = "sqlite:////tmp/ttdn.sqlite3"
PRODUCTION = {"conn_max_age": 60, "conn_health_checks": True}


def from_env(**environ: str) -> dict:
    return databases_from_env(environ, default_url=None, **PRODUCTION)


def test_production_default_is_persistent_connections_with_health_checks():
    default = from_env(DATABASE_URL=PG)["default"]
    assert default["ENGINE"] == "django.db.backends.postgresql"
    assert (default["NAME"], default["HOST"], default["PORT"]) == ("ttdn", "db.example.vn", 5432)
    assert default["CONN_MAX_AGE"] == 60 and default["CONN_HEALTH_CHECKS"] is True
    assert "pool" not in default["OPTIONS"]
    assert not default.get("DISABLE_SERVER_SIDE_CURSORS")
    assert default["ATOMIC_REQUESTS"] is False


def test_the_pool_replaces_persistent_connections():
    default = from_env(DATABASE_URL=PG, DATABASE_POOL_MAX="8", DATABASE_POOL_MIN="2",
                       DATABASE_POOL_TIMEOUT="5.5")["default"]
    assert default["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 8, "timeout": 5.5}
    # Django refuses a pool with CONN_MAX_AGE != 0 ("Pooling doesn't support persistent
    # connections"): the pool keeps the connections, Django hands each back after the request.
    assert default["CONN_MAX_AGE"] == 0
    assert default["CONN_HEALTH_CHECKS"] is True  # the pool checks a connection before lending it


def test_a_pool_without_a_minimum_is_of_fixed_size_and_waits_ten_seconds():
    pool = from_env(DATABASE_URL=PG, DATABASE_POOL_MAX="4")["default"]["OPTIONS"]["pool"]
    assert pool == {"min_size": 4, "max_size": 4, "timeout": 10.0}


def test_pgbouncer_transaction_mode_no_pool_no_server_side_cursors_no_persistent_connections():
    default = from_env(DATABASE_URL=PG, DATABASE_PGBOUNCER="1")["default"]
    assert default["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert default["CONN_MAX_AGE"] == 0
    assert "pool" not in default["OPTIONS"]


@pytest.mark.parametrize("flag", ["0", "", "no", "off"])
def test_pgbouncer_off_values(flag):
    default = from_env(DATABASE_URL=PG, DATABASE_PGBOUNCER=flag)["default"]
    assert not default.get("DISABLE_SERVER_SIDE_CURSORS") and default["CONN_MAX_AGE"] == 60


def test_pool_and_pgbouncer_together_are_refused():
    with pytest.raises(ImproperlyConfigured, match="one pooler"):
        from_env(DATABASE_URL=PG, DATABASE_POOL_MAX="4", DATABASE_PGBOUNCER="1")


@pytest.mark.parametrize("environ, message", [
    ({"DATABASE_POOL_MAX": "0"}, "at least 1"),
    ({"DATABASE_POOL_MAX": "many"}, "must be a number"),
    ({"DATABASE_POOL_MAX": "4", "DATABASE_POOL_MIN": "5"}, "between 0 and"),
    ({"DATABASE_POOL_MAX": "4", "DATABASE_POOL_MIN": "-1"}, "between 0 and"),
    ({"DATABASE_POOL_MAX": "4", "DATABASE_POOL_TIMEOUT": "0"}, "positive"),
    ({"DATABASE_POOL_MIN": "2"}, "need DATABASE_POOL_MAX"),
    ({"DATABASE_POOL_TIMEOUT": "3"}, "need DATABASE_POOL_MAX"),
])
def test_pool_settings_that_cannot_work_are_refused(environ, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        from_env(DATABASE_URL=PG, **environ)


@pytest.mark.parametrize("environ", [{"DATABASE_POOL_MAX": "4"}, {"DATABASE_PGBOUNCER": "1"}])
def test_poolers_are_for_postgresql_only(environ):
    with pytest.raises(ImproperlyConfigured, match="PostgreSQL only"):
        from_env(DATABASE_URL=SQLITE, **environ)


def test_development_default_is_sqlite_without_persistent_connections():
    default = databases_from_env({}, default_url=SQLITE, conn_max_age=0)["default"]
    assert default["ENGINE"] == "django.db.backends.sqlite3"
    assert default["CONN_MAX_AGE"] == 0 and "replica" not in databases_from_env(
        {}, default_url=SQLITE, conn_max_age=0)


def test_production_without_a_url_is_refused():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        from_env()
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        from_env(DATABASE_URL="  ")


def test_no_replica_unless_its_url_is_set():
    assert set(from_env(DATABASE_URL=PG)) == {"default"}
    assert set(from_env(DATABASE_URL=PG, DATABASE_REPLICA_URL="")) == {"default"}


@pytest.mark.parametrize("environ, expect", [
    ({}, {"CONN_MAX_AGE": 60}),
    ({"DATABASE_POOL_MAX": "6"}, {"CONN_MAX_AGE": 0}),
    ({"DATABASE_PGBOUNCER": "1"}, {"CONN_MAX_AGE": 0, "DISABLE_SERVER_SIDE_CURSORS": True}),
])
def test_the_replica_is_held_like_default_and_mirrors_it_in_tests(environ, expect):
    databases = from_env(DATABASE_URL=PG, DATABASE_REPLICA_URL=REPLICA, **environ)
    replica, default = databases["replica"], databases["default"]
    assert (replica["HOST"], replica["USER"]) == ("replica.example.vn", "reader")
    assert replica["TEST"] == {"MIRROR": "default"}
    for key, value in expect.items():
        assert replica[key] == default[key] == value
    assert replica["OPTIONS"].get("pool") == default["OPTIONS"].get("pool")
    # Each alias gets its own OPTIONS: Django keeps one pool per alias.
    assert replica["OPTIONS"] is not default["OPTIONS"]


def test_builder_called_directly_for_the_integrator():
    databases = build_databases(PG, replica_url=REPLICA, pool_max=3)
    assert databases["default"]["OPTIONS"]["pool"]["max_size"] == 3
    assert databases["replica"]["TEST"]["MIRROR"] == "default"
    assert database_entry(PG)["CONN_MAX_AGE"] == 0
