"""导入 of experts: the sheets of the experts template (基本信息 and its lists 语言能力, 教育经历, 工作经历,
国际组织任职, linked by 序号) become experts of the importing unit, through the same services as the edit page.

How the importer and the edit form stay in agreement: every cell is parsed by the edit form's own field (the
class-level field of `ExpertForm` / the list forms: the same types, lengths, formats and messages, without a
form instance per row); coded cells are read by their labels (the values the drop-down lists offer) or codes;
then the records go through `records_save_batch`, the batch form of `record_save` / `record_submit` (the
model's `full_clean`, its hooks and the workflow's rules, history included), and the form's own rules on masked
values and duplicate languages are the shared functions `masked_value_errors` and `duplicate_language_error`.
`tests/exchange/test_expert_import.py` feeds the same bad values to both.

Matching: 专家编号 (the platform's number, as an export writes it) names an expert of the unit; otherwise the ID
number, otherwise the name with the birth date find one; else a new expert is created. An approved expert is
changed through a revision (reviewed like one made on its page). The lists of an expert in the file replace the
stored ones when their sheet is in the workbook. An expert whose values and lists equal the stored ones is
unchanged and nothing is written, so importing a file twice changes nothing the second time.
"""

import copy
import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models.base import ModelState
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from iodp.core import parallel
from iodp.core import workflow_services as wf
from iodp.core.bulk import RowCleaner, collector_paused, instance_builder, old_objects_frozen
from iodp.core.parallel import NeedsDatabase, worked_ahead
from iodp.core.text import normalize_text
from iodp.core.workflow import BOOKKEEPING_FIELDS, RecordStatus
from iodp.exchange.importing import (
    CellLookups,
    ImportResult,
    Problem,
    Row,
    check_headers,
    choice_value,
    header_map,
    missing_column,
    parse_cell,
    read_table,
    text,
)
from iodp.exchange.registry import RefusedImport, register_import
from iodp.exchange.xlsx import FORM_LABEL_COLUMNS
from iodp.organizations.selectors import OrganizationNames

from . import identity, services
from .exports import (
    EDUCATION_FIELDS,
    EMPLOYMENT_FIELDS,
    EXPERT_FIELDS,
    FORM_NOTES_TITLE,
    FORM_TITLE,
    KEY_HEADER,
    LANGUAGE_FIELDS,
    NUMBER_HEADER,
    POSITION_FIELDS,
    READ_ONLY,
    SHEETS,
    expert_workbook,
    registration_form,
)
from .forms import (
    EducationForm,
    EmploymentForm,
    ExpertForm,
    LanguageForm,
    PositionForm,
    duplicate_language_error,
    masked_value_errors,
)
from .models import (
    DERIVED_INPUTS,
    Education,
    Employment,
    Expert,
    ExpertKind,
    ExpertLanguage,
    IdType,
    Level,
    Position,
    derived_values,
    id_errors_of,
)

#: the lists of an expert, by sheet: (attribute on Expert, model, the edit page's form for one row)
CHILDREN = {
    SHEETS["languages"]: ("languages", ExpertLanguage, LanguageForm),
    SHEETS["education"]: ("education", Education, EducationForm),
    SHEETS["employment"]: ("employment", Employment, EmploymentForm),
    SHEETS["positions"]: ("positions", Position, PositionForm),
}
#: the columns of each list (as the template has them). Not the forms' Meta.fields: an inline formset appends its
#: foreign key to that list when it is first built.
CHILD_FIELDS = {
    SHEETS["languages"]: LANGUAGE_FIELDS,
    SHEETS["education"]: EDUCATION_FIELDS,
    SHEETS["employment"]: EMPLOYMENT_FIELDS,
    SHEETS["positions"]: ["organization", *POSITION_FIELDS],
}
BASIC = SHEETS["basic"]
#: a reserve expert's target levels (a serving one has none)
TARGET_LEVEL_FIELDS = tuple(f"target_{level}" for level in Level.values)
#: experts parsed, checked and written together (`import_chunk`): a few queries per chunk, the progress bar's step
CHUNK = 200


# --- reading cells --------------------------------------------------------------------------------------------

class Lookups(CellLookups):
    """The coded columns' names and the edit forms of the experts template, loaded once per import."""

    def __init__(self, user):
        super().__init__(user, [ExpertForm(instance=Expert(kind=ExpertKind.RESERVE), user=user),
                                *(form_class(user=user) for _attribute, _model, form_class in CHILDREN.values())])
        self.organizations = OrganizationNames(user)
        self._child_columns = {}
        self._basic_columns = None
        #: the 国际组织任职 columns read besides the model's fields, headed in the file's language
        self.organization_header, self.acronym_header = str(_("国际组织")), str(_("英文缩写"))

    def basic_columns(self) -> dict:
        """The 基本信息 columns an import sets, worked out once per import: {header: (field name, the cell's
        parser)}."""
        if self._basic_columns is None:
            self._basic_columns = {header: (name, self.parser(Expert, ExpertForm, name))
                                   for header, name in header_map(Expert, BASIC_FIELDS).items()
                                   if name not in READ_ONLY}
        return self._basic_columns

    def child_columns(self, sheet_name: str) -> tuple[dict, list[str], RowCleaner, Callable]:
        """A list sheet's columns, worked out once per import: {header: (attname, the cell's parser)}, the
        model's relations (which `child_values` does not look up again per row), its `full_clean` without them
        (a `RowCleaner`, which checks each distinct value once per import), and its rows' builder
        (`core.bulk.instance_builder`)."""
        if sheet_name not in self._child_columns:
            self._child_columns[sheet_name] = self._columns_of(sheet_name)
        return self._child_columns[sheet_name]

    def _columns_of(self, sheet_name: str) -> tuple[dict, list[str], RowCleaner, Callable]:
        _attribute, model, form_class = CHILDREN[sheet_name]
        names = [n for n in CHILD_FIELDS[sheet_name] if n != "organization"]
        columns = {header: (_attname(model, name), self.parser(model, form_class, name))
                   for header, name in header_map(model, names).items()}
        relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
        return columns, relations, RowCleaner(model, relations), instance_builder(model)

    def organization(self, name: str, acronym: str = "") -> tuple[int | None, str]:
        """(pk, "") of the registry entry the user may choose named `name` (Chinese or English) or `acronym`;
        else (None, a message that names the likely one)."""
        return self.organizations.find(name, acronym)


# --- the rows of one expert -----------------------------------------------------------------------------------

@dataclass
class Entry:
    """One expert of the file: its 基本信息 row and its list rows, by sheet."""

    key: str
    basic: Row
    children: dict = field(default_factory=dict)  # sheet → [Row]
    #: a registration form's list → the row of its title (where a problem of the whole list is reported)
    section_rows: dict = field(default_factory=dict)


def form_sheets(sheets) -> list:
    """The sheets of the workbook that are a filled 专家信息登记表 (recognised by the title in A1)."""
    title = str(FORM_TITLE)
    return [sheet for sheet in sheets if sheet.rows and sheet.rows[0] and text(sheet.rows[0][0]) == title]


def check_template(sheets) -> None:
    """Refuse a workbook that is neither the experts template (no 基本信息 sheet, or its 序号 / 姓名 column
    missing) nor a registration form (its 姓名 label missing)."""
    name_label = str(Expert._meta.get_field("name_zh").verbose_name)
    forms = form_sheets(sheets)
    if forms:
        for sheet in forms:
            if name_label not in read_form(sheet).basic.cells:
                raise RefusedImport(missing_column(sheet.name, name_label))
        return
    check_headers(sheets, sheet=BASIC, required=(NUMBER_HEADER, name_label), what=gettext_lazy("专家信息"))


def read_form(sheet) -> Entry:
    """A registration form as the template's rows: its label/value pairs (labels in columns A and E, each value
    beside its label) are one 基本信息 row, each cell remembering its own row; each table's rows (from its
    header row down to the next table) are rows of that list. The rest (title, 填表说明) is left out."""
    labels = set(header_map(Expert, BASIC_FIELDS)) | {str(KEY_HEADER)}
    sections, notes = set(CHILDREN), str(FORM_NOTES_TITLE)
    cells, cell_rows, children, section_rows = {}, {}, {}, {}
    section, headers = None, None
    for number, values in enumerate(sheet.rows[1:], start=2):
        first = text(values[0]) if values else ""
        if (first in sections or first == notes) and all(text(v) == "" for v in values[1:]):
            section, headers = first, None
            if first in sections:
                children.setdefault(first, [])
                section_rows[first] = number
            continue
        if section is None:
            for column in FORM_LABEL_COLUMNS:
                label = text(values[column]) if column < len(values) else ""
                if label in labels and label not in cells:
                    cells[label] = values[column + 1] if column + 1 < len(values) else None
                    cell_rows[label] = number
            continue
        if section == notes:
            continue
        if headers is None:
            headers = [text(v) for v in values]
            continue
        if all(text(v) == "" for v in values):
            continue
        children[section].append(Row(sheet.name, number, {h: values[i] if i < len(values) else None
                                                          for i, h in enumerate(headers) if h}))
    first_row = min(cell_rows.values(), default=2)
    return Entry(sheet.name, Row(sheet.name, first_row, cells, cell_rows), children, section_rows)


def group_entries(sheets, result: ImportResult) -> tuple[list[Entry], set[str]]:
    """The experts of the workbook with their list rows; and which lists it holds (the template's sheets, or a
    registration form's tables: one expert per form sheet)."""
    check_template(sheets)
    forms = form_sheets(sheets)
    if forms:
        entries = [read_form(sheet) for sheet in forms]
        return entries, {name for entry in entries for name in entry.section_rows}
    by_name = {sheet.name: sheet for sheet in sheets}
    _headers, basic_rows = read_table(by_name[BASIC])
    entries, seen = [], {}
    number_header = str(NUMBER_HEADER)
    for row in basic_rows:
        key = text(row.cells.get(number_header))
        if not key:
            result.problems.append(Problem(BASIC, row.number, str(NUMBER_HEADER), _("请填写序号（各工作表按序号对应同一位专家）。")))
            continue
        if key in seen:
            result.problems.append(Problem(BASIC, row.number, str(NUMBER_HEADER),
                                           _("序号 %(key)s 与第 %(row)s 行重复。") % {"key": key, "row": seen[key]}))
            continue
        seen[key] = row.number
        entries.append(Entry(key, row))
    keyed = {entry.key: entry for entry in entries}
    present = set()
    for sheet_name in CHILDREN:
        if sheet_name not in by_name:
            continue
        present.add(sheet_name)
        child_headers, child_rows = read_table(by_name[sheet_name])
        if child_rows and str(NUMBER_HEADER) not in child_headers:
            raise RefusedImport(missing_column(sheet_name, NUMBER_HEADER))
        for row in child_rows:
            key = text(row.cells.get(number_header))
            if key not in keyed:
                if key not in seen:  # a row of an expert whose own row is invalid is reported there
                    result.problems.append(Problem(sheet_name, row.number, str(NUMBER_HEADER),
                                                   _("“%(sheet)s”中没有序号为“%(key)s”的专家。") % {
                                                       "sheet": BASIC, "key": key}))
                continue
            keyed[key].children.setdefault(sheet_name, []).append(row)
    return entries, present


# --- one expert -----------------------------------------------------------------------------------------------

BASIC_FIELDS = [name for name in EXPERT_FIELDS if name not in READ_ONLY]


@dataclass(slots=True)
class Parsed:
    """An expert's cells parsed (nothing compared with the stored expert yet): what `parse_entry` gives, in
    this process or ahead of it in another one (`parse_ahead`); it pickles."""

    #: the 基本信息 cells the import sets, in the row's order: (header, field name, value, messages or None)
    basic: list
    #: each list's rows: sheet → (their values, the checked unsaved rows, their problems)
    lists: dict
    #: `Expert.worked_ahead` of a new expert with these cells, where another process parsed them
    #: (`expert_checks_ahead`)
    ahead: dict | None = None


def parse_entry(entry: Entry, lists: set[str], lookups: Lookups) -> Parsed:
    """Every cell of the expert parsed and each list row checked, as the edit forms parse and check them: a
    function of the file and of the tables `lookups` loaded (no query, except for the hint of an organization
    the registry does not have)."""
    columns = lookups.basic_columns()
    basic = []
    for header, raw in entry.basic.cells.items():
        column = columns.get(header)
        if column is None:
            continue
        name, parse = column
        try:
            basic.append((header, name, parse(raw), None))
        except ValidationError as error:
            basic.append((header, name, None, error.messages))
    return Parsed(basic, {sheet: child_values(entry, sheet, lookups) for sheet in lists})


def expert_checks_ahead(basic: list) -> dict:
    """`Expert.worked_ahead` for the expert the 基本信息 cells `basic` make when it is new (`_new_draft`): what the
    parsing process can work out of the checks its record will go through here. An updated expert whose values
    come out the same takes them too; any other works them out itself."""
    draft = _new_draft(basic)
    inputs = tuple(getattr(draft, name) for name in DERIVED_INPUTS)
    derived = derived_values(*inputs)
    ahead = {"derived": (inputs, derived)}
    if derived["id_number"]:
        arguments = (draft.id_type, derived["id_number"], draft.birth_date, draft.gender, True)
        ahead["id_errors"] = (arguments, id_errors_of(*arguments))
    if all(messages is None for _header, _name, _value, messages in basic):
        try:
            fields = wf.record_cleaner(Expert).fields_pass(draft)
        except NeedsDatabase:  # (a check of a field that reads the database: left to the record's own)
            fields = None
        if fields is not None:
            ahead["fields"] = fields
    return ahead


def _new_draft(basic: list) -> Expert:
    """The new expert `prepare_entry` makes of the valid cells of `basic`, as `records_save_batch` checks it when
    it saves drafts."""
    expert = new_expert(None)
    set_basic_values(expert, {name: value for _header, name, value, messages in basic if messages is None})
    wf.stamped_for_batch(expert, by=None, submit=False)
    return expert


def new_expert(unit) -> Expert:
    """A new serving expert of `unit` with every other field at its default: what `Expert(unit=unit)` gives
    (`core.bulk.instance_builder`)."""
    expert = instance_builder(Expert)({})
    expert.unit = unit
    expert.kind = ExpertKind.SERVING
    return expert


def set_basic_values(expert: Expert, values: dict) -> dict:
    """The 基本信息 `values` ({field: value}) set on `expert` (a serving expert has no target levels); its
    many-to-many values are returned, not set."""
    many_values = {name: value for name, value in values.items() if Expert._meta.get_field(name).many_to_many}
    for name, value in values.items():
        if name not in many_values:
            setattr(expert, Expert._meta.get_field(name).attname, value)
    if expert.kind != ExpertKind.RESERVE:
        for name in TARGET_LEVEL_FIELDS:
            setattr(expert, name, False)
    return many_values


def basic_values(entry: Entry, parsed: Parsed, stored: Expert | None,
                 problems: list[Problem]) -> tuple[dict, set]:
    """{field: value} of the 基本信息 row and the fields sent back as their mask (stored value kept)."""
    values, sent_masked = {}, set()
    cells = entry.basic.cells
    for header, name, value, messages in parsed.basic:
        if stored is not None and name == "id_number" and stored.id_number and \
                text(cells[header]) == stored.masked_id_number:
            values[name], _unused = stored.id_number, sent_masked.add(name)
            continue
        if stored is not None and name == "birth_date" and stored.birth_date and \
                text(cells[header]) == stored.masked_birth_date:
            values[name], _unused = stored.birth_date, sent_masked.add(name)
            continue
        if messages is None:
            values[name] = value
        else:
            problems.extend(Problem(entry.basic.sheet, entry.basic.row_of(header), header, message)
                            for message in messages)
    return values, sent_masked


def child_values(entry: Entry, sheet_name: str, lookups: Lookups) -> tuple[list[dict], list, list[Problem]]:
    """The list rows of one expert in `sheet_name`: their values (to compare with the stored list), the
    checked, unsaved rows to write, and their problems."""
    attribute, model, _form_class = CHILDREN[sheet_name]
    columns, _relations, cleaner, build = lookups.child_columns(sheet_name)
    rows, instances, problems = [], [], []
    organization_header, acronym_header = lookups.organization_header, lookups.acronym_header
    for row in entry.children.get(sheet_name, []):
        values, errors = {}, []
        for header, raw in row.cells.items():
            column = columns.get(header)
            if column is None:
                continue
            attname, parse = column
            try:
                values[attname] = parse(raw)
            except ValidationError as error:
                errors.extend(Problem(row.sheet, row.number, header, m) for m in error.messages)
        if model is Position:
            pk, message = lookups.organization(text(row.cells.get(organization_header)),
                                               text(row.cells.get(acronym_header)))
            if pk is None:
                errors.append(Problem(row.sheet, row.number, organization_header, message))
            values["organization_id"] = pk
        instance = build(values)
        try:  # the foreign keys come from the lookups (rows that exist): not looked up again per row
            cleaner.full_clean(instance)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                header = str(model._meta.get_field(name).verbose_name) if name != "__all__" else ""
                errors.extend(Problem(row.sheet, row.number, header, m) for m in messages)
        problems.extend(errors)
        rows.append({attname: getattr(instance, attname) for attname in values})
        instances.append(instance)  # checked as the form checks it: the row written
    message = duplicate_language_error([r.get("language") for r in rows]) if attribute == "languages" else ""
    if message:
        first = entry.children[sheet_name][0]
        problems.append(Problem(first.sheet, first.number, "", message))
    return rows, instances, problems


def _attname(model, name: str) -> str:
    return name if name.endswith("_id") else model._meta.get_field(name).attname


def child_columns(sheet_name: str) -> list[str]:
    """The stored columns of a list's rows (attnames), in the order `comparable` compares them."""
    model = CHILDREN[sheet_name][1]
    return [_attname(model, name) for name in CHILD_FIELDS[sheet_name]]


def field_values(expert: Expert) -> tuple:
    """The expert's own editable values, as stored (what an import compares and copies onto a revision)."""
    return tuple((f.attname, getattr(expert, f.attname)) for f in Expert._meta.concrete_fields
                 if f.editable and f.name not in BOOKKEEPING_FIELDS)


def comparable(expert: Expert, lists: set[str]) -> tuple:
    """Everything an import can change, as plain values (to tell "unchanged"). Reads the many-to-many values and
    lists through .all(): prefetched for a whole chunk (`STORED_RELATIONS`)."""
    values = field_values(expert)
    many_values = tuple(sorted(item.pk for item in getattr(expert, f.name).all()) for f in
                        Expert._meta.many_to_many) if expert.pk else ()
    children = []
    for sheet_name in sorted(lists):
        attribute, columns = CHILDREN[sheet_name][0], child_columns(sheet_name)
        rows = sorted(getattr(expert, attribute).all(), key=lambda row: row.pk) if expert.pk else []
        children.append(tuple(tuple(getattr(row, column) for column in columns) for row in rows))
    return values, many_values, tuple(children)


#: what an import reads of each stored expert, prefetched for a chunk of them at once
STORED_RELATIONS = [f.name for f in Expert._meta.many_to_many] + [a for a, _m, _f in CHILDREN.values()]


class StoredExperts:
    """The unit's experts an import may update, indexed once per import (no query per row): by 专家编号, by
    ID key and by name with birth date. The records themselves are loaded a chunk at a time (`load`)."""

    def __init__(self, user, unit):
        self.editable = Expert.objects.editable_by(user).filter(revision_of__isnull=True, unit=unit)
        self.pks, self.by_key, self.by_name = set(), {}, {}
        for pk, id_key, name, born in self.editable.order_by("pk").values_list("pk", "id_key", "name_zh",
                                                                                "birth_date"):
            self.pks.add(pk)
            if id_key:
                self.by_key.setdefault(id_key, pk)
            if name and born:
                self.by_name.setdefault((name, born), pk)
        self.loaded: dict[int, Expert] = {}
        self.revisions: dict[int, Expert] = {}

    def load(self, pks) -> None:
        """Fetch these experts and their open revisions with everything `comparable` reads (a few queries)."""
        self.loaded = self.editable.filter(pk__in=pks).prefetch_related(*STORED_RELATIONS).in_bulk()
        approved = [pk for pk, e in self.loaded.items() if e.status == RecordStatus.APPROVED]
        self.revisions = {r.revision_of_id: r for r in Expert.objects.filter(revision_of__in=approved)
                          .prefetch_related(*STORED_RELATIONS)} if approved else {}


def find_stored(entry: Entry, stored: StoredExperts, lookups: Lookups, problems: list[Problem]) -> int | None:
    """The pk of the unit's expert the row names (专家编号), else the one with its ID number, else with its name
    and birth date; None for a new expert."""
    headers = _match_headers(get_language())
    cells = entry.basic.cells
    number = text(cells.get(headers.key))
    if number:
        pk = int(number) if number.isdigit() else None
        if pk not in stored.pks:
            problems.append(Problem(entry.basic.sheet, entry.basic.row_of(headers.key), headers.key,
                                    _("专家编号 %(number)s 不是本单位的专家。新增专家请将专家编号留空。") % {"number": number}))
            return None
        return pk
    id_number = text(cells.get(headers.id_number))
    if id_number and "*" not in id_number:
        id_type_label = text(cells.get(headers.id_type))
        try:
            id_type = choice_value(Expert._meta.get_field("id_type"), id_type_label) or IdType.RESIDENT_ID
        except ValidationError:
            id_type = IdType.RESIDENT_ID
        key = identity.id_key(id_type, identity.normalize_id_number(id_number) if id_type == IdType.RESIDENT_ID
                              else id_number.upper())
        if key and key in stored.by_key:
            return stored.by_key[key]
    name = text(cells.get(headers.name))
    born = cells.get(headers.birth_date)
    try:
        born = parse_cell(Expert, ExpertForm, "birth_date", born, lookups) if born else None
    except ValidationError:
        born = None
    if name and born:
        return stored.by_name.get((normalize_text(name), born))
    return None


@dataclass(frozen=True)
class MatchHeaders:
    key: str
    id_number: str
    id_type: str
    name: str
    birth_date: str


@functools.lru_cache(maxsize=16)
def _match_headers(language) -> MatchHeaders:
    """The columns `find_stored` reads, translated once per language rather than once per row."""
    def label(name):
        return str(Expert._meta.get_field(name).verbose_name)

    return MatchHeaders(str(KEY_HEADER), label("id_number"), label("id_type"), label("name_zh"), label("birth_date"))


@dataclass
class Prepared:
    """An expert of the file, parsed and checked, ready for the batch writer (or found unchanged)."""

    entry: Entry
    item: wf.BatchItem
    updating: bool


def prepare_entry(entry: Entry, parsed: Parsed, *, user, unit, lists: set[str], lookups: Lookups,
                  stored: StoredExperts, pk: int | None, result: ImportResult) -> Prepared | None:
    """The row's expert with its values applied (nothing written), or None: unchanged (counted) or invalid
    (its problems recorded)."""
    problems: list[Problem] = []
    official = stored.loaded.get(pk) if pk is not None else None
    target = official
    if official is not None and official.status == RecordStatus.APPROVED:
        target = stored.revisions.get(pk) or official  # an open revision takes the changes
    if target is not None and target.status == RecordStatus.SUBMITTED:
        result.problems.append(Problem(entry.basic.sheet, entry.basic.number, "", _(
            "该专家的信息正在审核中，审核完成前不能通过导入修改。")))
        result.invalid += 1
        return None
    values, sent_masked = basic_values(entry, parsed, target, problems)
    for _values, _rows, found in parsed.lists.values():
        problems.extend(found)
    children = {sheet: values for sheet, (values, _rows, _found) in parsed.lists.items()}
    if problems:
        result.problems.extend(problems)
        result.invalid += 1
        return None

    before = comparable(target, lists) if target is not None else None
    expert = copy.copy(target) if target is not None else new_expert(unit)
    many_values = set_basic_values(expert, values)
    expert.shown_masked = frozenset(sent_masked)
    expert.worked_ahead = parsed.ahead
    masked_errors = masked_value_errors(stored=target, sent_masked=sent_masked, id_type=expert.id_type,
                                        birth_date=expert.birth_date, id_number=expert.id_number)
    if masked_errors:
        for name, message in masked_errors.items():
            column = str(Expert._meta.get_field(name).verbose_name)
            result.problems.append(Problem(entry.basic.sheet, entry.basic.row_of(column), column, message))
        result.invalid += 1
        return None
    if target is not None and _unchanged(expert, many_values, children, before, lists):
        result.unchanged += 1
        result.records.append(target.pk)
        return None
    if target is not None and target.pk == official.pk and official.status == RecordStatus.APPROVED:
        revision = wf.record_start_revision(record=official, by=user)  # the changes go to a revision, reviewed
        for attname, value in field_values(expert):
            setattr(revision, attname, value)
        revision.shown_masked = expert.shown_masked
        expert = revision
    new_children = {CHILDREN[sheet][0]: rows for sheet, (_values, rows, _found) in parsed.lists.items()}
    return Prepared(entry, wf.BatchItem(expert, expert.version if expert.pk else None, many_values, new_children),
                    updating=target is not None)


def import_chunk(entries: list[Entry], parsed: list[Parsed], *, user, unit, lists: set[str], lookups: Lookups,
                 stored: StoredExperts, submit: bool, result: ImportResult, preview: bool = False) -> None:
    """Up to a few hundred experts of the file, their cells `parsed` (`parse_entry`): checked and written with a
    handful of queries. A `preview` of drafts checks them and writes nothing (`records_save_batch(check_only=True)`)."""
    located = []
    for entry, cells in zip(entries, parsed, strict=True):
        problems: list[Problem] = []
        pk = find_stored(entry, stored, lookups, problems)
        if problems:
            result.problems.extend(problems)
            result.invalid += 1
        else:
            located.append((entry, cells, pk))
    stored.load([pk for _entry, _cells, pk in located if pk is not None])
    prepared = [p for entry, cells, pk in located
                if (p := prepare_entry(entry, cells, user=user, unit=unit, lists=lists, lookups=lookups,
                                       stored=stored, pk=pk, result=result)) is not None]
    while prepared:
        savepoint = transaction.savepoint()
        try:
            saved = wf.records_save_batch([p.item for p in prepared], by=user, submit=submit,
                                          check_only=preview and not submit)
        except wf.BatchRefused as refusal:
            # Report the refused experts, then write the others (to count what the file would do; the import
            # as a whole is rolled back since it has problems).
            transaction.savepoint_rollback(savepoint)
            for index, error in sorted(refusal.errors.items()):
                result.problems.extend(_located(error, prepared[index].entry))
                result.invalid += 1
            prepared = [p for index, p in enumerate(prepared) if index not in refusal.errors]
            continue
        transaction.savepoint_commit(savepoint)
        break
    else:
        return
    for p in prepared:
        if p.updating:
            result.updated += 1
        else:
            result.new += 1
        if p.item.record.pk:  # (a new expert of a preview has none)
            result.records.append(p.item.record.revision_of_id or p.item.record.pk)
    checks = services.expert_duplicate_checks(experts=saved, by=user, audit=not preview)
    for p, check in zip(prepared, checks, strict=True):
        for duplicate in check.duplicates:
            result.warnings.append(Problem(p.entry.basic.sheet, p.entry.basic.number, "", _("可能与已有专家重复（%(reason)s）。")
                                           % {"reason": duplicate.reason}))


def _unchanged(expert: Expert, many_values: dict, children: dict, before, lists: set[str]) -> bool:
    expert.fill_derived_fields()
    if field_values(expert) != before[0]:
        return False
    for index, field_ in enumerate(Expert._meta.many_to_many):
        if field_.name in many_values and many_values[field_.name] != before[1][index]:
            return False
    for index, sheet_name in enumerate(sorted(lists)):
        model = CHILDREN[sheet_name][1]
        fields = {f.attname: f for f in model._meta.concrete_fields}
        new_rows = tuple(tuple(_stored_form(fields[name], row.get(name)) for name in child_columns(sheet_name))
                         for row in children[sheet_name])
        if new_rows != before[2][index]:
            return False
    return True


def _stored_form(model_field, value):
    """A parsed value as the database gives it back (so that an unchanged row compares equal)."""
    if value in (None, ""):
        return None if model_field.null else ""
    return value if model_field.is_relation else model_field.to_python(value)


def _located(error: ValidationError, entry: Entry) -> list[Problem]:
    """A service's refusal, each message at its sheet, row and column."""
    problems = []
    for name, messages in (error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]):
        sheet, row, column, in_list = entry.basic.sheet, entry.basic.number, "", False
        for sheet_name, (attribute, _model, _form) in CHILDREN.items():
            if name == attribute:
                in_list, rows = True, entry.children.get(sheet_name)
                if rows:
                    sheet, row = rows[0].sheet, rows[0].number
                elif sheet_name in entry.section_rows:  # a form's table, empty: its title row
                    row = entry.section_rows[sheet_name]
                else:
                    sheet = sheet_name
        if not in_list and name not in ("", "__all__"):
            try:
                column = str(Expert._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:  # a key of the record's rules, not a field: no column
                column = ""
            row = entry.basic.row_of(column) if column else row
        problems.extend(Problem(sheet, row, column, message) for message in messages)
    return problems


# --- the file ---------------------------------------------------------------------------------------------------

def parse_ahead(chunks: list[list[Entry]], lists: set[str], lookups: Lookups):
    """`parse_entry` of each chunk's experts, chunk after chunk: in another process ahead of this one when there
    are several chunks (`core.parallel.worked_ahead`), while this one checks and writes the chunk before. An
    expert whose cells need the database there (the hint for an organization the registry does not have) is
    parsed here."""
    if settings.IODP_IMPORT_PARSE_AHEAD and len(chunks) > 1:
        lookups.organizations.load()  # the registry's names, read here: the other process has no database
        from . import pinyin  # noqa: F401 -- its dictionaries loaded once, here (not again in each such process)
        batches = worked_ahead(functools.partial(_parse_chunk, lists=lists, lookups=lookups), chunks)
    else:
        batches = ([None] * len(chunk) for chunk in chunks)
    for chunk, packed in zip(chunks, batches, strict=True):
        yield [_unpacked(cells, lookups) if cells is not None else parse_entry(entry, lists, lookups)
               for entry, cells in zip(chunk, packed, strict=True)]


def _parse_chunk(chunk: list[Entry], *, lists: set[str], lookups: Lookups) -> list[tuple | None]:
    """`parse_entry` of each expert of the chunk, packed for the pipe (`_packed`); None for one that needs the
    database."""
    packed, keys = [], {}
    # The checks of the experts' records too, where this process has the time: where its last chunk waited
    # longer for the one that takes the results (the one that checks and writes them) than the checks of a chunk
    # took; that one then has less to do. Where it would wait for this one, it does them itself.
    checks, spent = parallel.idle() > _checks_cost[0], 0.0
    for entry in chunk:
        try:
            parsed = parse_entry(entry, lists, lookups)
            if checks:
                started = time.perf_counter()
                parsed.ahead = expert_checks_ahead(parsed.basic)
                spent += time.perf_counter() - started
            packed.append(_packed(parsed, keys))
        except NeedsDatabase:
            packed.append(None)
    if checks:
        _checks_cost[0] = spent
    return packed


#: how long the checks of the last chunk that had them took (`_parse_chunk`, in the parsing process)
_checks_cost = [0.0]


def _packed(parsed: Parsed, keys: dict) -> tuple:
    """`parsed` as plain values, which pickle several times faster than model instances: each list row as the
    names of its parsed values (one tuple per distinct set in a chunk: pickled once) and the values of every
    field of its checked instance."""
    lists = {}
    for sheet, (rows, instances, problems) in parsed.lists.items():
        attnames = _concrete_attnames(CHILDREN[sheet][1])
        lists[sheet] = ([(keys.setdefault(names := tuple(row), names), tuple(
            instance.__dict__[attname] for attname in attnames)) for row, instance in zip(rows, instances,
                                                                                           strict=True)], problems)
    return parsed.basic, lists, parsed.ahead


def _unpacked(packed: tuple, lookups: Lookups) -> Parsed:
    """The `Parsed` that `_packed` packed: each row's instance, unsaved, made again with the values it had: every
    field, as checked and normalized, written straight to its `__dict__` (no defaults to fill and nothing to
    normalize again, unlike `core.bulk.instance_builder`)."""
    basic, packed_lists, ahead = packed
    lists = {}
    for sheet, (packed_rows, problems) in packed_lists.items():
        model = CHILDREN[sheet][1]
        attnames, new = _concrete_attnames(model), object.__new__
        instances = []
        for _names, values in packed_rows:
            instance = new(model)
            instance._state = ModelState()
            instance.__dict__.update(zip(attnames, values, strict=True))
            instances.append(instance)
        lists[sheet] = (_RowValues([names for names, _values in packed_rows], instances), instances, problems)
    return Parsed(basic, lists, ahead)


class _RowValues:
    """A list's row values as `child_values` gives them ({attname: value} of the cells each row has), made when
    they are read: only an expert the file updates compares them with its stored rows."""

    __slots__ = ("instances", "names")

    def __init__(self, names: list[tuple], instances: list):
        self.names, self.instances = names, instances

    def __len__(self):
        return len(self.instances)

    def __iter__(self):
        for names, instance in zip(self.names, self.instances, strict=True):
            data = instance.__dict__
            yield {name: data[name] for name in names}


@functools.cache
def _concrete_attnames(model) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields)


def import_experts(sheets, *, user, unit, submit: bool = False, dry_run: bool = False,
                   on_progress=None) -> ImportResult:
    """Import the template's `sheets` (from `iodp.exchange.reading.read_upload`) as `unit`'s experts, by `user`.
    All or nothing: with any invalid row (or `dry_run`) nothing is kept; the result says what would be or was
    new, updated and unchanged, and every problem with its sheet, row and column."""
    result = ImportResult()
    # the workbook's rows, and what each chunk keeps: not walked again by every full garbage collection
    with old_objects_frozen() as settle:
        with collector_paused():  # the file's rows, grouped: containers without cycles, all kept
            entries, lists = group_entries(sheets, result)
        lookups = Lookups(user)
        chunks = [entries[start:start + CHUNK] for start in range(0, len(entries), CHUNK)]
        with transaction.atomic():
            stored = StoredExperts(user, unit)
            done = 0
            for chunk, parsed in zip(chunks, parse_ahead(chunks, lists, lookups), strict=True):
                import_chunk(chunk, parsed, user=user, unit=unit, lists=lists, lookups=lookups, stored=stored,
                             submit=submit, result=result, preview=dry_run)
                settle()
                done += len(chunk)
                if on_progress is not None:
                    on_progress(done, len(entries))
            if dry_run or result.problems:
                transaction.set_rollback(True)
    return result


def expert_template(experts=None, *, reveal_ids: bool = False):
    """The experts template: 填表说明, then the sheets with their headers and drop-down lists; blank, or pre-filled
    with `experts` (a queryset) for units to send out for checking."""
    from iodp.exchange.xlsx import Sheet

    sheets = expert_workbook(experts if experts is not None else Expert.objects.none(), reveal_ids=reveal_ids)
    for sheet in sheets:
        sheet.blank_rows = 500
    return [Sheet(str(_("填表说明")), [], [], notes=template_notes()), *sheets]


def template_notes() -> list[str]:
    return [
        _("专家信息导入模板 · 填表说明"),
        _("1. 每位专家在“基本信息”中填写一行；“序号”由您自行编号（1、2、3……），语言能力、教育经历、工作经历、"
          "国际组织任职各表用同一序号对应该专家，每条经历一行。"),
        _("2. “专家编号”是平台中已有专家的编号（导出时自动填写）。新增专家请留空；请勿修改已有编号。"),
        _("3. 带下拉箭头的列请从下拉列表中选择；日期请按 YYYY-MM-DD 填写，如 1975-03-08。"),
        _("4. 所属学科、目标学科领域、目标国际组织可填多个，用分号“；”分隔。"),
        _("5. 国际组织任职中的“国际组织”请填写平台国际组织名录中的中文名称（或填写英文缩写）；名录中没有的组织请先在平台新增。"),
        _("6. 导出的证件号码和出生日期部分隐藏（如 110105********1234）：原样保留即不作修改；如需修改，请填写完整的新值。"),
        _("7. 导入时先校验全部内容并显示预览，确认后才写入；有任何错误时不会导入任何一行，请按提示修改后重新上传。"),
        _("8. 表中某位专家的语言能力、经历和任职将替换平台中该专家的对应列表；导入的专家默认保存到草稿箱，可选择直接提交审核。"),
    ]


@register_import("experts", title=_("专家信息"), template=expert_template, url_name="experts:list",
                 check=check_template, progress=gettext_lazy("已处理 %(done)s / %(total)s 位专家"),
                 form=registration_form)
def run_expert_import(sheets, *, user, unit, submit=False, dry_run=False, on_progress=None):
    return import_experts(sheets, user=user, unit=unit, submit=submit, dry_run=dry_run, on_progress=on_progress)
