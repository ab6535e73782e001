"""The recommendation rules: loaded from TOML, shown in words, applied with the evidence cited."""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from device_backend.resources import asset_path
from device_backend.survey import fields as f
from device_backend.survey.links import LinkSummary, summarise
from device_backend.survey.model import Reason, Recommendation, Survey

DEFAULT_RULES = asset_path("device_backend.survey", "survey_rules.toml")  # package data
# Least to most serious; the most serious outcome any rule finds is the recommendation.
OUTCOMES = (
    "standard",
    "ihd_failed",  # the meters are fitted; only the display could not join
    "dual_band",
    "alt_han",
    "abort_han",
    "alt_han_existing",  # Alt HAN equipment already there: the meters join it instead
    "try_aerial",  # weak WAN: an external aerial comes before any WAN abort
    "abort_wan",
)
INCOMPLETE = "incomplete"
# The words a meter operator records for these aborts (meterintelligenceaid.com, "Abort
# Reasons - SMETS"); exported as they are so a supplier's systems can match them.
ABORT_REASONS: Mapping[str, str] = {
    "abort_han": "Unable to Establish HAN - Meter Not Installed",
    "abort_wan": "Unable to Establish WAN - Meter Not Installed",
}
# Each link's own outcome, in words for the result panel and the report.
LINK_OUTCOME_WORDS: Mapping[str, str] = {
    "standard": "fine at 2.4 GHz",
    "ihd_failed": "IHD failed",
    "dual_band": "needs 868 MHz at both ends",
    "alt_han": "needs Alt HAN",
    "abort_han": "could not be established",
    INCOMPLETE: "not measured enough yet",
}
NOTHING_FITTED = frozenset({"abort_han", "abort_wan", "try_aerial", INCOMPLETE})
IHD_LINK = "hub-ihd"
DEVICE_NAMES = f.DEVICE_NAMES
WORD_LINK_FACTS = frozenset({"ends_868"})
LINK_FACTS: Mapping[str, tuple[str, str]] = {
    "samples": ("probes sent", ""),
    "answered_pct": ("probes answered", "%"),
    "median_rssi_dbm": ("median RSSI", " dBm"),
    "worst_rssi_dbm": ("worst RSSI", " dBm"),
    "median_lqi": ("median LQI", ""),
    "worst_lqi": ("worst LQI", ""),
    "distance_m": ("distance", " m"),
    "walls": ("walls", ""),
    "floors": ("floors", ""),
    "ends_868": ("868 MHz at both ends", ""),
}
_SIGNAL_FACTS = frozenset({"median_rssi_dbm", "worst_rssi_dbm", "median_lqi", "worst_lqi"})
NUMERIC_OPS: Mapping[str, str] = {
    "below": "is below",
    "at_most": "is at most",
    "above": "is above",
    "at_least": "is at least",
}
WORD_OPS: Mapping[str, str] = {"equals": "is", "one_of": "is one of"}
Scope = Literal["link", "survey"]


class RulesError(ValueError):
    """A rules file that cannot be used; the message names the file, the rule and the fix."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Condition:
    fact: str
    op: str
    operand: Decimal | str | tuple[str, ...]

    def holds(self, value: Decimal | str | None, *, no_signal: bool = False) -> bool | None:
        """True or False; None when the fact is missing and so cannot be judged."""
        if value is None:
            if no_signal and self.fact in _SIGNAL_FACTS:
                return self.op in ("below", "at_most")  # silence is weaker than any threshold
            return None
        match self.op:
            case "below":
                return Decimal(value) < Decimal(str(self.operand))
            case "at_most":
                return Decimal(value) <= Decimal(str(self.operand))
            case "above":
                return Decimal(value) > Decimal(str(self.operand))
            case "at_least":
                return Decimal(value) >= Decimal(str(self.operand))
            case "equals":
                return str(value) == self.operand
            case "one_of":
                return isinstance(self.operand, tuple) and str(value) in self.operand
        raise AssertionError(self.op)


@dataclass(frozen=True, kw_only=True, slots=True)
class Rule:
    id: str
    outcome: str
    scope: Scope
    when: tuple[Condition, ...]
    reason: str
    links: tuple[str, ...] | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class WalkTestSettings:
    samples: int = 12
    min_samples: int = 10  # fewer than this on a link and the rules will not judge it
    interval_s: float = 10.0
    probe_timeout_s: float = 3.0
    required_links: tuple[str, ...] = ("hub-esme", "hub-gsme", "hub-ihd")
    sleepy_links: tuple[str, ...] = ("hub-gsme",)  # listened to, never probed
    sleepy_listen_s: float = 150.0  # longest wait for one wake-up before it counts as lost


@dataclass(frozen=True, kw_only=True, slots=True)
class RuleSet:
    source: str  # file name and digest, quoted in every recommendation
    path: Path
    titles: Mapping[str, str]
    rules: tuple[Rule, ...]
    walk_test: WalkTestSettings

    def required_links(self, survey: Survey) -> tuple[str, ...]:
        declined = survey.value("pos.ihd.offer") == "customer declined"
        return tuple(
            k
            for k in self.walk_test.required_links
            if (survey.gas or not set(k.split("-")) & f.GAS_ROLES)
            and not (declined and k == IHD_LINK)
        )


# -- loading -----------------------------------------------------------------------------------


def load_rules(path: Path | str | None = None) -> RuleSet:
    where = Path(path) if path is not None else DEFAULT_RULES
    try:
        raw = where.read_bytes()
    except OSError as error:
        raise RulesError(
            f"cannot read the rules file {where}: {error.strerror or error}"
        ) from error
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise RulesError(f"{where.name}: not valid TOML: {error}") from error
    titles = dict(data.get("outcomes", {}))
    unknown = set(titles) - set(OUTCOMES)
    if unknown:
        raise RulesError(
            f"{where.name} [outcomes]: unknown outcome {min(unknown)!r}; use {', '.join(OUTCOMES)}"
        )
    for outcome in OUTCOMES:
        titles.setdefault(outcome, outcome.replace("_", " ").capitalize())
    rules = tuple(_rule(where.name, i, r) for i, r in enumerate(data.get("rules", []), start=1))
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise RulesError(f"{where.name}: two rules share an id; each needs its own")
    digest = hashlib.sha256(raw).hexdigest()[:12]
    return RuleSet(
        source=f"{where.name} (sha256 {digest})",
        path=where,
        titles=titles,
        rules=rules,
        walk_test=_walk_test(where.name, data.get("walk_test", {})),
    )


def _walk_test(name: str, table: Mapping[str, Any]) -> WalkTestSettings:
    defaults = WalkTestSettings()
    samples = table.get("samples", defaults.samples)
    least = table.get("min_samples", min(defaults.min_samples, samples))
    interval = table.get("interval_s", defaults.interval_s)
    timeout = table.get("probe_timeout_s", defaults.probe_timeout_s)
    listen = table.get("sleepy_listen_s", defaults.sleepy_listen_s)
    required = table.get("required_links", list(defaults.required_links))
    sleepy = table.get("sleepy_links", list(defaults.sleepy_links))
    if not isinstance(samples, int) or not 1 <= samples <= 100:
        raise RulesError(f"{name} [walk_test] samples: a whole number from 1 to 100")
    if not isinstance(least, int) or not 1 <= least <= samples:
        raise RulesError(f"{name} [walk_test] min_samples: a whole number from 1 to samples")
    for label, value in (
        ("interval_s", interval),
        ("probe_timeout_s", timeout),
        ("sleepy_listen_s", listen),
    ):
        if not isinstance(value, int | float) or not 0 <= value <= 3600:
            raise RulesError(f"{name} [walk_test] {label}: seconds from 0 to 3600")
    known = {f.pair_key(a, b) for a, b in f.PAIRS}
    for label, links in (("required_links", required), ("sleepy_links", sleepy)):
        if not isinstance(links, list) or any(k not in known for k in links):
            raise RulesError(f"{name} [walk_test] {label}: a list drawn from {sorted(known)}")
    return WalkTestSettings(
        samples=samples,
        min_samples=least,
        interval_s=float(interval),
        probe_timeout_s=float(timeout),
        required_links=tuple(required),
        sleepy_links=tuple(sleepy),
        sleepy_listen_s=float(listen),
    )


def _rule(name: str, index: int, table: Mapping[str, Any]) -> Rule:
    where = f"{name} rule {index}"
    rule_id = table.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise RulesError(f"{where}: needs an id")
    where = f"{name} rule {rule_id!r}"
    outcome = table.get("outcome")
    if outcome not in OUTCOMES:
        raise RulesError(f"{where}: outcome must be one of {', '.join(OUTCOMES)}")
    scope = table.get("scope", "link")
    if scope not in ("link", "survey"):
        raise RulesError(f"{where}: scope must be 'link' or 'survey'")
    reason = table.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise RulesError(f"{where}: needs a reason, in words an engineer would use")
    when = table.get("when")
    if not isinstance(when, list) or not when:
        raise RulesError(f"{where}: needs at least one condition under 'when'")
    links = table.get("links")
    if links is not None and (scope != "link" or not isinstance(links, list)):
        raise RulesError(f"{where}: 'links' is a list, for link rules only")
    return Rule(
        id=rule_id,
        outcome=outcome,
        scope=scope,
        reason=reason.strip(),
        when=tuple(_condition(where, scope, c) for c in when),
        links=tuple(str(k) for k in links) if links is not None else None,
    )


def _condition(where: str, scope: str, table: Mapping[str, Any]) -> Condition:
    fact = table.get("fact")
    ops = [k for k in table if k != "fact"]
    if not isinstance(fact, str) or len(ops) != 1:
        raise RulesError(f"{where}: a condition is {{ fact = NAME, OPERATOR = VALUE }}")
    op, operand = ops[0], table[ops[0]]
    if scope == "link" and fact not in LINK_FACTS:
        raise RulesError(f"{where}: unknown link fact {fact!r}; use {', '.join(LINK_FACTS)}")
    numeric = (fact in LINK_FACTS and fact not in WORD_LINK_FACTS) or (
        f.BY_NAME.get(fact, None) is not None and f.BY_NAME[fact].kind in ("int", "decimal")
    )
    if scope == "survey" and fact not in f.BY_NAME:
        raise RulesError(f"{where}: unknown survey field {fact!r}")
    if op in NUMERIC_OPS:
        if not numeric or isinstance(operand, bool) or not isinstance(operand, int | float):
            raise RulesError(f"{where}: {op} compares a number field with a number")
        return Condition(fact=fact, op=op, operand=Decimal(str(operand)))
    if op == "equals" and isinstance(operand, str):
        return Condition(fact=fact, op=op, operand=operand)
    if op == "one_of" and isinstance(operand, list) and all(isinstance(x, str) for x in operand):
        return Condition(fact=fact, op=op, operand=tuple(operand))
    raise RulesError(
        f"{where}: unknown operator {op!r} (or wrong kind of value); use "
        f"{', '.join([*NUMERIC_OPS, *WORD_OPS])}"
    )


# -- showing the rules -------------------------------------------------------------------------


def _operand_text(condition: Condition, unit: str = "") -> str:
    if isinstance(condition.operand, tuple):
        return ", ".join(condition.operand)
    return f"{condition.operand}{unit}"


def _fact_label(scope: str, fact: str) -> tuple[str, str]:
    if scope == "link":
        return LINK_FACTS[fact]
    spec = f.spec(fact)
    return spec.label, f" {spec.unit}" if spec.unit else ""


def _link_label(key: str) -> str:
    a, _, b = key.partition("-")
    return f.pair_label(a, b) if a in f.ROLES and b in f.ROLES else key


def describe(rule: Rule, rules: RuleSet) -> str:
    """The rule in one sentence, as the engineer sees it in the Rules panel."""
    parts = []
    for c in rule.when:
        label, unit = _fact_label(rule.scope, c.fact)
        words = NUMERIC_OPS.get(c.op) or WORD_OPS[c.op]
        parts.append(f"{label} {words} {_operand_text(c, unit)}")
    subject = ""
    if rule.scope == "link":
        subject = "any " + (
            "required link"
            if rule.links is None
            else "of " + " or ".join(_link_label(k) for k in rule.links)
        )
        subject += "'s "
    return (
        f"[{rule.id}] If {subject}" + " and ".join(parts) + f" \u2192 {rules.titles[rule.outcome]}"
    )


# -- applying them -----------------------------------------------------------------------------


def _survey_fact(survey: Survey, fact: str) -> Decimal | str | None:
    spec = f.spec(fact)
    value = survey.value(fact)
    if value is None:
        return None
    return Decimal(value) if spec.kind in ("int", "decimal") else value


def _evidence(condition: Condition, label: str, unit: str, value: Decimal | str | None) -> str:
    shown = "no answer" if value is None else f"{_plain(value)}{unit}"
    words = NUMERIC_OPS.get(condition.op) or WORD_OPS[condition.op]
    return f"{label} {shown} {words} {_operand_text(condition, unit)}"


def _plain(value: Decimal | str) -> str:
    return format(value.normalize() + 0, "f") if isinstance(value, Decimal) else value


def evaluate(rules: RuleSet, survey: Survey, *, now: datetime | None = None) -> Recommendation:
    """The most serious outcome any rule finds, each firing rule cited with its measurements.

    Each required link gets its own outcome too, so a display that cannot join is recorded as
    a failed IHD while the meters are fitted, as the industry records it.
    """
    summaries = summarise(survey)
    required = rules.required_links(survey)
    least = rules.walk_test.min_samples
    missing = [_measure_more(summaries[k], least) for k in required if summaries[k].samples < least]
    judged = {k for k, s in summaries.items() if s.samples >= least}
    fired: list[tuple[Reason, str]] = []  # with the link it concerns ("" for survey rules)
    wanted: dict[str, list[str]] = {}  # a field the rules need -> the rules needing it
    for rule in rules.rules:
        if rule.scope == "survey":
            result = _apply_survey_rule(rule, survey)
            if isinstance(result, str):
                wanted.setdefault(result, []).append(rule.id)
            elif result is not None:
                fired.append((result, ""))
            continue
        for key in rule.links if rule.links is not None else required:
            if key not in judged:
                continue  # too few probes to judge: `missing` asks for more
            reason = _apply_link_rule(rule, summaries[key])
            if reason is not None:
                fired.append((reason, key))
    for name, rule_ids in wanted.items():
        missing.append(
            Reason(
                rule=", ".join(rule_ids),
                outcome=INCOMPLETE,
                text=f"Enter {f.spec(name).label}: the rules need it.",
                evidence=(),
            )
        )
    rank = {name: i for i, name in enumerate(OUTCOMES)}
    worst: dict[str, int] = {}
    for reason, key in fired:
        worst[key] = max(worst.get(key, 0), rank[reason.outcome])
    # A link already needing Alt HAN need not also be called marginal: keep its worst findings.
    kept_pairs = [(r, key) for r, key in fired if not key or rank[r.outcome] == worst[key]]
    kept_pairs.sort(key=lambda pair: -rank[pair[0].outcome])
    kept = [r for r, _ in kept_pairs]
    links = tuple(
        (k, OUTCOMES[worst[k]] if k in worst else "standard" if k in judged else INCOMPLETE)
        for k in required
    )
    if missing:
        # What is known so far still helps the engineer decide what to measure next.
        return Recommendation(
            outcome=INCOMPLETE,
            title="Not enough information yet",
            reasons=(*missing, *kept),
            rules_source=rules.source,
            made=now,
            links=links,
        )
    if not kept:
        evidence = tuple(summaries[k].describe() for k in required)
        kept.append(
            Reason(
                rule="none-fired",
                outcome="standard",
                text="No rule found a problem with the links measured.",
                evidence=evidence,
            )
        )
    outcome = kept[0].outcome
    devices = _dual_band_devices(kept_pairs) if outcome == "dual_band" else ()
    ihd_status = _ihd_status(survey, outcome, dict(links))
    return Recommendation(
        outcome=outcome,
        title=_title(rules, outcome, ihd_status, devices),
        reasons=tuple(kept),
        rules_source=rules.source,
        made=now,
        links=links,
        ihd_status=ihd_status,
        abort_reason=ABORT_REASONS.get(outcome, ""),
        dual_band_devices=devices,
    )


def _measure_more(summary: LinkSummary, least: int) -> Reason:
    if summary.samples == 0:
        text = f"Measure {summary.label}."
    else:
        # One probe in a handful decides nothing: with fewer, a single lost frame could move
        # the link across a threshold (see [walk_test] min_samples in the rules file).
        text = (
            f"Measure {summary.label} again: {summary.samples} probes so far, "
            f"the rules need at least {least}."
        )
    return Reason(rule="walk-test", outcome=INCOMPLETE, text=text, evidence=(summary.describe(),))


def _dual_band_devices(kept: list[tuple[Reason, str]]) -> tuple[str, ...]:
    """Every device at either end of a link that needs 868 MHz, in the survey's role order."""
    ends: set[str] = set()
    for reason, key in kept:
        if reason.outcome == "dual_band" and key:
            ends.update(key.split("-"))
    return tuple(role for role in DEVICE_NAMES if role in ends)


def _ihd_status(survey: Survey, outcome: str, links: Mapping[str, str]) -> str:
    if outcome in NOTHING_FITTED:
        return ""  # no installation, so no IHD status to record
    offer = survey.value("pos.ihd.offer")
    if offer == "customer declined":
        return "D"
    if links.get(IHD_LINK) == "ihd_failed":
        return "F"
    return "E" if offer == "existing IHD kept" else "I"


def _title(rules: RuleSet, outcome: str, ihd_status: str, devices: tuple[str, ...]) -> str:
    title = rules.titles[outcome]
    if devices:
        names = [DEVICE_NAMES.get(d, d) for d in devices]
        joined = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
        title += f": the {joined} must {'both' if len(names) == 2 else 'all'} be dual band"
    if ihd_status == "F" and outcome != "ihd_failed":
        title += " \u2013 IHD failed (install status F)"
    return title


def _apply_survey_rule(rule: Rule, survey: Survey) -> Reason | str | None:
    """The reason if the rule fires, None if not, or the name of a field it still needs."""
    evidence = []
    for condition in rule.when:
        value = _survey_fact(survey, condition.fact)
        holds = condition.holds(value)
        if holds is None:
            return condition.fact  # not entered yet, so this rule cannot be judged
        if not holds:
            return None
        label, unit = _fact_label("survey", condition.fact)
        evidence.append(_evidence(condition, label, unit, value))
    return Reason(rule=rule.id, outcome=rule.outcome, text=rule.reason, evidence=tuple(evidence))


def _apply_link_rule(rule: Rule, summary: LinkSummary) -> Reason | None:
    evidence = []
    silent = summary.answered == 0
    for condition in rule.when:
        value = (
            summary.answered_pct
            if condition.fact == "answered_pct"
            else summary.fact(condition.fact)
        )
        if not condition.holds(value, no_signal=silent):
            return None  # false, or a fact (such as a distance) the engineer did not enter
        label, unit = LINK_FACTS[condition.fact]
        if condition.fact == "ends_868":
            evidence.append(f"{summary.label}: {summary.band_note}")  # each end, by name
            continue
        evidence.append(_evidence(condition, f"{summary.label}: {label}", unit, value))
    evidence.append(summary.describe())
    return Reason(
        rule=rule.id,
        outcome=rule.outcome,
        text=rule.reason.replace("{link}", summary.label),
        evidence=tuple(evidence),
    )
