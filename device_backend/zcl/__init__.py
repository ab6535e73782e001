"""Our Smart Energy cluster catalogue, and the one call that makes zigpy use it.

Importing this package changes nothing in zigpy: our classes set zigpy's own `_skip_registry`
(the switch its quirk clusters use), so defining them does not replace zigpy's entries.
`register_clusters()` does, explicitly: the facade calls it when it builds its radio, before
zigpy sees a frame. It points `Cluster._registry` (what `Cluster.from_id` consults when a
device's endpoints are built) and zigpy's two lookup tables in `zigpy.zcl.clusters` (filled
once at its import) at our classes. zigpy's own names keep resolving afterwards (Metering
0x0207's `iambient_consumption_indicator` is an alias of ours).
"""

from __future__ import annotations

import zigpy.zcl.clusters
from zigpy.zcl import Cluster

from device_backend.zcl.calendar import Calendar
from device_backend.zcl.device_management import DeviceManagement
from device_backend.zcl.drlc import Drlc
from device_backend.zcl.events import Events
from device_backend.zcl.messaging import Messaging
from device_backend.zcl.metering import Metering
from device_backend.zcl.prepayment import Prepayment
from device_backend.zcl.price import Price
from device_backend.zcl.profile import SMART_ENERGY_PROFILE_ID
from device_backend.zcl.validate import MalformedFrameError, validate_frame

#: The classes this package puts in place of zigpy's, by cluster id.
SE_CLUSTERS: dict[int, type[Cluster]] = {
    cls.cluster_id: cls
    for cls in (
        Price,
        Drlc,
        Metering,
        Messaging,
        Prepayment,
        Calendar,
        DeviceManagement,
        Events,
    )
}


def register_clusters() -> None:
    """Make zigpy build and parse Smart Energy clusters with our classes (idempotent).

    Also undoes a late-loaded quirk or test that re-registered zigpy's own classes.
    """
    for cluster_id, cls in SE_CLUSTERS.items():
        Cluster._registry[cluster_id] = cls
        zigpy.zcl.clusters.CLUSTERS_BY_ID[cluster_id] = cls
        zigpy.zcl.clusters.CLUSTERS_BY_NAME[cls.ep_attribute] = cls


def cluster_class(cluster_id: int) -> type[Cluster]:
    """Our class for a Smart Energy cluster, zigpy's for any other, registered or not."""
    return SE_CLUSTERS.get(cluster_id) or Cluster._registry[cluster_id]


__all__ = [
    "SE_CLUSTERS",
    "SMART_ENERGY_PROFILE_ID",
    "Calendar",
    "DeviceManagement",
    "Drlc",
    "Events",
    "MalformedFrameError",
    "Messaging",
    "Metering",
    "Prepayment",
    "Price",
    "cluster_class",
    "register_clusters",
    "validate_frame",
]
