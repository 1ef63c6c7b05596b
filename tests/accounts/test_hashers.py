"""Passwords are stored with Argon2id at OWASP's parameters; older hashes still log in and are upgraded."""

import pytest
from django.contrib.auth.hashers import get_hasher, identify_hasher, make_password
from django.urls import reverse

from iodp.accounts.models import User

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db



def test_the_production_profile_hashes_with_argon2id_at_owasps_parameters():
    from iodp.settings import base

    assert base.PASSWORD_HASHERS[0] == "iodp.accounts.hashers.Argon2idPasswordHasher"


def test_a_new_password_is_an_argon2id_hash_with_19_mib_2_iterations_and_1_lane(settings):
    from iodp.settings import base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    encoded = make_password(PASSWORD)
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    hasher = identify_hasher(encoded)
    assert hasher.verify(PASSWORD, encoded) and not hasher.verify(PASSWORD + "x", encoded)
    assert not hasher.must_update(encoded)


def test_a_unit_with_an_older_pbkdf2_hash_logs_in_and_its_hash_is_upgraded(client, unit_user, settings):
    from iodp.settings import base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    pbkdf2 = get_hasher("pbkdf2_sha256")
    User.objects.filter(pk=unit_user.pk).update(password=pbkdf2.encode(PASSWORD, pbkdf2.salt(), iterations=1000))

    response = client.post(reverse("accounts:login"), {"username": unit_user.username, "password": PASSWORD})

    assert response.status_code == 302 and response.url == reverse("core:home")
    stored = User.objects.get(pk=unit_user.pk).password
    assert stored.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert client.get(reverse("core:home")).status_code == 200


def test_a_wrong_password_against_an_argon2id_hash_is_refused(client, unit_user, settings):
    from iodp.settings import base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    unit_user.set_password(PASSWORD)
    unit_user.save(update_fields=["password"])

    response = client.post(reverse("accounts:login"), {"username": unit_user.username, "password": "wrong-pass-1"})

    assert response.status_code == 200 and "_auth_user_id" not in client.session
