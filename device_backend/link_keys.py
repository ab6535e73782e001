"""Install codes and the link keys they hash to: one module for the installer and the simulator.

A ZigBee install code is 6, 8, 12 or 16 bytes followed by a CRC-16/X-25 (Base Device Behavior
13-0402, 10.1; zigpy.util.convert_install_code checks it and applies the Matyas-Meyer-Oseas
hash). The installer derives the key an engineer typed; the simulator prints codes on its
bench devices' labels and lets a device join only when the key it was given matches its code.
"""

from __future__ import annotations

import zigpy.util


def make_install_code(body: bytes) -> bytes:
    """`body` followed by its CRC, as a manufacturer prints it (the simulator labels devices)."""
    return body + crc_x25(body).to_bytes(2, "little")


def crc_x25(data: bytes) -> int:
    """CRC-16/X-25 (reflected 0x1021, init and final XOR 0xFFFF), the install code's CRC."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
    return crc ^ 0xFFFF


def format_code(code: bytes) -> str:
    """Groups of four hex digits, as labels print them."""
    text = code.hex().upper()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def link_key(code: bytes) -> bytes:
    """The link key an install code (CRC included) hashes to; ValueError if its CRC is wrong."""
    return bytes(zigpy.util.convert_install_code(code))


def link_key_matches(code: bytes, key: bytes) -> bool:
    """Whether a device holding `code` would accept `key`: a join's authentication, simulated."""
    try:
        return link_key(code) == key
    except ValueError:
        return False
