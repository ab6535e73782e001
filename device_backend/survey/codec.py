"""Surveys to and from plain dicts (JSON-ready): times as ISO 8601 UTC, photographs as base64."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from device_backend.survey.model import FieldEntry, Photo, Reason, Recommendation, Sample, Survey

FORMAT = "gb-smart-ihd survey"
FORMAT_VERSION = 1


def time_text(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text)  # 3.11 reads a trailing Z
    if moment.tzinfo is None:
        raise ValueError(f"time {text!r} has no time zone; surveys store UTC")
    return moment.astimezone(UTC)


def _required_time(text: str | None, what: str) -> datetime:
    moment = parse_time(text)
    if moment is None:
        raise ValueError(f"{what} is missing")
    return moment


def sample_to_dict(sample: Sample) -> dict[str, Any]:
    return {
        "time": time_text(sample.time),
        "peer": sample.peer,
        "position": sample.position,
        "answered": sample.answered,
        "rssi_dbm": sample.rssi_dbm,
        "lqi": sample.lqi,
        "source": sample.source,
        "method": sample.method,
    }


def sample_from_dict(data: dict[str, Any]) -> Sample:
    return Sample(
        time=_required_time(data.get("time"), "sample time"),
        peer=str(data["peer"]),
        position=str(data["position"]),
        answered=bool(data["answered"]),
        rssi_dbm=None if data.get("rssi_dbm") is None else int(data["rssi_dbm"]),
        lqi=None if data.get("lqi") is None else int(data["lqi"]),
        source=str(data.get("source", "")),
        method=_method(data.get("method")),
    )


def _method(value: Any) -> str:
    """How a sample was taken; files from before sleepy links were listened to say nothing."""
    if value in (None, ""):
        return "probe"
    if value not in ("probe", "listen"):
        raise ValueError(f"unknown sample method {value!r} (probe or listen)")
    return str(value)


def recommendation_to_dict(found: Recommendation) -> dict[str, Any]:
    return {
        "outcome": found.outcome,
        "title": found.title,
        "rules_source": found.rules_source,
        "made": time_text(found.made),
        "links": dict(found.links),
        "ihd_status": found.ihd_status,
        "abort_reason": found.abort_reason,
        "dual_band_devices": list(found.dual_band_devices),
        "reasons": [
            {"rule": r.rule, "outcome": r.outcome, "text": r.text, "evidence": list(r.evidence)}
            for r in found.reasons
        ],
    }


def recommendation_from_dict(data: dict[str, Any]) -> Recommendation:
    return Recommendation(
        outcome=str(data["outcome"]),
        title=str(data["title"]),
        rules_source=str(data.get("rules_source", "")),
        made=parse_time(data.get("made")),
        links=tuple((str(k), str(v)) for k, v in dict(data.get("links") or {}).items()),
        ihd_status=str(data.get("ihd_status") or ""),
        abort_reason=str(data.get("abort_reason") or ""),
        dual_band_devices=tuple(str(d) for d in data.get("dual_band_devices") or ()),
        reasons=tuple(
            Reason(
                rule=str(r["rule"]),
                outcome=str(r["outcome"]),
                text=str(r["text"]),
                evidence=tuple(str(e) for e in r.get("evidence", ())),
            )
            for r in data.get("reasons", ())
        ),
    )


def photo_to_dict(photo: Photo, *, with_data: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": photo.id,
        "filename": photo.filename,
        "media_type": photo.media_type,
        "sha256": photo.sha256,
        "caption": photo.caption,
        "added": time_text(photo.added),
    }
    if with_data:
        out["data_base64"] = base64.b64encode(photo.data).decode("ascii")
    return out


def photo_from_dict(data: dict[str, Any]) -> Photo:
    return Photo(
        id=int(data["id"]),
        filename=str(data["filename"]),
        media_type=str(data["media_type"]),
        data=base64.b64decode(data["data_base64"], validate=True),
        sha256=str(data["sha256"]),
        caption=str(data.get("caption", "")),
        added=parse_time(data.get("added")),
    )


def survey_to_dict(survey: Survey, *, photo_data: bool = True) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "id": survey.id,
        "engineer": survey.engineer,
        "status": survey.status,
        "created": time_text(survey.created),
        "updated": time_text(survey.updated),
        "completed": time_text(survey.completed),
        "copied_from": survey.copied_from,
        "fields": {
            name: {
                "text": e.text,
                "value": e.value,
                "error": e.error,
                "changed": time_text(e.changed),
            }
            for name, e in sorted(survey.entries.items())
        },
        "samples": [sample_to_dict(s) for s in survey.samples],
        "photos": [photo_to_dict(p, with_data=photo_data) for p in survey.photos],
        "recommendation": (
            recommendation_to_dict(survey.recommendation) if survey.recommendation else None
        ),
    }


def survey_from_dict(data: dict[str, Any]) -> Survey:
    if data.get("format") != FORMAT:
        raise ValueError(f"this is not a survey file (its 'format' is not {FORMAT!r})")
    if int(data.get("format_version", 0)) > FORMAT_VERSION:
        raise ValueError("this survey was written by a newer version; update the toolkit")
    entries = {
        str(name): FieldEntry(
            name=str(name),
            text=str(e.get("text", "")),
            value=e.get("value"),
            error=str(e.get("error", "")),
            changed=parse_time(e.get("changed")),
        )
        for name, e in data.get("fields", {}).items()
    }
    status = data.get("status", "draft")
    if status not in ("draft", "complete"):
        raise ValueError(f"unknown survey status {status!r}")
    return Survey(
        id=str(data["id"]),
        engineer=str(data.get("engineer", "")),
        status=status,
        created=_required_time(data.get("created"), "created"),
        updated=_required_time(data.get("updated"), "updated"),
        completed=parse_time(data.get("completed")),
        copied_from=data.get("copied_from"),
        entries=MappingProxyType(entries),
        samples=tuple(sample_from_dict(s) for s in data.get("samples", ())),
        photos=tuple(photo_from_dict(p) for p in data.get("photos", ())),
        recommendation=(
            recommendation_from_dict(data["recommendation"]) if data.get("recommendation") else None
        ),
    )
