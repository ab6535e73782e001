"""Survey files: JSON and one-survey CSV that round-trip, and one CSV row per survey for a patch."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from device_backend.survey import fields as f
from device_backend.survey.codec import (
    FORMAT,
    FORMAT_VERSION,
    recommendation_to_dict,
    sample_from_dict,
    survey_from_dict,
    survey_to_dict,
    time_text,
)
from device_backend.survey.links import summarise
from device_backend.survey.model import Survey
from device_backend.survey.rules import RuleSet, evaluate
from device_backend.survey.validate import FieldError, check

SURVEY_COLUMNS = (
    "record",
    "name",
    "text",
    "value",
    "time",
    "peer",
    "position",
    "answered",
    "rssi_dbm",
    "lqi",
    "source",
    "caption",
    "media_type",
    "sha256",
    "method",
)
# Files written before samples recorded how they were taken have no "method" column.
_OLD_SURVEY_COLUMNS = SURVEY_COLUMNS[:-1]
_META = (
    "format",
    "format_version",
    "id",
    "engineer",
    "status",
    "created",
    "updated",
    "completed",
    "copied_from",
)
_RISKY_START = ("=", "+", "@", "\t", "\r", "'")


class SurveyFileError(ValueError):
    """A survey file that cannot be read; the message names the file, the row and the problem."""


def _cell(text: str) -> str:
    """Spreadsheets run cells that start with = + @ as formulas; a leading ' stops that (and
    is removed again on import, so the file still round-trips exactly)."""
    if text.startswith(_RISKY_START) or (text.startswith("-") and not _numeric(text)):
        return "'" + text
    return text


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _uncell(text: str) -> str:
    return text.removeprefix("'")


# -- JSON --------------------------------------------------------------------------------------


def survey_json(survey: Survey, rules: RuleSet | None = None) -> str:
    """The survey (importable) plus, for a reader, each link's summary and the recommendation."""
    data: dict[str, Any] = survey_to_dict(survey)
    if rules is not None:
        data["links"] = [_summary_dict(s) for s in summarise(survey).values()]
        if survey.recommendation is None:
            data["draft_recommendation"] = recommendation_to_dict(evaluate(rules, survey))
    return json.dumps(data, indent=2, ensure_ascii=False)


def _summary_dict(summary: Any) -> dict[str, Any]:
    def num(value: Any) -> str | None:
        return None if value is None else str(value)

    return {
        "link": summary.key,
        "label": summary.label,
        "peer": summary.peer,
        "position": summary.position,
        "samples": summary.samples,
        "answered": summary.answered,
        "median_rssi_dbm": num(summary.median_rssi_dbm),
        "worst_rssi_dbm": summary.worst_rssi_dbm,
        "median_lqi": num(summary.median_lqi),
        "worst_lqi": summary.worst_lqi,
        "method": summary.method,
        "ends_868": summary.ends_868,
        "first": time_text(summary.first),
        "last": time_text(summary.last),
    }


def read_survey_json(text: str, *, name: str = "file") -> Survey:
    try:
        return survey_from_dict(json.loads(text))
    except (ValueError, KeyError, TypeError) as error:
        raise SurveyFileError(f"{name}: {error}") from error


# -- one survey as CSV ---------------------------------------------------------------------------


def survey_csv(survey: Survey) -> str:
    data = survey_to_dict(survey)
    out = io.StringIO()
    writer = csv.DictWriter(out, SURVEY_COLUMNS)  # \r\n ends rows, so a lone \r is quoted
    writer.writeheader()
    for key in _META:
        writer.writerow({"record": "meta", "name": key, "value": _cell(str(data[key] or ""))})
    if data["recommendation"]:
        writer.writerow(
            {
                "record": "meta",
                "name": "recommendation",
                "value": json.dumps(data["recommendation"], ensure_ascii=False),
            }
        )
    for name, entry in data["fields"].items():
        writer.writerow(
            {
                "record": "field",
                "name": name,
                "text": _cell(entry["text"]),
                "value": _cell(entry["value"] or ""),
                "time": entry["changed"] or "",
            }
        )
    for sample in data["samples"]:
        writer.writerow(
            {
                "record": "sample",
                "time": sample["time"],
                "peer": sample["peer"],
                "position": sample["position"],
                "answered": int(sample["answered"]),
                "rssi_dbm": "" if sample["rssi_dbm"] is None else sample["rssi_dbm"],
                "lqi": "" if sample["lqi"] is None else sample["lqi"],
                "source": sample["source"],
                "method": sample["method"],
            }
        )
    for photo in data["photos"]:
        writer.writerow(
            {
                "record": "photo",
                "name": _cell(photo["filename"]),
                "value": photo["data_base64"],
                "time": photo["added"] or "",
                "caption": _cell(photo["caption"]),
                "media_type": photo["media_type"],
                "sha256": photo["sha256"],
            }
        )
    return out.getvalue()


def read_survey_csv(text: str, *, name: str = "file") -> Survey:
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) not in (SURVEY_COLUMNS, _OLD_SURVEY_COLUMNS):
        raise SurveyFileError(
            f"{name}: not a survey CSV (its header is not {','.join(SURVEY_COLUMNS)})"
        )
    data: dict[str, Any] = {"fields": {}, "samples": [], "photos": []}
    for row_number, row in enumerate(reader, start=2):
        try:
            _read_row(row, data)
        except (ValueError, KeyError, TypeError) as error:
            raise SurveyFileError(f"{name} row {row_number}: {error}") from error
    data["format_version"] = int(data.get("format_version") or FORMAT_VERSION)
    for key in ("completed", "copied_from"):
        data[key] = data.get(key) or None
    try:
        return survey_from_dict(data)
    except (ValueError, KeyError, TypeError) as error:
        raise SurveyFileError(f"{name}: {error}") from error


def _read_row(row: dict[str, str], data: dict[str, Any]) -> None:
    record = row["record"]
    if record == "meta":
        if row["name"] == "recommendation":
            data["recommendation"] = json.loads(row["value"])
        elif row["name"] in _META:
            data[row["name"]] = _uncell(row["value"])
        else:
            raise ValueError(f"unknown meta item {row['name']!r}")
    elif record == "field":
        text, value = _uncell(row["text"]), _uncell(row["value"])
        data["fields"][row["name"]] = {
            "text": text,
            "value": value or None,
            "error": _refusal(row["name"], text),
            "changed": row["time"] or None,
        }
    elif record == "sample":
        sample = {
            "time": row["time"],
            "peer": row["peer"],
            "position": row["position"],
            "answered": row["answered"] == "1",
            "rssi_dbm": int(row["rssi_dbm"]) if row["rssi_dbm"] else None,
            "lqi": int(row["lqi"]) if row["lqi"] else None,
            "source": row["source"],
            "method": row.get("method") or "probe",
        }
        sample_from_dict(sample)  # a bad time or number is reported against its row
        data["samples"].append(sample)
    elif record == "photo":
        data["photos"].append(
            {
                "id": len(data["photos"]) + 1,
                "filename": _uncell(row["name"]),
                "data_base64": row["value"],
                "added": row["time"] or None,
                "caption": _uncell(row["caption"]),
                "media_type": row["media_type"],
                "sha256": row["sha256"],
            }
        )
    else:
        raise ValueError(f"unknown record kind {record!r}")


def _refusal(name: str, text: str) -> str:
    """The message a field's text earns today (the CSV does not carry messages)."""
    try:
        check(f.spec(name), text)
    except FieldError as refused:
        return str(refused)
    return ""


def write_text(path: Path | str, text: str) -> None:
    """Exactly these characters: no newline translation, so CSV row ends stay \r\n."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def read_survey_file(path: Path | str) -> Survey:
    where = Path(path)
    try:
        with open(where, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise SurveyFileError(f"cannot read {where}: {error}") from error
    if where.suffix.lower() == ".csv":
        return read_survey_csv(text, name=where.name)
    return read_survey_json(text, name=where.name)


# -- many surveys, one row each ------------------------------------------------------------------

PATCH_FIELDS = (
    "job.reference",
    "job.postcode",
    "supply.mpan",
    "supply.mprn",
    "property.type",
    "property.floors",
    "property.dwelling_floor",
    "property.dwellings",
    "property.construction",
    "property.insulation",
    "property.alt_han_present",
    "property.alt_han_reference",
    "pos.esme.location",
    "pos.esme.height_m",
    "pos.gsme.location",
    "pos.gsme.height_m",
    "pos.hub.location",
    "pos.ihd.offer",
    "radio.hub_variant",
    "radio.esme_868",
    "radio.gsme_868",
    "radio.ihd_868",
    "wan.region",
    "wan.technology",
    "wan.signal_dbm",
    "wan.signal_measure",
    "wan.aerial",
    "wan.install_and_leave",
)
PATCH_LINKS = tuple(f.pair_key(a, b) for a, b in f.PAIRS)


def patch_columns() -> list[str]:
    columns = [
        "survey_id",
        "status",
        "engineer",
        "created",
        "completed",
        "outcome",
        "outcome_title",
        "abort_reason",
        "ihd_status",
        "ihd_status_text",
        "dual_band_devices",
        "causes",
    ]
    columns += [name.replace(".", "_") for name in PATCH_FIELDS]
    for key in PATCH_LINKS:
        k = key.replace("-", "_")
        columns += [
            f"{k}_outcome",
            f"{k}_median_rssi_dbm",
            f"{k}_answered_pct",
            f"{k}_samples",
        ]
    return columns


def patch_csv(surveys: Iterable[Survey], rules: RuleSet) -> str:
    """One row per survey, so a programme can count difficult properties by type and cause.

    A completed survey reports its frozen recommendation; a draft its recommendation so far.
    Addresses are left out: the postcode and job reference locate a property well enough.
    """
    out = io.StringIO()
    writer = csv.DictWriter(out, patch_columns())
    writer.writeheader()
    for survey in surveys:
        found = survey.recommendation or evaluate(rules, survey)
        causes = sorted({r.rule for r in found.reasons if r.outcome == found.outcome})
        row: dict[str, Any] = {
            "survey_id": survey.id,
            "status": survey.status,
            "engineer": _cell(survey.engineer),
            "created": time_text(survey.created),
            "completed": time_text(survey.completed) or "",
            "outcome": found.outcome,
            "outcome_title": found.title,
            "abort_reason": found.abort_reason,
            "ihd_status": found.ihd_status,
            "ihd_status_text": found.ihd_status_text,
            "dual_band_devices": ";".join(found.dual_band_devices),
            "causes": ";".join(causes),
        }
        link_outcomes = dict(found.links)
        for name in PATCH_FIELDS:
            row[name.replace(".", "_")] = _cell(survey.value(name) or "")
        summaries = summarise(survey)
        for key in PATCH_LINKS:
            s, k = summaries[key], key.replace("-", "_")
            row[f"{k}_outcome"] = link_outcomes.get(key, "")
            row[f"{k}_median_rssi_dbm"] = (
                "" if s.median_rssi_dbm is None else str(s.median_rssi_dbm)
            )
            row[f"{k}_answered_pct"] = "" if s.answered_pct is None else str(s.answered_pct)
            row[f"{k}_samples"] = s.samples
        writer.writerow(row)
    return out.getvalue()


__all__ = [
    "FORMAT",
    "SurveyFileError",
    "patch_csv",
    "read_survey_csv",
    "read_survey_file",
    "read_survey_json",
    "survey_csv",
    "survey_json",
    "write_text",
]
