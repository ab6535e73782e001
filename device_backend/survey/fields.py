"""Every field a difficult-property survey records: label, section, kind, range and when required."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Kind = Literal[
    "text", "notes", "postcode", "mpan", "mprn", "int", "decimal", "choice", "position_name"
]

YES_NO = ("yes", "no")
YES_NO_UNKNOWN = ("yes", "no", "unknown")
LOCATIONS = (
    "inside the dwelling",
    "external meter box",
    "meter room",
    "basement or cellar",
    "cupboard",
    "garage or outbuilding",
    "other",
)
PROPERTY_TYPES = (
    "detached house",
    "semi-detached house",
    "terraced house",
    "bungalow",
    "flat or maisonette",
    "house in multiple occupation",
    "commercial or mixed use",
    "other",
)
CONSTRUCTIONS = (
    "brick",
    "stone",
    "concrete",
    "steel frame",
    "timber frame",
    "prefabricated",
    "other",
)
INSULATIONS = (
    "none",
    "cavity fill",
    "foil-backed",
    "solid wall (internal)",
    "solid wall (external)",
    "unknown",
)

# The four places the issue asks for; their walk-test names default to these keys.
ROLES: Mapping[str, str] = {
    "esme": "Electricity meter",
    "gsme": "Gas meter",
    "hub": "Communications hub",
    "ihd": "In-home display spot",
}
GAS_ROLES = frozenset({"gsme"})
DEVICE_NAMES: Mapping[str, str] = {  # the devices themselves, in sentences
    "hub": "communications hub",
    "esme": "electricity meter",
    "gsme": "gas meter",
    "ihd": "in-home display",
}
METER_ROLES = ("esme", "gsme")  # the meters whose heights new-build guidance sets
HUB_VARIANTS = ("single band (2.4 GHz)", "dual band (2.4 GHz and 868 MHz)", "unknown")
IHD_OFFERS = ("new IHD to fit", "customer declined", "existing IHD kept")
WAN_MEASURES = ("RSRP", "RSSI")
# Pairs whose separation the engineer records; the first three are also the required HAN links.
PAIRS: tuple[tuple[str, str], ...] = (
    ("hub", "esme"),
    ("hub", "gsme"),
    ("hub", "ihd"),
    ("esme", "gsme"),
)


def pair_key(a: str, b: str) -> str:
    return f"{a}-{b}"


def pair_label(a: str, b: str) -> str:
    return f"{ROLES.get(a, a)} \u2194 {ROLES.get(b, b)}"


@dataclass(frozen=True, kw_only=True, slots=True)
class FieldSpec:
    name: str
    label: str
    section: str
    kind: Kind
    required: Literal["always", "gas", "flat", "never"] = "always"
    choices: tuple[str, ...] = ()
    low: Decimal | None = None
    high: Decimal | None = None
    max_length: int = 200
    unit: str = ""
    hint: str = ""
    default: str = ""


SECTIONS: Mapping[str, str] = {
    "job": "Job",
    "supply": "Supply numbers",
    "property": "Property",
    "positions": "Meter and hub positions",
    "separations": "Distances, walls and floors",
    "radio": "Radio bands (868 MHz)",
    "wan": "WAN signal",
    "outcome": "Notes",
}


def _n(text: str) -> Decimal:
    return Decimal(text)


def _build() -> tuple[FieldSpec, ...]:
    specs: list[FieldSpec] = [
        FieldSpec(
            name="job.reference",
            label="Job reference",
            section="job",
            kind="text",
            required="never",
            max_length=40,
        ),
        FieldSpec(name="job.address", label="Address", section="job", kind="text"),
        FieldSpec(
            name="job.postcode",
            label="Postcode",
            section="job",
            kind="postcode",
            hint="e.g. SW1A 1AA",
        ),
        FieldSpec(
            name="supply.mpan",
            label="MPAN",
            section="supply",
            kind="mpan",
            hint="13-digit core (bottom line), or all 21 digits",
        ),
        FieldSpec(
            name="supply.gas_present",
            label="Gas supply",
            section="supply",
            kind="choice",
            choices=YES_NO,
        ),
        FieldSpec(
            name="supply.mprn",
            label="MPRN",
            section="supply",
            kind="mprn",
            required="gas",
            hint="6 to 10 digits",
        ),
        FieldSpec(
            name="property.type",
            label="Property type",
            section="property",
            kind="choice",
            choices=PROPERTY_TYPES,
        ),
        FieldSpec(
            name="property.floors",
            label="Floors in the building",
            section="property",
            kind="int",
            low=_n("1"),
            high=_n("100"),
        ),
        FieldSpec(
            name="property.dwelling_floor",
            label="Floor of this dwelling",
            section="property",
            kind="int",
            required="flat",
            low=_n("-5"),
            high=_n("100"),
            hint="0 ground, -1 basement",
        ),
        FieldSpec(
            name="property.dwellings",
            label="Dwellings in the block",
            section="property",
            kind="int",
            required="flat",
            low=_n("1"),
            high=_n("5000"),
        ),
        FieldSpec(
            name="property.construction",
            label="Construction",
            section="property",
            kind="choice",
            choices=CONSTRUCTIONS,
        ),
        FieldSpec(
            name="property.insulation",
            label="Insulation",
            section="property",
            kind="choice",
            choices=INSULATIONS,
        ),
        FieldSpec(
            name="property.materials",
            label="Other materials",
            section="property",
            kind="text",
            required="never",
            hint="e.g. metal meter cabinet, foil plasterboard",
        ),
        FieldSpec(
            name="property.alt_han_present",
            label="Alt HAN already present",
            section="property",
            kind="choice",
            choices=YES_NO_UNKNOWN,
        ),
        FieldSpec(
            name="property.alt_han_reference",
            label="Alt HAN Co building survey reference",
            section="property",
            kind="text",
            required="never",
            max_length=60,
            hint="from Alt HAN Co, if the building has been surveyed",
        ),
    ]
    for role, label in ROLES.items():
        needs: Literal["always", "gas"] = "gas" if role in GAS_ROLES else "always"
        specs += [
            FieldSpec(
                name=f"pos.{role}.location",
                label=f"{label}: location",
                section="positions",
                kind="choice",
                choices=LOCATIONS,
                required=needs,
            ),
            FieldSpec(
                name=f"pos.{role}.floor",
                label=f"{label}: floor",
                section="positions",
                kind="int",
                low=_n("-5"),
                high=_n("100"),
                required=needs,
            ),
            FieldSpec(
                name=f"pos.{role}.description",
                label=f"{label}: where exactly",
                section="positions",
                kind="text",
                required="never",
                hint="e.g. under the stairs",
            ),
            FieldSpec(
                name=f"pos.{role}.name",
                label=f"{label}: walk-test name",
                section="positions",
                kind="position_name",
                required=needs,
                default=role,
                max_length=40,
            ),
        ]
    for role in METER_ROLES:
        specs.append(
            FieldSpec(
                name=f"pos.{role}.height_m",
                label=f"{ROLES[role]}: height",
                section="positions",
                kind="decimal",
                required="never",
                low=_n("0"),
                high=_n("5"),
                unit="m",
                # GOV.UK "Guidance on designing and constructing new builds to be
                # smart-meter-ready" (24 March 2026), 1.4: meters 0.5 m to 1.8 m above the
                # finished floor (internal) or ground (external). Recorded, not judged.
                hint="above floor or ground; new-build guidance: 0.5 to 1.8 m",
            )
        )
    specs += [
        FieldSpec(
            name="pos.ihd.offer",
            label="In-home display",
            section="positions",
            kind="choice",
            choices=IHD_OFFERS,
            required="never",
            hint="declined or existing: recorded as the IHD install status",
        ),
        FieldSpec(
            name="pos.hub.space_above_esme",
            label="Space for the hub above the meter",
            section="positions",
            kind="choice",
            choices=YES_NO,
        ),
    ]
    for a, b in PAIRS:
        key, label = pair_key(a, b), pair_label(a, b)
        needs = "gas" if {a, b} & GAS_ROLES else "always"
        specs += [
            FieldSpec(
                name=f"sep.{key}.distance_m",
                label=f"{label}: distance",
                section="separations",
                kind="decimal",
                low=_n("0"),
                high=_n("500"),
                unit="m",
                required=needs,
            ),
            FieldSpec(
                name=f"sep.{key}.walls",
                label=f"{label}: walls",
                section="separations",
                kind="int",
                low=_n("0"),
                high=_n("50"),
                required=needs,
            ),
            FieldSpec(
                name=f"sep.{key}.floors",
                label=f"{label}: floors",
                section="separations",
                kind="int",
                low=_n("0"),
                high=_n("50"),
                required=needs,
            ),
            FieldSpec(
                name=f"sep.{key}.materials",
                label=f"{label}: wall and floor materials",
                section="separations",
                kind="text",
                required="never",
            ),
        ]
    # 868 MHz works only where both ends of a link have it. DECC's Government Response on
    # HAN Solutions: Implementation of 868MHz (15D/520, December 2015) puts it on the hub, the
    # import electricity meter and the mandated IHD; a gas meter may or may not have it.
    specs += [
        FieldSpec(
            name="radio.hub_variant",
            label="Communications hub variant",
            section="radio",
            kind="choice",
            choices=HUB_VARIANTS,
        ),
        FieldSpec(
            name="radio.esme_868",
            label="Electricity meter can use 868 MHz",
            section="radio",
            kind="choice",
            choices=YES_NO_UNKNOWN,
        ),
        FieldSpec(
            name="radio.gsme_868",
            label="Gas meter can use 868 MHz",
            section="radio",
            kind="choice",
            choices=YES_NO_UNKNOWN,
            required="gas",
        ),
        FieldSpec(
            name="radio.ihd_868",
            label="In-home display can use 868 MHz",
            section="radio",
            kind="choice",
            choices=YES_NO_UNKNOWN,
        ),
    ]
    specs += [
        FieldSpec(
            name="wan.region",
            label="CSP region",
            section="wan",
            kind="choice",
            choices=("North", "Central", "South"),
        ),
        FieldSpec(
            name="wan.technology",
            label="WAN technology",
            section="wan",
            kind="choice",
            choices=("long-range radio", "cellular", "cellular with mesh"),
        ),
        FieldSpec(
            name="wan.signal_dbm",
            label="WAN signal at the hub",
            section="wan",
            kind="decimal",
            low=_n("-150"),
            high=_n("-20"),
            unit="dBm",
            hint="as the hub or the CSP's tool shows it",
        ),
        FieldSpec(
            name="wan.signal_measure",
            label="WAN signal measure",
            section="wan",
            kind="choice",
            choices=WAN_MEASURES,
            hint="RSRP for 4G cellular; RSSI for 2G/3G or long-range radio",
        ),
        FieldSpec(
            name="wan.aerial",
            label="Aerial",
            section="wan",
            kind="choice",
            choices=("internal", "external aerial fitted"),
        ),
        FieldSpec(
            name="wan.install_and_leave",
            label="Install and Leave",
            section="wan",
            kind="choice",
            choices=YES_NO,
            hint="fit now, commission over the WAN later",
        ),
        FieldSpec(
            name="outcome.notes",
            label="Engineer's notes",
            section="outcome",
            kind="notes",
            required="never",
            max_length=4000,
        ),
    ]
    return tuple(specs)


FIELDS: tuple[FieldSpec, ...] = _build()
BY_NAME: Mapping[str, FieldSpec] = {spec.name: spec for spec in FIELDS}
# A new flat in the same block keeps these; supply numbers, positions and measurements are its own.
BLOCK_FIELDS = frozenset(
    {
        "job.address",
        "job.postcode",
        "supply.gas_present",
        "property.type",
        "property.floors",
        "property.dwellings",
        "property.construction",
        "property.insulation",
        "property.materials",
        "property.alt_han_present",
        "property.alt_han_reference",
        "wan.region",
        "wan.technology",
        "wan.signal_dbm",
        "wan.signal_measure",
        "wan.aerial",
    }
)


def spec(name: str) -> FieldSpec:
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"no survey field called {name!r}") from None


def in_section(section: str) -> tuple[FieldSpec, ...]:
    return tuple(s for s in FIELDS if s.section == section)


def is_required(field: FieldSpec, values: Mapping[str, str | None]) -> bool:
    """Whether `field` must be filled in, given the survey's other accepted values."""
    if field.required == "always":
        return True
    if field.required == "gas":
        return values.get("supply.gas_present") != "no"
    if field.required == "flat":
        return values.get("property.type") == "flat or maisonette"
    return False
