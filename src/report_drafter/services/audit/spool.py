"""The bulky parts of a batch's records kept on disk while the batch is worked through, not in memory.

A record's class marks those fields `Spooled`. The worker that makes a record packs them (`pack`: each
pickled); the main process puts them in its `Spool` as the record arrives (`Spool.keep`), one anonymous
temporary file where each is appended once and read back, by its place, when asked for:

    report.markdown          # read back from the spool (a fresh copy each time: load once, use many)
    report.findings = more   # a field once kept stays kept: the new value is appended to the spool
    report.findings.append   # AttributeError: a kept list is read back as a tuple (a change in place would be lost)

A kept record pickled (to a worker process, or copied) takes its parts with it, packed.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import threading
import weakref
from dataclasses import MISSING
from functools import cache
from pathlib import Path

from ...errors import FileNotWritable


PLACED = hasattr(os, "pread")     # reads and writes at an offset, leaving the file's position alone (not on Windows)


class Packed:
    """A value pickled: what travels between processes and what a spool writes as it is (not compressed: zlib
    would take a worker about three times as long as pickling a report, to save some temporary disk)."""

    __slots__ = ("data",)

    def __init__(self, data: bytes):
        self.data = data            # the pickle

    @classmethod
    def of(cls, value) -> Packed:
        raw = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        return cls(raw)

    def load(self):
        return pickle.loads(self.data)

    def __reduce__(self):
        return Packed, (self.data,)


class Stored:
    """A packed value in a spool: where it is."""

    __slots__ = ("spool", "offset", "length")

    def __init__(self, spool: Spool, offset: int, length: int):
        self.spool, self.offset, self.length = spool, offset, length

    def load(self):
        return self.packed().load()

    def packed(self) -> Packed:
        return Packed(self.spool.read(self.offset, self.length))

    def __reduce__(self):           # (the spool stays in this process: the value travels packed)
        return Packed, (self.packed().data,)


class Joined:
    """A list kept in a spool in parts (what it held, then what was added): read back as one list."""

    __slots__ = ("parts",)

    def __init__(self, parts: tuple[Stored, ...]):
        self.parts = parts

    @property
    def spool(self) -> Spool:
        return self.parts[0].spool

    def load(self) -> list:
        return [item for part in self.parts for item in part.load()]

    def __reduce__(self):
        return Packed, (Packed.of(self.load()).data,)


KEPT = (Stored, Joined)             # what a spooled field holds once its record is kept


class Spooled:
    """A dataclass field whose value may be packed or kept in a spool: read back whenever it is asked for.

    `default`: the field's default (immutable: every record shares it); none when not given.
    """

    def __init__(self, default=MISSING):
        self.default = default

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:                 # (what dataclasses take for the default)
            if self.default is MISSING:
                raise AttributeError(self.name)
            return self.default
        value = obj.__dict__[self.name]
        if isinstance(value, (Packed, *KEPT)):  # a fresh copy: a list is given as a tuple, so that changing it in
            loaded = value.load()               # place (which would be lost) fails loudly; assign, or use `extend`
            return tuple(loaded) if isinstance(loaded, list) else loaded
        return value

    def __set__(self, obj, value) -> None:
        old = obj.__dict__.get(self.name)
        if isinstance(old, KEPT) and value is not None and not isinstance(value, Stored):
            value = old.spool.put(value)
        obj.__dict__[self.name] = value


@cache
def spooled_fields(kind: type) -> dict[str, Spooled]:
    """A record class's `Spooled` fields by name."""
    return {name: attr for klass in reversed(kind.__mro__) for name, attr in vars(klass).items()
            if isinstance(attr, Spooled)}


def held(record, name: str) -> bool:
    """Whether a spooled field of the record has a value (not None), without reading it back."""
    return record.__dict__.get(name) is not None


def extend(record, name: str, items: list) -> None:
    """Add items to a spooled list field of the record; when kept, without reading back what it holds."""
    old = record.__dict__[name]
    if isinstance(old, KEPT):
        added = old.spool.put(items)
        record.__dict__[name] = Joined((*(old.parts if isinstance(old, Joined) else (old,)), added))
    else:
        setattr(record, name, [*getattr(record, name), *items])


def pack(record):
    """Pack the record's spooled fields (in the worker process that made it); returns the record."""
    for name in spooled_fields(type(record)):
        value = record.__dict__[name]
        if value is not None and not isinstance(value, (Packed, *KEPT)):
            record.__dict__[name] = Packed.of(value)
    return record


class Spool:
    """One anonymous temporary file of packed values, each appended once (the file is gone when the spool is)."""

    def __init__(self):
        try:
            self._file = tempfile.TemporaryFile(prefix="drafter-audit-")
        except OSError as exc:
            raise _not_writable(exc) from None
        self._end = 0
        self._lock = threading.Lock()   # (a process pool pickles the tasks it sends in a thread of its own)
        weakref.finalize(self, self._file.close)     # (closed, and so removed, with the audit it belongs to)

    def put(self, value) -> Stored:
        """Append a value (packed first unless it is) and say where it is."""
        data = (value if isinstance(value, Packed) else Packed.of(value)).data
        with self._lock:
            try:
                self._write(data, self._end)
            except OSError as exc:      # (a full disk: the batch's records do not fit in the temporary folder)
                raise _not_writable(exc) from None
            stored = Stored(self, self._end, len(data))
            self._end += len(data)
        return stored

    def _write(self, data: bytes, offset: int) -> None:
        if PLACED:                      # (no file position: a process forked from this one reads the spool too)
            view = memoryview(data)
            while view:
                done = os.pwrite(self._file.fileno(), view, offset)
                view, offset = view[done:], offset + done
        else:
            self._file.seek(offset)
            self._file.write(data)

    def read(self, offset: int, length: int) -> bytes:
        if PLACED:
            data = os.pread(self._file.fileno(), length, offset)
            while len(data) < length:       # (a read may return less than asked)
                more = os.pread(self._file.fileno(), length - len(data), offset + len(data))
                if not more:
                    raise OSError(f"审查用的临时文件被截断（{offset}+{length}）")
                data += more
            return data
        with self._lock:
            self._file.seek(offset)
            return self._file.read(length)

    def keep(self, record):
        """Move the record's spooled fields (packed or not) into the spool; returns the record."""
        for name in spooled_fields(type(record)):
            value = record.__dict__[name]
            if value is not None and not isinstance(value, KEPT):
                record.__dict__[name] = self.put(value)
        return record

    @property
    def size(self) -> int:
        """Bytes written."""
        return self._end


def _not_writable(error: OSError) -> FileNotWritable:
    """The temporary folder cannot take the batch's records: say which folder (TMPDIR chooses it)."""
    return FileNotWritable(Path(tempfile.gettempdir()), error)
