"""Figures for 导入/导出 of experts, against django-import-export (the peer) in the same run. Prints figures;
asserts nothing. Uses a SQLite database of its own (var/bench-exchange.sqlite3, rebuilt each run).

    .venv/bin/python bench/exchange.py --experts 2000 [--export-experts 20000] [--repeat 3]

1. Import, 基本信息 sheet of N experts (20 columns), validated as strictly as the web form, committed as drafts:
   ours (read_upload + import_experts) vs django-import-export 4.4 with default settings (a ModelResource over
   the same columns, raw codes) on the same rows; `--repeat` passes of both, one after the other, and the
   ratio of their medians (one pass of a 2-core machine varies by a tenth or more).
2. Import, the whole workbook of W experts (基本信息 and, for each expert, 2 languages, 3 education rows,
   3 employment rows and 2 positions): validation (the preview) and commit, each timed (goal at 10,000: under
   20 s both together, SQLite).
3. Export of M experts (the five template sheets): seconds and the peak memory of a fresh process (spawned, not
   forked: a child of this process would start with what the imports above left in its memory).
4. With `--reference-jobs`, the issue's reference jobs on this machine (its figures are of another 2-core machine):
   XlsxWriter in constant-memory mode writing 100,000 x 20 cells (there about 22 s) and python-calamine parsing
   the 基本信息 sheet of 10,000 experts (about 0.3 s), each in a fresh process: what this machine's speed is
   against that one's, in the same run as the figures above.

    .venv/bin/python bench/exchange.py --experts 10000 --workbook-experts 10000 --export-experts 100000 \
        --reference-jobs
"""

import argparse
import datetime
import io
import multiprocessing
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = ROOT / "var" / "bench-exchange.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iodp.settings.test")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅建国文斌宇浩"
COLUMNS = ["序号", "专家类型", "姓名", "姓名拼音/英文名", "性别", "出生日期", "国籍", "证件类型", "证件号码", "电话", "邮箱",
           "工作单位", "所在部门", "职务", "职称", "人员类别", "涉外工作年限", "有多边或国际组织工作经历", "涉外工作经历说明",
           "专家编号"]


def setup_django():
    import django

    DB.parent.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def people(n: int):
    from iodp.experts.demo import demo_id_number

    for i in range(n):
        born = datetime.date(1960 + i % 35, 1 + i % 12, 1 + i % 28)
        male = i % 2 == 0
        yield {
            "序号": i + 1, "专家类型": "已任职专家", "姓名": SURNAMES[i % len(SURNAMES)] + GIVEN[i % 31] + GIVEN[(i // 31) % 31],
            "姓名拼音/英文名": None, "性别": "男" if male else "女", "出生日期": born, "国籍": "中国",
            "证件类型": "居民身份证", "证件号码": demo_id_number("110105", born, f"{(i % 499) * 2 + (1 if male else 0):03d}"),
            "电话": f"139{i:08d}", "邮箱": f"expert{i}@example.cn", "工作单位": f"第{i % 300}研究所", "所在部门": "国际合作处",
            "职务": "处长", "职称": "研究员", "人员类别": "专家学者", "涉外工作年限": 3 + i % 10,
            "有多边或国际组织工作经历": "是" if i % 3 else "否", "涉外工作经历说明": "参与国际组织工作", "专家编号": None,
        }


def basic_sheet_xlsx(rows) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet("基本信息")
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, COLUMNS)
    for r, row in enumerate(rows, start=1):
        for c, name in enumerate(COLUMNS):
            value = row[name]
            if isinstance(value, datetime.date):
                sheet.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), date)
            elif value is not None:
                sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


CODES = {"已任职专家": "serving", "男": "male", "女": "female", "居民身份证": "resident_id", "专家学者": "scholar",
         "是": True, "否": False}


def peer_xlsx(rows) -> bytes:
    """The same rows as django-import-export reads them by default: field names as headers, raw codes."""
    import openpyxl

    from iodp.reference.models import Country

    china = Country.objects.get(code="CN").pk
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("experts")
    fields = ["kind", "name_zh", "gender", "birth_date", "nationality", "id_type", "id_number", "phone", "email",
              "employer", "department", "job_title", "professional_title", "category", "foreign_affairs_years",
              "has_intl_org_experience", "foreign_affairs_description", "unit", "status", "id"]
    sheet.append(fields)
    for row in rows:
        sheet.append([CODES["已任职专家"], row["姓名"], CODES[row["性别"]], row["出生日期"], china,
                      CODES["居民身份证"], row["证件号码"], "+86" + row["电话"], row["邮箱"], row["工作单位"],
                      row["所在部门"], row["职务"], row["职称"], CODES["专家学者"], row["涉外工作年限"],
                      CODES[row["有多边或国际组织工作经历"]], row["涉外工作经历说明"], None, "draft", None])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def the_unit():
    from iodp.accounts import services as account_services
    from iodp.accounts.models import Role, User
    from iodp.reference.loader import load_reference_data
    from iodp.reference.models import Region

    load_reference_data()
    admin = User.objects.create_user(username="bench_admin", password="x" * 12, role=Role.PLATFORM_ADMIN)
    user = account_services.unit_register(
        unit_name="基准测试学会", unit_type="national_society", province=Region.objects.get(code="110000"),
        admin_name="张三", admin_phone="+8613800138000", admin_email="bench@example.cn", username="bench_unit",
        password="Bench-password-1")
    account_services.unit_approve(unit=user.unit, by=admin)
    user.refresh_from_db()
    return user


def bench_import(n: int, repeat: int = 3) -> None:
    """Ours, then the peer, `repeat` times over (each pass in the same conditions as the other's, so that a
    machine slowed down for a while slows both), each figure printed; the ratio of the medians at the end."""
    import statistics

    from import_export import fields, resources
    from tablib import Dataset

    from iodp.accounts.models import User
    from iodp.exchange.reading import read_upload
    from iodp.experts.imports import import_experts
    from iodp.experts.models import Expert

    user = User.objects.get(username="bench_unit")
    rows = list(people(n))
    ours_file = basic_sheet_xlsx(rows)
    peer_file = peer_xlsx(rows)

    class ExpertResource(resources.ModelResource):
        unit = fields.Field(attribute="unit_id", column_name="unit")

        class Meta:
            model = Expert

        def before_import_row(self, row, **kwargs):
            row["unit"] = user.unit_id

    ours_runs, peer_runs = [], []
    for _pass in range(repeat):
        started = time.perf_counter()
        sheets = read_upload(io.BytesIO(ours_file), filename="experts.xlsx")
        parsed = time.perf_counter()
        result = import_experts(sheets, user=user, unit=user.unit)
        ours = time.perf_counter() - started
        assert result.ok and result.new == n, result.problems[:5]
        ours_runs.append(ours)
        print(f"import {n} experts, 基本信息 (20 columns), ours: {ours:.2f} s  ({n / ours:.0f} rows/s; "
              f"reading {parsed - started:.2f} s)")
        del sheets, result
        Expert.objects.all().delete()

        started = time.perf_counter()
        dataset = Dataset().load(io.BytesIO(peer_file), format="xlsx")
        loaded = time.perf_counter()
        peer_result = ExpertResource().import_data(dataset, dry_run=False)
        peer = time.perf_counter() - started
        assert not peer_result.has_errors() and not peer_result.has_validation_errors(), (
            peer_result.invalid_rows[:2], [e.error for e in peer_result.base_errors[:2]])
        assert Expert.objects.count() == n
        peer_runs.append(peer)
        print(f"import {n} experts, django-import-export 4.4 (defaults): {peer:.2f} s  ({n / peer:.0f} rows/s; "
              f"openpyxl loading {loaded - started:.2f} s)  -> {peer / ours:.2f}x")
        del dataset, peer_result
        Expert.objects.all().delete()
    ours, peer = statistics.median(ours_runs), statistics.median(peer_runs)
    print(f"ratio: ours is {peer / ours:.2f}x the peer's speed (median of {repeat}: ours {ours:.2f} s, peer "
          f"{peer:.2f} s; goal: >= 5x)")


def whole_workbook_xlsx(n: int, organization) -> bytes:
    """The template's five sheets for n experts (about 11 rows each), as a unit fills them in."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    date = book.add_format({"num_format": "yyyy-mm-dd"})

    def sheet(name, header, rows):
        worksheet = book.add_worksheet(name)
        worksheet.write_row(0, 0, header)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, datetime.date):
                    worksheet.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), date)
                elif value is not None:
                    worksheet.write(r, c, value)

    people_rows = list(people(n))
    sheet("基本信息", COLUMNS, ([row[name] for name in COLUMNS] for row in people_rows))
    sheet("语言能力", ["序号", "语种", "熟练程度", "证书"],
          ([i, language, "工作语言", None] for i in range(1, n + 1) for language in ("英语", "法语")))
    sheet("教育经历", ["序号", "开始时间", "结束时间", "学校/机构", "国家或地区", "学位/学历", "专业"],
          ([i, datetime.date(1985 + k * 4, 9, 1), datetime.date(1989 + k * 4, 7, 1), f"第{k}大学", "中国", degree, "化学"]
           for i in range(1, n + 1) for k, degree in enumerate(("学士", "硕士", "博士"))))
    sheet("工作经历", ["序号", "开始时间", "结束时间", "工作单位", "国家或地区", "职务"],
          ([i, datetime.date(2000 + k * 5, 1, 1), datetime.date(2004 + k * 5, 12, 31), f"第{k}研究所", "中国", "研究员"]
           for i in range(1, n + 1) for k in range(3)))
    sheet("国际组织任职", ["序号", "国际组织", "英文缩写", "职务名称", "职位", "层级", "任期开始", "任期结束", "任职状态"],
          ([i, organization.name_zh, organization.acronym, "委员", role, level, datetime.date(2020, 1, 1),
            datetime.date(2030, 12, 31), "现任"]
           for i in range(1, n + 1) for role, level in (("执委", "决策层"), ("委员", "中层"))))
    book.close()
    return buffer.getvalue()


def bench_workbook(n: int, repeat: int = 1) -> None:
    """The whole workbook of n experts, `repeat` times (each pass: read, preview, commit, then the experts
    deleted); with more than one pass, the medians of each part too."""
    import statistics

    from django.utils import timezone

    from iodp.accounts.models import User
    from iodp.core.workflow import RecordStatus
    from iodp.exchange.reading import kept_reading, read_upload, reading_kept
    from iodp.experts.imports import import_experts
    from iodp.experts.models import Expert
    from iodp.organizations.models import Organization

    user = User.objects.get(username="bench_unit")
    organization = Organization.objects.create(
        name_zh="国际纯粹与应用化学联合会", name_en="International Union of Pure and Applied Chemistry",
        acronym="IUPAC", status=RecordStatus.APPROVED, approved_at=timezone.now())
    content = whole_workbook_xlsx(n, organization)
    passes = []
    for _pass in range(repeat):
        started = time.perf_counter()
        sheets = read_upload(io.BytesIO(content), filename="experts.xlsx")
        read = time.perf_counter()
        preview = import_experts(sheets, user=user, unit=user.unit, dry_run=True)
        validated = time.perf_counter()
        result = import_experts(sheets, user=user, unit=user.unit)
        committed = time.perf_counter()
        rows = sum(len(sheet.rows) - 1 for sheet in sheets)
        assert preview.ok and result.ok and result.new == n, (preview.problems[:3], result.problems[:3])
        began = time.perf_counter()
        kept = kept_reading(sheets)
        keeping = time.perf_counter() - began
        began = time.perf_counter()
        taken = reading_kept(kept)
        taking = time.perf_counter() - began
        assert taken == sheets
        figures = {"reading": read - started, "preview": validated - read, "commit": committed - validated,
                   "all": committed - started, "single": read - started + committed - validated,
                   "pages": read - started + keeping + 2 * taking + committed - read, "keeping": keeping,
                   "taking": taking}
        passes.append(figures)
        print(f"import whole workbook, {n} experts ({rows} rows in 5 sheets): reading {figures['reading']:.1f} s, "
              f"validation (preview) {figures['preview']:.1f} s, commit {figures['commit']:.1f} s, "
              f"all {figures['all']:.1f} s (goal at 10,000 experts: under 20 s)")
        print(f"  of which a single pass, as `manage.py import_experts` makes it (no separate preview: the import "
              f"validates and commits): reading + commit {figures['single']:.1f} s")
        print(f"  as the pages make it (the upload's check reads the file and keeps its reading, {keeping:.2f} s, "
              f"which the validation job and the commit job take, {taking:.2f} s each): reading + keeping + "
              f"preview + 2 x taking + commit {figures['pages']:.1f} s")
        Expert.objects.all().delete()
    if repeat > 1:
        median = {key: statistics.median(p[key] for p in passes) for key in passes[0]}
        each = ", ".join(f"{p['all']:.1f}" for p in passes)
        print(f"whole workbook, medians of {repeat} passes: reading {median['reading']:.1f} s, preview "
              f"{median['preview']:.1f} s, commit {median['commit']:.1f} s, all {median['all']:.1f} s "
              f"(passes: {each}); single pass {median['single']:.1f} s; "
              f"as the pages make it {median['pages']:.1f} s")


def _peak_memory() -> int:
    """This process's peak resident memory in KiB (VmHWM: unlike getrusage's ru_maxrss, it starts again at exec,
    so a spawned child does not report the peak of the process that started it)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _export_child(m: int, queue) -> None:
    import django

    django.setup()
    from iodp.exchange.xlsx import write_workbook
    from iodp.experts.exports import expert_workbook
    from iodp.experts.models import Expert

    before = _peak_memory()
    started = time.perf_counter()
    rows = write_workbook(str(ROOT / "var" / "bench-export.xlsx"), expert_workbook(Expert.objects.order_by("pk")))
    # the process that wrote the file (a fork of this one, see iodp.exchange.xlsx.write_workbook): its peak
    # resident memory, which counts again the pages it shares with this one
    writer = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    queue.put((time.perf_counter() - started, rows[0], before, _peak_memory(), writer))


def bench_export(m: int) -> None:
    from django.db import connection

    from iodp.accounts.models import Unit
    from iodp.experts.models import Expert, ExpertLanguage

    unit = Unit.objects.get(name="基准测试学会")
    batch = []
    for i, row in enumerate(people(m)):
        batch.append(Expert(unit=unit, name_zh=row["姓名"], name_pinyin=f"p{i:07d}", gender="male",
                            birth_date=row["出生日期"], id_number=row["证件号码"], phone="+86" + row["电话"],
                            email=row["邮箱"], employer=row["工作单位"], category="scholar"))
        if len(batch) == 5000:
            Expert.objects.bulk_create(batch)
            batch = []
    Expert.objects.bulk_create(batch)
    ExpertLanguage.objects.bulk_create([ExpertLanguage(expert_id=pk, language="en", proficiency="working")
                                        for pk in Expert.objects.values_list("pk", flat=True)], batch_size=5000)
    connection.close()
    seconds, rows, before, peak, writer = _in_fresh_process(_export_child, m)
    print(f"export {rows} experts (5 sheets, {m} language rows): {seconds:.1f} s, peak memory {peak / 1024:.0f} MB "
          f"(process at start {before / 1024:.0f} MB) and {writer / 1024:.0f} MB in the process writing the file: "
          f"{(peak + writer) / 1024:.0f} MB in all at most")


def _in_fresh_process(target, *args):
    """What `target(*args, queue)` puts on its queue, run in a new interpreter (spawned): its memory is its own."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=target, args=(*args, queue))
    child.start()
    outcome = queue.get()
    child.join()
    return outcome


def _xlsxwriter_child(rows: int, columns: int, queue) -> None:
    import xlsxwriter

    started = time.perf_counter()
    book = xlsxwriter.Workbook(str(ROOT / "var" / "bench-reference.xlsx"), {"constant_memory": True})
    sheet = book.add_worksheet()
    for r in range(rows):
        sheet.write_row(r, 0, [f"第{r}行第{c}列" if c % 2 else r * columns + c for c in range(columns)])
    book.close()
    queue.put((time.perf_counter() - started, _peak_memory()))


def _calamine_child(content: bytes, queue) -> None:
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name("基本信息").to_python()
    queue.put((time.perf_counter() - started, len(rows)))


def bench_reference_jobs() -> None:
    seconds, peak = _in_fresh_process(_xlsxwriter_child, 100_000, 20)
    print(f"reference job: XlsxWriter (constant memory) writes 100,000 x 20 cells in {seconds:.1f} s, peak memory "
          f"{peak / 1024:.0f} MB (the issue's machine: about 22 s)")
    seconds, rows = _in_fresh_process(_calamine_child, basic_sheet_xlsx(people(10_000)))
    print(f"reference job: python-calamine parses the 基本信息 sheet of 10,000 experts ({rows} rows) in {seconds:.2f} s "
          f"(the issue's machine: about 0.3 s)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--experts", type=int, default=2000)
    parser.add_argument("--workbook-experts", type=int, default=2000)
    parser.add_argument("--export-experts", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3,
                        help="passes of the basic-sheet comparison (ours, then the peer, each time); medians compared")
    parser.add_argument("--workbook-repeat", type=int, default=1,
                        help="passes of the whole workbook (read, preview, commit); medians printed when more than one")
    parser.add_argument("--reference-jobs", action="store_true",
                        help="time the issue's reference jobs (XlsxWriter, python-calamine) on this machine too")
    args = parser.parse_args()
    setup_django()
    the_unit()
    if args.experts:
        bench_import(args.experts, args.repeat)
    if args.workbook_experts:
        bench_workbook(args.workbook_experts, args.workbook_repeat)
    if args.export_experts:
        bench_export(args.export_experts)
    if args.reference_jobs:
        bench_reference_jobs()


if __name__ == "__main__":
    main()
