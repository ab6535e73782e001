"""Cluster, profile and device ids, once for the whole back end.

General clusters from the ZigBee Cluster Library (07-5123: Basic 0x0000, Identify 0x0003,
On/Off 0x0006, Time 0x000A, OTA Upgrade 0x0019); Smart Energy clusters, the SE profile and the
Metering device from ZigBee Smart Energy 1.4 (07-5356; ../shared/reference/se_clusters.md:
Price 0x0700, DRLC 0x0701, Metering 0x0702, Messaging 0x0703, Prepayment 0x0705; Calendar
0x0707, Device Management 0x0708 and Events 0x0709 from its annexes D.9-D.11). They agree
with zigpy's own classes (zigpy.zcl.clusters), which tests/test_zcl_catalogue.py checks. This
module imports nothing, so any module may name a cluster without loading zigpy.
"""

from __future__ import annotations

from typing import Final

# Profiles (the APS frame's profile id)
HOME_AUTOMATION_PROFILE: Final = 0x0104
SMART_ENERGY_PROFILE: Final = 0x0109

# Device ids on a Smart Energy endpoint
METERING_DEVICE: Final = 0x0501

# General clusters
BASIC: Final = 0x0000
IDENTIFY: Final = 0x0003
ON_OFF: Final = 0x0006
TIME: Final = 0x000A
OTA: Final = 0x0019

# Smart Energy clusters (0x0704, Tunneling, is not used here)
PRICE: Final = 0x0700
DRLC: Final = 0x0701
METERING: Final = 0x0702
MESSAGING: Final = 0x0703
PREPAYMENT: Final = 0x0705
CALENDAR: Final = 0x0707
DEVICE_MANAGEMENT: Final = 0x0708
EVENTS: Final = 0x0709

SMART_ENERGY_CLUSTERS: Final = (PRICE, DRLC, METERING, MESSAGING, PREPAYMENT)
# The GB additions, kept in their own tuple: SMART_ENERGY_CLUSTERS is also what the simulated
# coordinator binds, and no simulated meter serves these yet.
GB_SCHEDULE_AND_ADMIN_CLUSTERS: Final = (CALENDAR, DEVICE_MANAGEMENT, EVENTS)
