"""Read a device's EUI-64 and install code as typed, pasted or scanned, and say what is wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import zigpy.types as t
import zigpy.util

from device_backend.installer.types import InstallerError
from device_backend.link_keys import crc_x25, format_code, link_key, make_install_code

# zigpy accepts 6, 8, 12 or 16 bytes of code, each followed by a 2-byte CRC.
CODE_LENGTHS = (8, 10, 14, 18)
_SEPARATORS = re.compile(r"[\s:\-.]")
_QR_PREFIXES = ("Z:", "$A:", "RB01SG", "HUE:Z:")


class InstallCodeError(InstallerError, ValueError):
    """Why an EUI-64 or install code cannot be used; never repeats the code itself."""


@dataclass(frozen=True, slots=True)
class PairingCode:
    """A device's address and the link key derived from its install code (kept out of repr)."""

    ieee: str
    link_key: bytes = field(repr=False)
    code_length: int = 0  # bytes of install code, CRC included; 0 when a QR held the key itself

    def masked(self) -> str:
        return f"{self.ieee} (install code accepted)"


def parse_eui64(text: str) -> str:
    """`00:0D:6F:...`, `000d6f...` or `00-0d-...`; returned as zigpy writes it."""
    digits = _SEPARATORS.sub("", text.strip())
    if not digits:
        raise InstallCodeError("Enter the device's EUI-64 (16 hex digits, printed on its label).")
    bad = sorted({c for c in digits if c not in "0123456789abcdefABCDEF"})
    if bad:
        raise InstallCodeError(
            f"The EUI-64 may only hold hex digits 0-9 and A-F, not {' '.join(bad)}."
        )
    if len(digits) != 16:
        raise InstallCodeError(f"An EUI-64 has 16 hex digits; this one has {len(digits)}.")
    if digits.upper() in ("0000000000000000", "FFFFFFFFFFFFFFFF"):
        raise InstallCodeError(
            "That EUI-64 is a placeholder, not a device's address: check the label."
        )
    return str(t.EUI64.convert(":".join(digits[i : i + 2] for i in range(0, 16, 2))))


def code_bytes(text: str) -> bytes:
    """The install code's bytes, with a message that names the problem (length, characters)."""
    digits = _SEPARATORS.sub("", text.strip())
    if not digits:
        raise InstallCodeError(
            "Enter the install code printed on the device (with its 4-digit CRC)."
        )
    bad = sorted({c for c in digits if c not in "0123456789abcdefABCDEF"})
    if bad:
        hint = " (the letter O is never used: try zero)" if "O" in bad or "o" in bad else ""
        raise InstallCodeError(
            f"An install code holds only hex digits 0-9 and A-F, not {' '.join(bad)}{hint}."
        )
    if len(digits) % 2:
        raise InstallCodeError(
            f"The install code has an odd number of digits ({len(digits)}): "
            "one is missing or doubled."
        )
    size = len(digits) // 2
    if size not in CODE_LENGTHS:
        allowed = ", ".join(str(2 * n) for n in CODE_LENGTHS)
        raise InstallCodeError(
            f"The install code has {len(digits)} hex digits; it must have {allowed} "
            "(the code and its 4-digit CRC). Check none are missing."
        )
    return bytes.fromhex(digits)


def derive_link_key(code: bytes) -> bytes:
    """zigpy checks the CRC and hashes the code into the link key the device will use."""
    try:
        return link_key(code)
    except ValueError:
        # zigpy's own message repeats the code; ours must not, and must say what to do.
        raise InstallCodeError(
            "The install code's CRC (its last 4 digits) does not match the rest: a digit was "
            "probably misread. Read the label again, or scan its QR code."
        ) from None


def looks_like_qr(text: str) -> bool:
    stripped = text.strip()
    return "|" in stripped or any(stripped.startswith(p) or p in stripped for p in _QR_PREFIXES)


def parse_qr(text: str) -> PairingCode:
    """The text a label's QR code holds, in the formats zigpy knows."""
    try:
        ieee, key = zigpy.util.parse_install_code_qr(text.strip())
    except ValueError as exc:
        if "CRC" in str(exc):
            raise InstallCodeError(
                "The QR code's install code fails its CRC check: the label "
                "may be damaged. Type the code from the label instead."
            ) from None
        raise InstallCodeError(
            "This QR text is not a format we know (Z:...$I:..., "
            "EUI|CODE, Aqara, Bosch or Hue). Type the EUI-64 and code instead."
        ) from None
    return PairingCode(ieee=str(ieee), link_key=bytes(key))


def parse_pairing(eui64_text: str, code_text: str) -> PairingCode:
    """What the engineer entered: an EUI-64 and install code, or QR text in the code field."""
    if looks_like_qr(code_text) and not eui64_text.strip():
        return parse_qr(code_text)
    if looks_like_qr(code_text):
        scanned = parse_qr(code_text)
        if scanned.ieee != parse_eui64(eui64_text):
            raise InstallCodeError("The QR code belongs to a different EUI-64 from the one typed.")
        return scanned
    ieee = parse_eui64(eui64_text)
    code = code_bytes(code_text)
    return PairingCode(ieee=ieee, link_key=derive_link_key(code), code_length=len(code))


# The code arithmetic lives in device_backend.link_keys (the simulator uses it too); these
# names stay importable from here for the installer's callers.
__all__ = [
    "CODE_LENGTHS",
    "InstallCodeError",
    "PairingCode",
    "code_bytes",
    "crc_x25",
    "derive_link_key",
    "format_code",
    "looks_like_qr",
    "make_install_code",
    "parse_eui64",
    "parse_pairing",
    "parse_qr",
]
