"""The declared schema of every data file in models/, one pydantic model per file, all in
this one module so that a new key is added here beside its neighbours.

Every model forbids keys it does not declare and requires every key it declares, so a
misspelt or missing key stops jixiao when the file is loaded, with one line naming the
file and the key (`models/units.yaml: unknown key 'money.currencys'`), never as a
KeyError in every document. Word lists whose keys are data (units, comparators, route
letters) are typed mappings; everything else is a closed model.
"""
from __future__ import annotations

from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from .recognize.mention import MENTION_TYPES

Words = list[str]
Number = float  # an int is one too
QuantityLabel = Literal["MONEY", "PERCENT", "LENGTH", "DURATION", "COUNT"]


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# ---------------------------------------------------------------- units.yaml

class Money(Closed):
    currencies: dict[str, str]  # as written -> the currency recorded (圆 -> 元, 港币 -> 港元)
    scales: Words  # keys of the top-level `scales` a currency may carry
    bare: dict[str, Number]
    fractions: dict[str, Number]


class ScaledUnits(Closed):
    units: dict[str, tuple[str, Number]]  # as written -> [canonical unit, factor]
    scales: Words = []


class Percent(Closed):
    units: dict[str, tuple[str, Number]]
    before: Words


class Comparators(Closed):
    before: dict[str, Literal[">=", "<=", "=", ">", "<"]]
    after: dict[str, Literal[">=", "<=", "=", ">", "<"]]


class Hedges(Closed):
    before: Words
    after: Words
    vague: Words


class UnitsFile(Closed):
    scales: dict[str, Number]
    money: Money
    percent: Percent
    length: ScaledUnits
    duration: ScaledUnits
    classifiers: Words
    comparators: Comparators
    hedges: Hedges


# ---------------------------------------------------------------- patterns.yaml

class UnitLexicon(Closed):
    units: QuantityLabel
    strip: str = ""


Lexicon = Union[str, UnitLexicon]  # a dotted name (units.hedges.before) or {units: LABEL}


class CharacterClass(Closed):
    skip: str
    words: list[Lexicon]


class PatternsFile(Closed):
    lexicons: dict[str, Lexicon]
    character_classes: dict[str, CharacterClass]
    references: dict[str, str]
    patterns: dict[Literal["MONEY", "PERCENT", "LENGTH", "DURATION", "COUNT", "DATE", "DOCNO", "ROAD"], list[str]]


# ---------------------------------------------------------------- cues.yaml

class WindowedWords(Closed):
    window: int
    words: Words


class CuesFile(Closed):
    money_before: WindowedWords
    money_not_before: Words
    money_not_after: Words
    length_not_before: Words
    length_links: Words
    length_not_after: Words
    length_of_works: Words
    dimension_after: WindowedWords
    count_not: Words
    count_not_after: Words
    count_not_before: Words
    count_not_words: Words
    duration_cues_before: Words
    recent_before: Words
    duration_row_names: WindowedWords
    headers_starting_with_year: Words
    duration_not_before: Words
    duration_cues_after: Words
    road_not_after: Words
    docno_prefix_stops: Words


# ---------------------------------------------------------------- roads.yaml

class RoadClassRule(Closed):
    digits: list[int]
    road_class: str = Field(alias="class")


class RoadsFile(Closed):
    codes: dict[str, list[RoadClassRule]]
    words: dict[str, str]


# ---------------------------------------------------------------- names.yaml

class OrgNames(Closed):
    strong: Words
    weak: Words
    form_not_followed_by: Words
    generic_functions: Words
    functions: Words
    levels: Words
    level_alone: Words
    not_before: Words
    place_not_first: Words
    place_endings: Words
    not_places: Words
    company_forms: Words
    company_not_in: Words


class ProjectNames(Closed):
    programmes: Words
    road_name_ends: Words
    route_place_chars: int
    facility_ends: Words
    budget_ends: Words
    name_tails: Words
    generic_parts: Words
    drop_xiangmu_before: Words
    stop_tags: Words
    name_words: Words
    not_followed_by: Words
    stop_words: Words
    generic: Words


class NamesFile(Closed):
    org: OrgNames
    project: ProjectNames


# ---------------------------------------------------------------- predicates.yaml

class PredicatesFile(Closed):
    trail_verbs: Words
    verbs: Words
    forward_verbs: Words
    attribute_links: Words
    generic_subjects: Words
    clause_marks: str
    sentence_marks: str
    phrase_ends: Words
    attribute_endings: dict[QuantityLabel, Words]
    phrase_stop_tags: Words
    conjunctions: Words
    references: Words
    reference_not_before: Words
    clause_openers: Words
    distributive: Words
    list_trailers: Words
    list_separators: Words
    part_cues: Words
    funding_sources: Words
    respondents: Words
    estimate_cues: Words
    plan_cues: Words
    plan_sentence_cues: Words
    plan_after_cues: Words
    actual_cues: Words
    measured_against: str
    as_of_cues: Words
    cumulative_cues: Words
    change_cues: Words
    level_after_change: Words
    period_cues: Words
    change_units: Words
    date_not_period_after: Words
    compared_with: Words
    fixed_terms: Words
    head_nouns: Words
    works_words: Words
    table_words: Words
    project_rates: Words


# ---------------------------------------------------------------- structure.yaml

ReportCategory = Literal["项目自评", "部门整体自评", "绩效目标", "绩效评价", "决算", "预算", "其他"]


class ReportVocabulary(Closed):
    title_endings: Words
    title_suffixes: Words
    max_title_chars: int
    header_line_patterns: Words
    attachment_pattern: str
    chrome_patterns: Words
    subtitle_distance: int
    org_suffixes: Words
    max_org_chars: int
    org_project_links: Words
    generic_title_starts: Words
    year_pattern: str
    published_pattern: str
    categories: dict[ReportCategory, Words]  # category -> title words that give it
    category_fields: dict[ReportCategory, Words]  # category -> the money-trail fields it may fill


class TrailPredicates(Closed):
    budget: Words
    budget_full: Words
    received: Words
    spent: Words


class MoneyTrail(Closed):
    funds_section_words: Words
    predicates: TrailPredicates
    final_accounts_spent: Words
    not_money_trail: Words
    max_gap: int
    clause_breaks: str
    full_spend_patterns: Words
    execution_rate_names: Words
    self_score_names: Words


class Sections(Closed):
    levels: Words
    heading_end: str
    max_heading_chars: int


class TableHeader(Closed):
    level1: Words
    level2: Words
    name: Words
    op: Words
    target: Words
    unit: Words
    actual: Words
    weight: Words
    score: Words
    reason: Words
    note: Words


class Tables(Closed):
    header: TableHeader
    name_column_alone: Words
    glued_labels: Words
    min_header_cells: int
    indicator_kinds: Words
    level1: Words
    level0: Words
    level2: Words
    level_suffixes: Words
    max_level_chars: int
    level_weight: str
    name_prefix: str
    total_words: Words
    note_rows: Words
    no_value: Words
    lower_is_better: Words


class MoneyColumns(Closed):
    budget_start: Words
    budget: Words
    spent: Words
    execution_rate: Words
    weight: Words
    score: Words


class Forms(Closed):
    """Labels of a form's cells (项目名称, 实施单位, 年初预算数…) and its money grid."""

    project: Words
    org: Words
    supervisor: Words
    self_score: Words
    execution_rate: Words
    money_label: Words
    money_columns: MoneyColumns
    money_row: Words
    amount_unit: str


class StructureFile(Closed):
    report: ReportVocabulary
    money_trail: MoneyTrail
    sections: Sections
    tables: Tables
    forms: Forms


# ---------------------------------------------------------------- audit.yaml

class AuditRule(Closed):
    severity: Literal["error", "warning", "info"]
    zh: str = ""  # a rule without a Chinese text explains itself in English only
    en: str


class BudgetPart(Closed):
    words: Words
    max_points: Number
    full_score: Number
    score_pattern: str


class RateCheck(Closed):
    pattern: str
    numerator: str
    denominators: Words


class TwoLanguages(Closed):
    zh: str
    en: str


class AmountNames(Closed):
    budget: TwoLanguages
    received: TwoLanguages
    spent: TwoLanguages


class Completion(Closed):
    pattern: str
    words: Words
    clause_end: str
    window: int


class TargetDeadline(Closed):
    pattern: str
    row_pattern: str
    target_headings: Words
    not_headings: Words


class UnmeasurableWhy(Closed):
    level: TwoLanguages
    vague: TwoLanguages


class Unmeasurable(Closed):
    vague_words: Words
    quantity_levels: Words
    why: UnmeasurableWhy


class Narrative(Closed):
    phrases: Words
    not_after: Words
    max_names: int


class TextValues(Closed):
    window: int
    types: list[QuantityLabel]
    min_name_chars: int
    changed_to: Words


class AuditFile(Closed):
    score_tolerance: Number
    rate_tolerance: Number
    rules: dict[str, AuditRule]
    budget_part: BudgetPart
    self_score_pattern: str
    rates: dict[str, RateCheck]
    amount_names: AmountNames
    completion: Completion
    target_deadline: TargetDeadline
    unmeasurable: Unmeasurable
    narrative: Narrative
    text_values: TextValues


# ---------------------------------------------------------------- labels.yaml

class TypeLabel(Closed):
    zh: str
    colour: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")


# every mention type (recognize/mention.py) -> its Chinese name and colour
TypeLabels = create_model("TypeLabels", __base__=Closed, **{code: (TypeLabel, ...) for code in MENTION_TYPES})


class LabelsFile(Closed):
    types: TypeLabels  # type: ignore[valid-type]
    columns: dict[str, dict[str, str]]  # table -> column -> Chinese heading


# File name in models/ -> its schema.
SCHEMAS: dict[str, type[Closed]] = {
    "units.yaml": UnitsFile,
    "patterns.yaml": PatternsFile,
    "cues.yaml": CuesFile,
    "roads.yaml": RoadsFile,
    "names.yaml": NamesFile,
    "predicates.yaml": PredicatesFile,
    "structure.yaml": StructureFile,
    "audit.yaml": AuditFile,
    "labels.yaml": LabelsFile,
}


def problem(data: Any, schema: type[Closed]) -> str | None:
    """The first way `data` breaks `schema`, in one line naming the key, or None.
    `unknown key 'money.currencys'; missing key 'money.currencies'`, `missing key 'hedges.vague'`,
    `key 'money.bare.万': Input should be a valid number`."""
    try:
        schema.model_validate(data)
    except ValidationError as exc:
        said = []
        # a misspelt key is both unknown and missing: name the unknown one first
        for error in sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")[:2]:
            where = ".".join(str(part) for part in error["loc"])
            if error["type"] == "extra_forbidden":
                said.append(f"unknown key {where!r}")
            elif error["type"] == "missing":
                said.append(f"missing key {where!r}")
            else:
                said.append(f"key {where!r}: {error['msg']}")
        return "; ".join(said)
    return None
