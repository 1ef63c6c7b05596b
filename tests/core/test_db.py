"""SQLite runs in WAL mode with a busy timeout; loading data ends with ANALYZE on either database."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, connections

from iodp.core import db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")
@pytest.mark.django_db
def test_a_sqlite_file_database_runs_in_wal_mode_with_a_busy_timeout(tmp_path, settings):
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    file_settings = {**connection.settings_dict, "NAME": str(tmp_path / "wal.sqlite3"), "TEST": {}}
    wrapper = type(connections["default"])(file_settings, alias="wal_check")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 5000
    finally:
        wrapper.close()


@pytest.mark.django_db
def test_analyze_gathers_planner_statistics():
    db.analyze()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            assert cursor.fetchone()[0] == 1


@pytest.mark.django_db
def test_loading_reference_data_ends_with_analyze():
    with mock.patch("iodp.reference.management.commands.load_reference.analyze") as analyze:
        call_command("load_reference", stdout=mock.MagicMock())
    analyze.assert_called_once_with()


@pytest.mark.django_db
def test_loading_demo_data_ends_with_analyze(monkeypatch):
    monkeypatch.setenv("IODP_DEMO", "1")
    monkeypatch.setenv("IODP_ADMIN_PASSWORD", "Demo-Admin-2026!")
    with mock.patch("iodp.core.management.commands.load_demo.analyze") as analyze:
        call_command("load_demo", stdout=mock.MagicMock())
    analyze.assert_called_once_with()


@pytest.mark.django_db
def test_analyze_inside_a_transaction_does_not_vacuum():
    assert db.analyze(vacuum=True) == "ANALYZE"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="VACUUM is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_load_on_postgresql_ends_with_vacuum_so_index_only_scans_skip_the_rows():
    assert db.analyze(vacuum=True) == "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'experts_expert'")
        assert cursor.fetchone() == (True,)
