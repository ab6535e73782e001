"""An audible alert: a short two-note chime, played by the system's player without blocking."""

# PySide6-Essentials has no QtMultimedia, so the chime is a small WAV handed to whichever
# player the board has (PipeWire, PulseAudio or ALSA) as a detached process; with none,
# the terminal bell is the fallback. Nothing here waits for the sound to finish.

from __future__ import annotations

import atexit
import math
import shutil
import struct
import tempfile
import wave
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, Signal
from PySide6.QtWidgets import QApplication

PLAYERS = ("pw-play", "paplay", "aplay")
RATE = 16_000
NOTES = ((880.0, 0.18), (660.0, 0.28))  # falling: heard as "attention", not as an error buzz


_PRIVATE: list[Path] = []  # this process's own temporary folder, made on the first chime


def _private_folder() -> Path:
    """A 0700 folder from tempfile, removed at exit: nobody else can plant a file to be played."""
    if not _PRIVATE:
        folder = Path(tempfile.mkdtemp(prefix="ihd-chime-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _PRIVATE.append(folder)
    return _PRIVATE[0]


def chime_file(folder: Path | None = None) -> Path:
    """Write the chime once (about 15 KB) into a private folder and return its path."""
    path = (folder or _private_folder()) / "ihd-alert-chime.wav"
    if path.exists():
        return path
    frames = bytearray()
    for frequency, seconds in NOTES:
        count = int(RATE * seconds)
        for i in range(count):
            # A short fade at both ends stops the speaker clicking.
            envelope = min(1.0, i / 200, (count - i) / 200)
            frames += struct.pack(
                "<h", int(12_000 * envelope * math.sin(2 * math.pi * frequency * i / RATE))
            )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(bytes(frames))
    return path


def system_player(path: Path) -> None:
    for name in PLAYERS:
        program = shutil.which(name)
        if program:
            QProcess.startDetached(program, [str(path)])
            return
    QApplication.beep()


class Chime(QObject):
    played = Signal(str)  # the alert kind, for the trial log

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.player: Callable[[Path], None] = system_player

    def play(self, kind: str) -> None:
        try:
            self.player(chime_file())
        except OSError:
            QApplication.beep()  # no temporary folder to write to: the bell still says "look"
        self.played.emit(kind)
