"""The home page's national counts are counted once and reused, yet a change shows up on the next visit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from iodp.core import workflow_services as wf
from iodp.core.dashboard import home_counts
from iodp.experts.models import Expert

from .conftest import make_expert

pytestmark = pytest.mark.django_db


def expert_figures(user) -> dict:
    return {f["label"]: f["value"] for f in home_counts(user) if "专家" in f["label"]}


def home_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("core:home")).status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_a_second_visit_does_not_count_the_experts_again(admin_client_, unit_user, platform_admin, organization):
    make_expert(unit_user, organization=organization, approve_by=platform_admin)
    first, second = home_queries(admin_client_), home_queries(admin_client_)
    expert_table = connection.ops.quote_name(Expert._meta.db_table)
    assert any(expert_table in sql for sql in first)
    assert not any(expert_table in sql for sql in second)
    assert len(second) < len(first)


def test_a_change_shows_up_at_once(unit_user, platform_admin, organization):
    make_expert(unit_user, organization=organization, approve_by=platform_admin)
    assert expert_figures(platform_admin) == {"已任职专家": 1, "后备专家": 0}
    assert expert_figures(unit_user) == {"已任职专家": 1, "后备专家": 0}
    second = make_expert(unit_user, organization=organization, id_number="", birth_date=None, kind="reserve",
                         target_mid_level=True)
    assert expert_figures(platform_admin) == {"已任职专家": 1, "后备专家": 1}
    assert expert_figures(unit_user) == {"已任职专家": 1, "后备专家": 1}
    wf.record_discard(record=second, by=unit_user, expected_version=second.version)
    assert expert_figures(platform_admin) == {"已任职专家": 1, "后备专家": 0}


def test_each_viewer_and_language_has_its_own_figures(unit_user, other_unit_user, platform_admin, organization):
    from django.utils import translation

    make_expert(unit_user, organization=organization)
    assert expert_figures(other_unit_user) == {"已任职专家": 0, "后备专家": 0}
    assert expert_figures(unit_user) == {"已任职专家": 1, "后备专家": 0}
    with translation.override("en"):
        labels = [f["label"] for f in home_counts(unit_user)]
    assert not any("专家" in label for label in labels)
