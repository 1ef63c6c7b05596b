"""`core.bulk.instance_builder`: an import's rows and change-log entries are built as `Model(**values)` builds
them (the same values, descriptors and defaults, and `Model.__init__` itself where a signal listens)."""

import datetime

import pytest
from django.db.models.signals import post_init

from iodp.core.bulk import instance_builder
from iodp.core.models import ChangeLog
from iodp.experts.models import Education, Expert, ExpertLanguage, Position

pytestmark = pytest.mark.django_db


def fields_of(instance) -> dict:
    return {name: value for name, value in instance.__dict__.items() if name != "_state"}


@pytest.mark.parametrize(("model", "values"), [
    (Expert, {}),
    (Expert, {"name_zh": "  王  伟 ", "unit_id": 7, "birth_date": datetime.date(1970, 5, 1), "kind": "reserve"}),
    (Education, {"institution": "北京大学", "start": datetime.date(1990, 9, 1), "expert_id": 3}),
    (ExpertLanguage, {"language": "en", "proficiency": "working"}),
    (Position, {"organization_id": 5, "role": "chair", "level": "leadership"}),
    (ChangeLog, {"content_type_id": 1, "object_id": 9, "action": "create", "changes": [{"field": "name_zh"}]}),
])
def test_an_instance_holds_what_the_models_own_constructor_gives_it(model, values):
    built, constructed = instance_builder(model)(values), model(**values)
    assert type(built) is model
    assert fields_of(built) == fields_of(constructed)
    assert built._state.adding and built._state.db is None and built.pk is None


def test_a_field_with_a_descriptor_of_its_own_is_set_through_it():
    expert = instance_builder(Expert)({"name_zh": "  王  伟 "})
    assert expert.name_zh == Expert(name_zh="  王  伟 ").name_zh == "王 伟"  # NormalizedCharField's descriptor


def test_a_default_that_is_a_function_is_made_per_instance():
    first, second = (instance_builder(ChangeLog)({}) for _ in range(2))
    assert first.changes == [] and first.snapshot == {}
    first.changes.append({"field": "x"})
    assert second.changes == []  # a list of its own


def test_the_instances_save_like_constructed_ones(django_user_model):
    expert = instance_builder(Expert)({"name_zh": "李娜", "gender": "female", "category": "scholar"})
    expert.unit = None
    expert.save()
    stored = Expert.objects.get(pk=expert.pk)
    assert stored.name_zh == "李娜" and stored.name_pinyin == "lina"
    assert not expert._state.adding


def test_where_a_signal_listens_the_models_constructor_builds_them():
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(receiver, sender=ExpertLanguage)
    instance_builder.cache_clear()
    try:
        language = instance_builder(ExpertLanguage)({"language": "fr"})
    finally:
        post_init.disconnect(receiver, sender=ExpertLanguage)
        instance_builder.cache_clear()
    assert seen == [language] and language.language == "fr"
