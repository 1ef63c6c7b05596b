"""Demo institution profiles: an approved one for 北京市科协, a draft for 中国化学会."""

from iodp.core import workflow_services as wf
from iodp.core.demo import register_demo_loader

from .models import Institution, InstitutionContact


@register_demo_loader
def load_institutions(units, admin):
    beijing = units.get("bj_kx")
    if beijing is not None:
        user = beijing.users.first()
        profile = Institution(
            unit=beijing, name_zh=beijing.name, name_en="Beijing Association for Science and Technology",
            unit_type=beijing.unit_type, province=beijing.province, city="北京", address="北京市西城区（示例地址）",
            website="https://www.bast.net.cn", description="示例数据：北京市科学技术协会的机构信息。",
            admin_name=beijing.admin_name, admin_phone=beijing.admin_phone, admin_email=beijing.admin_email,
        )
        profile = wf.record_save(record=profile, by=user)
        InstitutionContact.objects.create(institution=profile, name="王敏", role="国际部", phone="+861068571234",
                                          email="intl@example.cn")
        profile = wf.record_submit(record=profile, by=user, expected_version=profile.version)
        wf.record_approve(record=profile, by=admin)
    chemistry = units.get("ccs")
    if chemistry is not None:
        wf.record_save(record=Institution(unit=chemistry, name_zh=chemistry.name, name_en="Chinese Chemical Society",
                                          unit_type=chemistry.unit_type, province=chemistry.province),
                       by=chemistry.users.first())
