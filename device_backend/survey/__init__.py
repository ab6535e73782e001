"""Difficult-property surveys: fields, validation, autosaving store, walk test, rules and exports."""

from device_backend.survey.model import FieldEntry, Photo, Reason, Recommendation, Sample, Survey
from device_backend.survey.rules import RulesError, RuleSet, evaluate, load_rules
from device_backend.survey.store import SurveyLocked, SurveyStore, SurveyStoreError

__all__ = [
    "FieldEntry",
    "Photo",
    "Reason",
    "Recommendation",
    "RuleSet",
    "RulesError",
    "Sample",
    "Survey",
    "SurveyLocked",
    "SurveyStore",
    "SurveyStoreError",
    "evaluate",
    "load_rules",
]
