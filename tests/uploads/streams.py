"""Multipart request bodies produced as they are read, so that a test can send 200 MB without
holding them, and watch what reaches the disk meanwhile."""

from __future__ import annotations

import os
from pathlib import Path

BOUNDARY = "hallboundary7MA4YWxkTrZu0gW"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


class LazyMultipart:
    """A file-like multipart body: each part a form field (bytes value) or a file whose content is
    ``head`` followed by zeros up to ``size`` bytes. Counts what was read and, when given a folder,
    the most bytes found in it at any read (the upload handlers' temporary files)."""

    def __init__(self, *parts, watch: Path | None = None):
        self.segments: list[tuple[bytes, int]] = []  # (literal bytes, or b"" with that many zeros)
        for part in parts:
            if part[0] == "field":
                _, name, value = part
                self._literal(
                    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                )
                self._literal(value + b"\r\n")
            else:
                _, name, filename, head, size = part
                self._literal(
                    f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
                    f'name="{name}"; filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
                )
                self._literal(head)
                self.segments.append((b"", size - len(head)))
                self._literal(b"\r\n")
        self._literal(f"--{BOUNDARY}--\r\n".encode())
        self.length = sum(len(data) or zeros for data, zeros in self.segments)
        self.read_bytes = 0
        self.watch = watch
        self.most_on_disk = 0
        self._segment, self._offset = 0, 0

    def _literal(self, data: bytes) -> None:
        self.segments.append((data, 0))

    def read(self, size: int = -1) -> bytes:
        self._look()
        if size is None or size < 0:
            size = self.length - self.read_bytes
        out = bytearray()
        while len(out) < size and self._segment < len(self.segments):
            data, zeros = self.segments[self._segment]
            total = len(data) or zeros
            take = min(size - len(out), total - self._offset)
            out += data[self._offset : self._offset + take] if data else bytes(take)
            self._offset += take
            if self._offset == total:
                self._segment, self._offset = self._segment + 1, 0
        self.read_bytes += len(out)
        return bytes(out)

    def readline(self, size: int = -1) -> bytes:  # WSGI streams have it; the parser does not use it
        return self.read(size)

    def _look(self) -> None:
        if self.watch is not None:
            self.most_on_disk = max(self.most_on_disk, bytes_under(self.watch))


def bytes_under(folder: Path) -> int:
    return sum(entry.stat().st_size for entry in os.scandir(folder) if entry.is_file())


def file_part(name: str, filename: str, size: int, head: bytes = b"%PDF-1.4\n") -> tuple:
    return ("file", name, filename, head, size)


def field_part(name: str, value: bytes) -> tuple:
    return ("field", name, value)
