"""The job report as a PDF, laid out by QTextDocument and written by Qt's own QPdfWriter."""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSize, Qt, QUrl
from PySide6.QtGui import QFont, QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from device_backend.api import LONDON
from device_backend.survey.api import (
    Recommendation,
    RuleSet,
    Survey,
    evaluate,
    local_time,
    summarise,
)
from device_backend.survey.api import fields as f
from installer_tool.survey_widgets.chart import chart_image, thresholds
from installer_tool.survey_widgets.result_panel import outcome_summary_html

PHOTO_WIDTH_PX = 320
LAYOUT_DPI = 96
DASH = "\u2014"


def local(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(LONDON).strftime("%d %b %Y %H:%M")


def _table(header: list[str], rows: list[list[str]], first_width: str = "") -> str:
    widths = [
        f" width='{first_width}'" if first_width and i == 0 else "" for i in range(len(header))
    ]
    head = "".join(
        f"<th align='left'{w}>{escape(h)}</th>" for h, w in zip(header, widths, strict=True)
    )
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f"<table border='1' cellspacing='0' cellpadding='3' width='100%'>"
        f"<tr style='background:#eeeeee'>{head}</tr>{body}</table>"
    )


def _pairs(survey: Survey, names: list[str]) -> str:
    rows = [[f.spec(n).label, survey.value(n) or DASH] for n in names]
    return _table(["", ""], rows).replace(
        "<tr style='background:#eeeeee'><th align='left'></th><th align='left'></th></tr>", ""
    )


def recommendation_for(survey: Survey, rules: RuleSet) -> Recommendation:
    return survey.recommendation or evaluate(rules, survey)


def report_document(survey: Survey, rules: RuleSet, generated: datetime) -> QTextDocument:
    """The whole report as a QTextDocument: text, tables, the chart and the photographs."""
    doc = QTextDocument()
    font = QFont()
    font.setPointSizeF(9)
    doc.setDefaultFont(font)
    found = recommendation_for(survey, rules)
    parts = [
        "<h1>Difficult-property survey \u2013 job report</h1>",
        f"<p><b>{escape(survey.title)}</b><br>"
        f"Job reference: {escape(survey.value('job.reference') or DASH)} \u00b7 "
        f"Survey {escape(survey.id)}<br>"
        f"Engineer: {escape(survey.engineer)} \u00b7 Started {local(survey.created)} \u00b7 "
        f"Last change {local(survey.updated)} \u00b7 "
        + (
            f"Completed {local(survey.completed)}"
            if survey.completed
            else "<b>DRAFT \u2013 not completed</b>"
        )
        + f"<br>Report made {local(generated)} (UK time)</p>",
        "<h2>Recommendation</h2>",
        f"<p style='font-size:13pt'><b>{escape(found.title)}</b></p>",
        outcome_summary_html(found),
        "<ol>",
    ]
    for reason in found.reasons:
        evidence = "".join(f"<li>{escape(e)}</li>" for e in reason.evidence)
        parts.append(
            f"<li>{escape(reason.text)} <i>(rule {escape(reason.rule)})</i><ul>{evidence}</ul></li>"
        )
    parts.append(f"</ol><p>Rules: {escape(found.rules_source)}</p>")
    parts += [
        "<h2>Supply</h2>",
        _pairs(survey, ["supply.mpan", "supply.gas_present", "supply.mprn"]),
    ]
    parts += ["<h2>Property</h2>", _pairs(survey, [s.name for s in f.in_section("property")])]
    rows = []
    for role, label in f.ROLES.items():
        rows.append(
            [label]
            + [
                survey.value(f"pos.{role}.{k}") or DASH
                for k in ("location", "floor", "description", "name")
            ]
        )
    parts += [
        "<h2>Meter and hub positions</h2>",
        _table(["", "Location", "Floor", "Where exactly", "Walk-test name"], rows),
        (
            f"<p>Space for the hub above the meter: "
            f"{escape(survey.value('pos.hub.space_above_esme') or DASH)}</p>"
        ),
        _pairs(survey, ["pos.esme.height_m", "pos.gsme.height_m", "pos.ihd.offer"]),
        "<h2>Radio bands</h2>",
        _pairs(survey, [s.name for s in f.in_section("radio")]),
    ]
    rows = []
    for a, b in f.PAIRS:
        key = f.pair_key(a, b)
        rows.append(
            [f.pair_label(a, b)]
            + [
                survey.value(f"sep.{key}.{k}") or DASH
                for k in ("distance_m", "walls", "floors", "materials")
            ]
        )
    parts += [
        "<h2>Distances, walls and floors</h2>",
        _table(["", "Distance (m)", "Walls", "Floors", "Materials"], rows),
    ]
    parts += ["<h2>WAN</h2>", _pairs(survey, [s.name for s in f.in_section("wan")])]
    parts += _measurements(doc, survey, rules)
    parts += _photographs(doc, survey)
    notes = survey.value("outcome.notes")
    if notes:
        parts += ["<h2>Notes</h2>", f"<p>{escape(notes).replace(chr(10), '<br>')}</p>"]
    parts.append("<p><i>This report holds no network keys, link keys or install codes.</i></p>")
    doc.setHtml("".join(parts))
    return doc


def _measurements(doc: QTextDocument, survey: Survey, rules: RuleSet) -> list[str]:
    summaries = [s for s in summarise(survey).values() if s.samples]
    rows = [
        [
            s.label,
            str(s.samples),
            f"{s.answered} ({s.answered_pct}%)",
            "" if s.median_rssi_dbm is None else str(s.median_rssi_dbm),
            "" if s.worst_rssi_dbm is None else str(s.worst_rssi_dbm),
            "" if s.median_lqi is None else str(s.median_lqi),
            "" if s.worst_lqi is None else str(s.worst_lqi),
            f"{local_time(s.first)}\u2013{local_time(s.last)}" if s.first and s.last else "",
        ]
        for s in summaries
    ]
    out = ["<h2>HAN measurements (walk test)</h2>"]
    if not summaries:
        return [*out, "<p>No walk-test probes were taken.</p>"]
    sources = sorted({s.source for s in survey.samples if s.source})
    out.append(f"<p>Measured on: {escape(', '.join(sources))}. Times are UK local time.</p>")
    out.append(
        _table(
            [
                "Link",
                "Probes",
                "Replies",
                "Median RSSI (dBm)",
                "Worst RSSI",
                "Median LQI",
                "Worst LQI",
                "When",
            ],
            rows,
            first_width="30%",
        )
    )
    image = chart_image(survey, thresholds(rules), QSize(1400, 600))
    doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl("survey://chart"), image)
    out.append("<p><img src='survey://chart' width='660'></p>")
    sample_rows = []
    for sample in survey.samples:
        label = next(
            (s.label for s in summaries if {s.peer, s.position} == {sample.peer, sample.position}),
            f"{sample.peer} \u2194 {sample.position}",
        )
        sample_rows.append(
            [
                local_time(sample.time),
                label,
                "yes" if sample.answered else "NO",
                "" if sample.rssi_dbm is None else str(sample.rssi_dbm),
                "" if sample.lqi is None else str(sample.lqi),
            ]
        )
    out += [
        "<h3>Every probe</h3>",
        _table(["Time", "Link", "Answered", "RSSI (dBm)", "LQI"], sample_rows),
    ]
    return out


def _photographs(doc: QTextDocument, survey: Survey) -> list[str]:
    if not survey.photos:
        return ["<h2>Photographs</h2><p>None attached.</p>"]
    out = ["<h2>Photographs</h2>"]
    for photo in survey.photos:
        image = QImage.fromData(photo.data)
        caption = escape(photo.caption or photo.filename)
        if image.isNull():
            out.append(f"<p>{caption}: (this image could not be shown)</p>")
            continue
        if image.width() > 2 * PHOTO_WIDTH_PX:  # keeps the PDF small; enough detail to read
            image = image.scaledToWidth(
                2 * PHOTO_WIDTH_PX, Qt.TransformationMode.SmoothTransformation
            )
        url = f"survey://photo/{photo.id}"
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), image)
        out.append(
            f"<p><img src='{url}' width='{PHOTO_WIDTH_PX}'><br>{caption} "
            f"<small>({escape(photo.filename)}, added {local(photo.added)})</small></p>"
        )
    return out


def write_pdf(path: Path | str, survey: Survey, rules: RuleSet, generated: datetime) -> int:
    """Write the report; returns its page count."""
    doc = report_document(survey, rules, generated)
    writer = QPdfWriter(str(path))
    writer.setTitle(f"Survey report {survey.title}")
    writer.setCreator("gb-smart-ihd installer toolkit")
    writer.setResolution(150)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    # Lay out as on a 96 dpi page of the same size; print_ scales it to the writer, so point
    # sizes come out as points on paper.
    doc.setPageSize(writer.pageLayout().paintRectPixels(LAYOUT_DPI).size().toSizeF())
    doc.print_(writer)
    return doc.pageCount()
