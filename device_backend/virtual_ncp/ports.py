"""Where the host finds the virtual stick: a pseudo-terminal (a USB serial port to the host)
or a TCP socket (a network-attached stick or ser2net). Both can be "pulled" and put back."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import tty
from collections.abc import Callable
from pathlib import Path

LOGGER = logging.getLogger(__name__)

Feed = Callable[[bytes], None]


class Port:
    """Bytes both ways; `open` makes the port appear, `close` makes it vanish."""

    path: str = ""
    on_connect: Callable[[], None] | None = None

    def __init__(self, feed: Feed) -> None:
        self.feed = feed

    async def open(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def write(self, data: bytes) -> None:
        raise NotImplementedError


class PtyPort(Port):
    """A pseudo-terminal; bellows opens its slave side exactly as it opens /dev/ttyUSB0.

    The slave's name changes every time a pty is made, so, as udev does with
    /dev/serial/by-id, a symbolic link with a fixed name points at the current one: a
    program told that name finds the stick again after it is "plugged back in".
    """

    def __init__(self, feed: Feed, link_path: str | None = None) -> None:
        super().__init__(feed)
        self.link_path = Path(link_path) if link_path else None
        self._master: int | None = None
        self._slave: int | None = None
        self._pending = bytearray()
        self.device = ""

    async def open(self) -> None:
        master, slave = os.openpty()
        tty.setraw(slave)  # no echo or line editing before the host sets its own modes
        os.set_blocking(master, False)
        self._master, self._slave = master, slave
        self.device = os.ttyname(slave)
        if self.link_path is not None:
            with contextlib.suppress(FileNotFoundError):
                self.link_path.unlink()
            self.link_path.symlink_to(self.device)
            self.path = str(self.link_path)
        else:
            self.path = self.device
        asyncio.get_running_loop().add_reader(master, self._readable)

    def _readable(self) -> None:
        assert self._master is not None
        try:
            data = os.read(self._master, 4096)
        except BlockingIOError:
            return
        except OSError as exc:
            if exc.errno == errno.EIO:  # nobody has the slave open; we keep ours, so rare
                return
            raise
        if data:
            self.feed(data)

    def write(self, data: bytes) -> None:
        if self._master is None:
            return
        if self._pending:
            self._pending += data
            return
        try:
            written = os.write(self._master, data)
        except BlockingIOError:
            written = 0
        if written < len(data):
            self._pending += data[written:]
            asyncio.get_running_loop().add_writer(self._master, self._drain)

    def _drain(self) -> None:
        assert self._master is not None
        try:
            written = os.write(self._master, self._pending)
        except BlockingIOError:
            return
        del self._pending[:written]
        if not self._pending:
            asyncio.get_running_loop().remove_writer(self._master)

    def close(self) -> None:
        """The stick is pulled: the host's reads fail and the path goes away."""
        loop = asyncio.get_running_loop()
        if self._master is not None:
            loop.remove_reader(self._master)
            loop.remove_writer(self._master)
            os.close(self._master)
        if self._slave is not None:
            os.close(self._slave)
        self._master = self._slave = None
        self._pending.clear()
        if self.link_path is not None:
            with contextlib.suppress(FileNotFoundError):
                self.link_path.unlink()


class TcpPort(Port):
    """A listening socket taking one host at a time, as ser2net or a network stick does."""

    def __init__(self, feed: Feed, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(feed)
        self.host = host
        self.port = port
        self._server: asyncio.Server | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._reader_task: asyncio.Task[None] | None = None

    async def open(self) -> None:
        self._server = await asyncio.start_server(self._client, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]  # keep it for a replug
        self.path = f"socket://{self.host}:{self.port}"

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._writer is not None and not self._writer.is_closing():
            writer.close()  # one host at a time
            return
        self._writer = writer
        if self.on_connect is not None:
            self.on_connect()
        try:
            while data := await reader.read(4096):
                self.feed(data)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            if self._writer is writer:
                self._writer = None
            writer.close()

    def write(self, data: bytes) -> None:
        if self._writer is not None and not self._writer.is_closing():
            self._writer.write(data)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if self._server is not None:
            self._server.close()
            self._server = None
