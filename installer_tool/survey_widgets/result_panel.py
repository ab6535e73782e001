"""The last step: the recommendation with its reasons, the rules behind it, completion and reports."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from device_backend.survey.api import (
    LINK_OUTCOME_WORDS,
    Recommendation,
    RuleSet,
    Survey,
    describe,
)
from device_backend.survey.api import fields as f

ELLIPSIS = "\u2026"  # stands for the link's name in a rule's reason
OUTCOME_STYLE = {
    "standard": "background:#e3f1e5; color:#0b3d14;",
    "dual_band": "background:#fff4d6; color:#4a3500;",
    "alt_han": "background:#ffe3cc; color:#4a1e00;",
    "abort_han": "background:#f9d6d9; color:#5c0010;",
    "abort_wan": "background:#f9d6d9; color:#5c0010;",
    "incomplete": "background:#e8e8e8; color:#1b1b1b;",
}


class ResultPanel(QWidget):
    """Shows; the page owns the actions its buttons start."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("", self)
        self.title.setObjectName("result.title")
        self.title.setWordWrap(True)
        self.state = QLabel("", self)
        self.state.setObjectName("result.state")
        self.state.setWordWrap(True)
        self.reasons = QTextBrowser(self)
        self.reasons.setObjectName("result.reasons")
        self.problems = QLabel("", self)
        self.problems.setObjectName("result.problems")
        self.problems.setWordWrap(True)
        self.message = QLabel("", self)
        self.message.setObjectName("result.message")
        self.message.setWordWrap(True)
        self.rules_text = QTextBrowser(self)
        self.rules_text.setObjectName("result.rules")
        self.complete_button = QPushButton("Complete survey", self)
        self.complete_button.setObjectName("result.complete")
        self.reopen_button = QPushButton("Reopen to change", self)
        self.reopen_button.setObjectName("result.reopen")
        self.pdf_button = QPushButton("Save PDF report\u2026", self)
        self.pdf_button.setObjectName("report.pdf")
        self.json_button = QPushButton("Save JSON\u2026", self)
        self.json_button.setObjectName("report.json")
        self.csv_button = QPushButton("Save CSV\u2026", self)
        self.csv_button.setObjectName("report.csv")
        self.rules_file_button = QPushButton("Use another rules file\u2026", self)
        self.rules_file_button.setObjectName("rules.choose")
        self.rules_reload_button = QPushButton("Reload rules", self)
        self.rules_reload_button.setObjectName("rules.reload")

        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addWidget(self.state)
        left.addWidget(QLabel("Why, with the measurements behind it:", self))
        left.addWidget(self.reasons, 1)
        left.addWidget(self.problems)
        actions = QHBoxLayout()
        actions.addWidget(self.complete_button)
        actions.addWidget(self.reopen_button)
        actions.addStretch(1)
        left.addLayout(actions)
        left.addWidget(self.message)
        report = QGroupBox("Job report", self)
        grid = QGridLayout(report)
        grid.addWidget(self.pdf_button, 0, 0)
        grid.addWidget(self.json_button, 0, 1)
        grid.addWidget(self.csv_button, 0, 2)
        rules_box = QGroupBox("Rules in use (checked top to bottom; the most serious wins)", self)
        rules_layout = QVBoxLayout(rules_box)
        rules_layout.addWidget(self.rules_text, 1)
        rules_buttons = QHBoxLayout()
        rules_buttons.addWidget(self.rules_file_button)
        rules_buttons.addWidget(self.rules_reload_button)
        rules_buttons.addStretch(1)
        rules_layout.addLayout(rules_buttons)
        right = QVBoxLayout()
        right.addWidget(report)
        right.addWidget(rules_box, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)

    def show_result(
        self,
        survey: Survey,
        found: Recommendation | None,
        rules: RuleSet | None,
        rules_error: str = "",
    ) -> None:
        if found is None:
            self.title.setText(rules_error or "No rules loaded.")
            self.title.setStyleSheet(OUTCOME_STYLE["incomplete"] + "padding:10px;")
            self.state.setText("")
            self.reasons.setHtml("")
        else:
            if survey.recommendation is not None:
                self.state.setText("Recommendation as made when the survey was completed.")
            elif found.outcome == "incomplete":
                self.state.setText("The rules need more before they can recommend anything.")
            else:
                self.state.setText(
                    "Recommendation so far: it follows every entry and probe "
                    "until the survey is completed."
                )
            self.title.setText(found.title)
            self.title.setProperty("outcome", found.outcome)
            self.title.setStyleSheet(
                OUTCOME_STYLE.get(found.outcome, "")
                + "padding:10px; font-size:16pt; font-weight:bold;"
            )
            items = []
            for reason in found.reasons:
                evidence = "".join(f"<li>{escape(e)}</li>" for e in reason.evidence)
                items.append(
                    f"<li><b>{escape(reason.text)}</b> <i>[{escape(reason.rule)}]</i>"
                    f"<ul>{evidence}</ul></li>"
                )
            self.reasons.setHtml(
                outcome_summary_html(found) + f"<ol>{''.join(items)}</ol>"
                f"<p><small>Rules: {escape(found.rules_source)}</small></p>"
            )
        problems = survey.problems() if survey.status == "draft" else []
        if survey.status == "complete":
            self.problems.setText("Completed. Reopen the survey to change anything.")
        elif problems:
            shown = "".join(f"<li>{escape(p)}</li>" for p in problems[:8])
            more = f"<li>\u2026 and {len(problems) - 8} more</li>" if len(problems) > 8 else ""
            self.problems.setText(f"<b>Still to do before completing:</b><ul>{shown}{more}</ul>")
        else:
            self.problems.setText("Everything needed is filled in.")
        self.complete_button.setEnabled(survey.status == "draft" and found is not None)
        self.reopen_button.setEnabled(survey.status == "complete")
        if rules is not None:
            lines = "".join(
                f"<li>{escape(describe(rule, rules))}<br>"
                f"<i>{escape(rule.reason.replace('{link}', ELLIPSIS))}</i></li>"
                for rule in rules.rules
            )
            self.rules_text.setHtml(
                f"<p>{escape(str(rules.path))}<br>{escape(rules.source)}</p>"
                f"<p>Walk test: {rules.walk_test.samples} probes per link, "
                f"{rules.walk_test.interval_s:g} s apart; no link is judged on fewer than "
                f"{rules.walk_test.min_samples}. Sleepy devices "
                f"({', '.join(_link_label(k) for k in rules.walk_test.sleepy_links) or 'none'}) "
                "are listened to, "
                f"up to {rules.walk_test.sleepy_listen_s:g} s for each wake-up.</p>"
                f"<ul>{lines}</ul>"
                "<p>No rule fired \u2192 standard installation.</p>"
            )
        else:
            self.rules_text.setHtml(f"<p>{escape(rules_error)}</p>")


def _link_label(key: str) -> str:
    a, _, b = key.partition("-")
    return f.pair_label(a, b) if a in f.ROLES and b in f.ROLES else key


def outcome_summary_html(found: Recommendation) -> str:
    """Each link's own outcome, the IHD install status and any abort reason, as recorded."""
    rows = "".join(
        f"<li>{escape(_link_label(key))}: {escape(LINK_OUTCOME_WORDS.get(outcome, outcome))}</li>"
        for key, outcome in found.links
    )
    lines = [f"<p><b>Each link:</b></p><ul>{rows}</ul>"] if rows else []
    if found.ihd_status:
        lines.append(
            f"<p><b>IHD install status:</b> {escape(found.ihd_status)} "
            f"({escape(found.ihd_status_text)})</p>"
        )
    if found.abort_reason:
        lines.append(f"<p><b>Abort reason:</b> {escape(found.abort_reason)}</p>")
    return "".join(lines)
