"""Scenario files written for tests: a prepayment home on a time-of-use tariff, and variants.

Each is a TOML template with `{seed}` to fill in (str.format, so literal braces are doubled).
"""

PREPAY_TOU = """
[scenario]
name = "test-prepay-tou"
description = "prepayment on a time-of-use tariff, no gas"
seed = {seed}
start = 2026-01-12T00:00:00Z
duration = "1d"

[home]
occupants = 3

[geometry.positions]
hub = {{ x = 0.3, y = 0.3, floor = 0 }}
esme = {{ x = 0.3, y = 0.0, floor = 0 }}

[meters.electricity]
variant = "tou"
meter_id = "00-1A-2B-3C-00-00-E1-77"
position = "esme"

[tariffs.electricity]
kind = "tou"
label = "Test TOU"
standing_charge = 53.80
default_tier = 2
tiers = [
  {{ tier = 1, label = "Off-peak", price = 17.45, bands = ["00:00-07:00"] }},
  {{ tier = 2, label = "Standard", price = 24.50 }},
  {{ tier = 3, label = "Peak", price = 36.80, bands = ["16:00-19:00"] }},
]

[payment]
mode = "prepayment"
start_credit_pence = 5000
emergency_credit_limit_pence = 500
emergency_credit_threshold_pence = 100
low_credit_level_pence = 300
debt_pence = 2000
debt_recovery_pence_per_day = 35
friendly_credit = {{ windows = [], weekends = false }}

[utrn]
key = "00112233445566778899aabbccddeeff"
"""

# The same home with almost no credit, no emergency credit and no debt: the supply is cut
# within hours, so arming and restoring it can be tested.
ARMING = (
    PREPAY_TOU.replace("start_credit_pence = 5000", "start_credit_pence = 40")
    .replace("emergency_credit_limit_pence = 500", "emergency_credit_limit_pence = 0")
    .replace("debt_pence = 2000", "debt_pence = 0")
)
