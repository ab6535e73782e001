"""Our Smart Energy cluster catalogue; importing it makes zigpy use these classes for every device.

Defining a Cluster subclass with a cluster_id already replaces zigpy's entry in
`Cluster._registry` (zigpy's `__init_subclass__`), which is what `Cluster.from_id` consults
when a device's endpoints are built. zigpy's two lookup tables in `zigpy.zcl.clusters` are
filled once at its import, so they are updated here as well.
"""

from __future__ import annotations

import zigpy.zcl.clusters
from zigpy.zcl import Cluster

from device_backend.zcl.drlc import Drlc
from device_backend.zcl.messaging import Messaging
from device_backend.zcl.metering import Metering
from device_backend.zcl.prepayment import Prepayment
from device_backend.zcl.price import Price
from device_backend.zcl.profile import SMART_ENERGY_PROFILE_ID
from device_backend.zcl.validate import MalformedFrameError, validate_frame

#: The classes this package puts in place of zigpy's, by cluster id.
SE_CLUSTERS: dict[int, type[Cluster]] = {
    cls.cluster_id: cls for cls in (Price, Drlc, Metering, Messaging, Prepayment)
}


def install() -> None:
    """Point zigpy's registry and lookup tables at our classes (idempotent; done on import).

    Exposed so a test or a late-loaded quirk that re-registered zigpy's own classes can be
    undone.
    """
    for cluster_id, cls in SE_CLUSTERS.items():
        Cluster._registry[cluster_id] = cls
        zigpy.zcl.clusters.CLUSTERS_BY_ID[cluster_id] = cls
        zigpy.zcl.clusters.CLUSTERS_BY_NAME[cls.ep_attribute] = cls


install()

__all__ = [
    "SE_CLUSTERS",
    "SMART_ENERGY_PROFILE_ID",
    "Drlc",
    "MalformedFrameError",
    "Messaging",
    "Metering",
    "Prepayment",
    "Price",
    "install",
    "validate_frame",
]
