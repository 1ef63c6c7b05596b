"""Pages with experts' personal data (a revealed ID number above all) are never stored by a browser or proxy."""

import pytest
from django.urls import reverse

from .conftest import ID_1980, make_expert

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_the_reveal_response_is_not_stored(unit_client, unit_user):
    expert = make_expert(unit_user)
    response = unit_client.post(reverse("experts:reveal", args=[expert.pk]))
    assert ID_1980 in response.content.decode()
    assert no_store(response)


def test_the_expert_pages_are_not_stored(unit_client, unit_user, admin_client_):
    expert = make_expert(unit_user)
    for url in (expert.get_absolute_url(), reverse("experts:edit", args=[expert.pk]), reverse("experts:list"),
                reverse("experts:create"), reverse("experts:reserve_create")):
        response = unit_client.get(url)
        assert response.status_code == 200 and no_store(response), url
    response = admin_client_.get(reverse("experts:duplicates"))
    assert response.status_code == 200 and no_store(response)


def test_a_page_without_personal_data_needs_no_such_header(unit_client):
    response = unit_client.get(reverse("organizations:list"))
    assert response.status_code == 200 and not no_store(response)


def test_every_page_of_the_module_is_not_stored(admin_client_, unit_user):
    """A page added to experts/urls.py without personal_data fails here."""
    from iodp.experts.urls import urlpatterns

    expert = make_expert(unit_user)
    for pattern in urlpatterns:
        kwargs = {"pk": expert.pk} if "pk" in pattern.pattern.converters else None
        response = admin_client_.get(reverse(f"experts:{pattern.name}", kwargs=kwargs))
        assert no_store(response), pattern.name
