"""The survey's public surface: what installer_tool may import for difficult-property surveys.

The survey model and its field vocabulary (`fields`), the autosaving store, field checks, the
recommendation rules, the HAN walk test and its link summaries, and the report and exchange
files. The rest of device_backend.survey (codec, the store's SQL) is private to the back end
(import-linter contract in pyproject.toml).
"""

from __future__ import annotations

from device_backend.survey import fields
from device_backend.survey.exchange import (
    SurveyFileError,
    patch_csv,
    read_survey_file,
    survey_csv,
    survey_json,
    write_text,
)
from device_backend.survey.links import link_key, local_time, summarise
from device_backend.survey.model import FieldEntry, Recommendation, Sample, Survey
from device_backend.survey.rules import (
    LINK_OUTCOME_WORDS,
    RulesError,
    RuleSet,
    describe,
    evaluate,
    load_rules,
)
from device_backend.survey.store import PhotoError, SurveyStore, SurveyStoreError, SurveySummary
from device_backend.survey.validate import FieldError, check_position_name
from device_backend.survey.walk import (
    LinkSource,
    WalkPoint,
    WalkTestError,
    default_points,
    link_source_for,
    run_walk_test,
    scenario_link_source,
)

__all__ = [
    "LINK_OUTCOME_WORDS",
    "FieldEntry",
    "FieldError",
    "LinkSource",
    "PhotoError",
    "Recommendation",
    "RuleSet",
    "RulesError",
    "Sample",
    "Survey",
    "SurveyFileError",
    "SurveyStore",
    "SurveyStoreError",
    "SurveySummary",
    "WalkPoint",
    "WalkTestError",
    "check_position_name",
    "default_points",
    "describe",
    "evaluate",
    "fields",
    "link_key",
    "link_source_for",
    "load_rules",
    "local_time",
    "patch_csv",
    "read_survey_file",
    "run_walk_test",
    "scenario_link_source",
    "summarise",
    "survey_csv",
    "survey_json",
    "write_text",
]
