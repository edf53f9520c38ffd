"""Archives sent as attachments (zip, 7z, rar) unpacked in memory, within limits.

Every file keeps its decoded original name and its path inside the package
(``outer.zip/folder/inner.zip/报名表.docx``). Nested archives are opened down to
``Limits.archive_depth``. An archive is refused, with a ``Failure`` naming the entry, when it is
encrypted, when an entry would leave the folder (``../``, ``/etc``, ``C:\\``), when it
holds links, or when it would unpack beyond the limits on size, ratio or file count;
the declared sizes are checked before anything is inflated, and the bytes are counted
again while each entry is read in chunks.

Zip names without the UTF-8 flag are decoded per entry, UTF-8 first (one archive can mix
both), then the archive's legacy code page: GB18030, or Shift-JIS (cp932) when the names
read as Japanese and not as Chinese (``extractors.charsets.decode_legacy_names``). Office documents (docx, xlsx, ofd, odt) are zip files
too, but they are not archives here.

    >>> import io, zipfile
    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w") as z:
    ...     z.writestr("材料/申报表.docx", b"x")
    >>> outcome = unpack_archive("张三.zip", buffer.getvalue())
    >>> [(f.path, f.name) for f in outcome.files], outcome.failure
    ([('张三.zip/材料/申报表.docx', '申报表.docx')], None)
"""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import IO, Any

from extractors.charsets import decode_legacy_names
from extractors.filetypes import ZIP_DOCUMENT_SUFFIXES
from extractors.limits import DEFAULT_LIMITS, RATIO_FLOOR, Limits
from extractors.records import Failure

CHUNK = 256 * 1024

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
SEVEN_Z_MAGIC = b"7z\xbc\xaf\x27\x1c"
RAR_MAGIC = (b"Rar!\x1a\x07\x00", b"Rar!\x1a\x07\x01\x00")
# Members that make a zip an office document, not an archive.
DOCUMENT_MARKERS = ("[content_types].xml", "mimetype", "ofd.xml")
UNICODE_PATH_EXTRA = 0x7075
ZIP_ENCRYPTED = 0x1
ZIP_UTF8 = 0x800
ZIP_AES = 99


@dataclass
class UnpackedFile:
    path: str  # inside the package: "outer.zip/folder/inner.zip/file.docx"
    name: str  # the entry's own decoded name, without folders
    data: bytes = field(repr=False)
    is_archive: bool = False  # a nested archive; its files follow under its path


@dataclass
class ArchiveOutcome:
    files: list[UnpackedFile] = field(default_factory=list)
    failure: Failure | None = None  # why the archive was not unpacked
    refused: bool = False  # the failure is a refusal (ARCHIVE_REJECTED), not damage
    problems: list[Failure] = field(default_factory=list)  # notes on single entries
    # an encrypted archive's entry names (readable without the password in zip and in 7z
    # unless its headers are encrypted too), for the unit to know which files to resend
    encrypted_entries: list[str] = field(default_factory=list)


class Refused(Exception):
    """The archive is refused; ``failure`` says why."""

    def __init__(self, code: str, entries: list[str] | None = None, **details: object) -> None:
        self.failure = Failure(code, details)
        super().__init__(self.failure)
        self.entries = entries or []


class Unreadable(Exception):
    """The archive cannot be read; ``failure`` says why."""

    def __init__(self, code: str, **details: object) -> None:
        self.failure = Failure(code, details)
        super().__init__(self.failure)


def archive_format(data: bytes) -> str | None:
    """'zip', '7z' or 'rar' by the file's first bytes, else None."""
    if data.startswith(ZIP_MAGIC):
        return "zip"
    if data.startswith(SEVEN_Z_MAGIC):
        return "7z"
    if data.startswith(RAR_MAGIC):
        return "rar"
    return None


def is_archive(name: str, data: bytes) -> bool:
    """True for zip, 7z and rar content; a docx, xlsx, odt or ofd is a document, not this."""
    kind = archive_format(data)
    if kind != "zip":
        return kind is not None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = {info.filename.lower() for info in archive.infolist()}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return not name.lower().endswith(ZIP_DOCUMENT_SUFFIXES)
    return not any(marker in members for marker in DOCUMENT_MARKERS)


def unpack_archive(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> ArchiveOutcome:
    """Every file of the archive and of the archives inside it, or the reason for refusing."""
    budget = _Budget(limits)
    outcome = ArchiveOutcome()
    try:
        outcome.files = _unpack(name, data, name, 1, budget, outcome.problems)
    except Refused as refusal:
        return ArchiveOutcome(failure=refusal.failure, refused=True, problems=outcome.problems,
                              encrypted_entries=refusal.entries)
    except Unreadable as broken:
        return ArchiveOutcome(failure=broken.failure, problems=outcome.problems)
    except Exception as error:  # a damaged archive a library did not expect: data, not a crash
        failure = Failure.of("archive_unreadable", archive=name, error=_message(error))
        return ArchiveOutcome(failure=failure, problems=outcome.problems)
    return outcome


# --- common walk ------------------------------------------------------------------------


@dataclass
class Entry:
    """One member as listed, before its bytes are read."""

    name: str  # decoded path inside this archive, "/"-separated
    size: int  # declared unpacked size, -1 when unknown
    packed: int  # declared packed size, -1 when unknown (solid archives)
    encrypted: bool = False
    link: bool = False
    directory: bool = False
    key: object = None  # the reader's own handle


class _Budget:
    """Bytes and files left for one attachment, shared by the archives nested in it."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.bytes = 0
        self.files = 0

    def add_files(self, count: int, where: str) -> None:
        self.files += count
        if self.files > self.limits.entries:
            raise Refused("archive_too_many_files", archive=where, limit="entries",
                          limit_value=self.limits.entries)

    def add_bytes(self, count: int, where: str) -> None:
        self.bytes += count
        if self.bytes > self.limits.unpacked_bytes:
            raise Refused("archive_too_large", archive=where, limit="unpacked_bytes",
                          limit_value=self.limits.unpacked_bytes)


def _unpack(name: str, data: bytes, prefix: str, depth: int, budget: _Budget,
            problems: list[Failure]) -> list[UnpackedFile]:
    kind = archive_format(data)
    opener = _OPENERS.get(kind or "")
    if opener is None:
        raise Unreadable("not_an_archive", archive=prefix)
    with opener(data, prefix) as archive:
        entries = archive.entries(problems)
        if not entries:  # a rar reader given garbage after the magic lists nothing at all
            raise Unreadable("empty_archive", archive=prefix)
        files = [entry for entry in entries if not entry.directory and entry.name]
        _check_paths(entries, prefix)
        _check_entries(files, prefix, len(data), budget)
        unpacked: list[UnpackedFile] = []
        for entry, content in archive.read(files, budget):
            unpacked += _unpacked(entry, content, prefix, depth, budget, problems)
    return unpacked


def _check_paths(entries: list[Entry], prefix: str) -> None:
    """Links and paths leaving the folder, folders included."""
    for entry in entries:
        if entry.link:
            raise Refused("archive_link", entry=f"{prefix}/{entry.name}")
        reason = unsafe_path_reason(entry.name)
        if reason:
            raise Refused("archive_unsafe_path", archive=prefix, entry=entry.name, problem=reason)


def _check_entries(entries: list[Entry], prefix: str, packed_size: int, budget: _Budget) -> None:
    """Refusals decided from the listing alone, before anything is inflated."""
    limits = budget.limits
    budget.add_files(len(entries), prefix)
    locked = [entry.name.rsplit("/", 1)[-1] for entry in entries if entry.encrypted]
    if locked:
        raise Refused("encrypted_archive_entries", locked, archive=prefix, count=len(locked),
                      names=locked[:30], more=len(locked) > 30)
    for entry in entries:
        where = f"{prefix}/{entry.name}"
        inflated = entry.packed > 0 and entry.size > limits.compression_ratio * entry.packed
        if inflated and entry.size > RATIO_FLOOR:
            raise Refused("archive_entry_ratio", entry=where, ratio=entry.size // entry.packed,
                          limit="compression_ratio", limit_value=limits.compression_ratio)
    declared = sum(max(entry.size, 0) for entry in entries)
    if budget.bytes + declared > limits.unpacked_bytes:
        raise Refused("archive_declared_too_large", archive=prefix, actual=declared,
                      limit="unpacked_bytes", limit_value=limits.unpacked_bytes)
    if declared > RATIO_FLOOR and declared > limits.compression_ratio * max(packed_size, 1):
        raise Refused("archive_ratio", archive=prefix, ratio=declared // max(packed_size, 1),
                      limit="compression_ratio", limit_value=limits.compression_ratio)


def _unpacked(entry: Entry, content: bytes, prefix: str, depth: int, budget: _Budget,
              problems: list[Failure]) -> list[UnpackedFile]:
    path = f"{prefix}/{entry.name}"
    name = entry.name.rsplit("/", 1)[-1]
    if not is_archive(name, content):
        return [UnpackedFile(path, name, content)]
    if depth >= budget.limits.archive_depth:
        raise Refused("archive_too_deep", entry=path, limit="archive_depth",
                      limit_value=budget.limits.archive_depth)
    try:
        inner = _unpack(name, content, path, depth + 1, budget, problems)
    except Unreadable as broken:  # a damaged inner archive is kept as a file
        problems.append(broken.failure)
        return [UnpackedFile(path, name, content)]
    return [UnpackedFile(path, name, content, is_archive=True), *inner]


def unsafe_path_reason(name: str) -> Failure | None:
    """Why an entry path would leave the folder it is unpacked into, or None."""
    if name.startswith(("/", "\\")):
        return Failure.of("absolute_path")
    if re.match(r"^[A-Za-z]:", name):
        return Failure.of("drive_path")
    if any(part == ".." for part in re.split(r"[\\/]", name)):
        return Failure.of("parent_path")
    return None


def _entry_path(name: str) -> str:
    """The path as listed when it is unsafe (for the refusal to quote), else cleaned."""
    return name if unsafe_path_reason(name) else _clean_path(name)


def _clean_path(name: str) -> str:
    """'/'-separated, without empty or '.' components (the safety checks look at the raw name)."""
    parts = [part for part in re.split(r"[\\/]", name) if part not in ("", ".")]
    return "/".join(parts)


def _read_chunks(stream: IO[bytes], entry: Entry, where: str, budget: _Budget) -> bytes:
    """An entry's bytes, counted against the budget while they are inflated."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        total += len(chunk)
        budget.add_bytes(len(chunk), where)
        if entry.size >= 0 and total > entry.size:
            raise Refused("archive_entry_oversize", entry=where)
        chunks.append(chunk)
    return b"".join(chunks)


def _message(error: BaseException) -> str:
    """A library's error as the reason quotes it."""
    return f"{type(error).__name__}: {error}"


# --- zip --------------------------------------------------------------------------------


class ZipReader:
    def __init__(self, archive: zipfile.ZipFile, prefix: str) -> None:
        self.archive = archive
        self.prefix = prefix

    @classmethod
    @contextmanager
    def open(cls, data: bytes, prefix: str) -> Iterator[ZipReader]:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
            raise Unreadable("broken_zip", archive=prefix, error=str(error)) from error
        with archive:
            yield cls(archive, prefix)

    def entries(self, problems: list[Failure]) -> list[Entry]:
        infos = self.archive.infolist()
        raws = [_zip_raw_name(info) for info in infos]
        decoded = decode_legacy_names([raw for raw, _ in raws if raw is not None])
        legacy = iter(decoded)
        entries = []
        for info, (raw, text) in zip(infos, raws):
            if raw is not None:
                text = next(legacy)
                if text is None:
                    text = info.orig_filename
                    problems.append(Failure.of("undecodable_entry_name", archive=self.prefix, raw=repr(raw)))
            entries.append(_zip_entry(info, text or info.filename))
        return entries

    def read(self, entries: list[Entry], budget: _Budget) -> Iterator[tuple[Entry, bytes]]:
        for entry in entries:
            where = f"{self.prefix}/{entry.name}"
            try:
                with self.archive.open(entry.key) as stream:  # type: ignore[arg-type]
                    yield entry, _read_chunks(stream, entry, where, budget)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError,
                    NotImplementedError) as error:
                raise Unreadable("archive_entry_unreadable", entry=where, error=str(error)) from error


def _zip_raw_name(info: zipfile.ZipInfo) -> tuple[bytes | None, str | None]:
    """(raw bytes to decode, None) for a legacy name, (None, text) when the name is known."""
    if info.flag_bits & ZIP_UTF8:
        return None, info.filename
    unicode_path = _unicode_path_extra(info)
    if unicode_path is not None:
        return None, unicode_path
    return info.orig_filename.encode("cp437"), None


def _unicode_path_extra(info: zipfile.ZipInfo) -> str | None:
    """The Info-ZIP Unicode Path field (0x7075) that WinRAR and 7-Zip write, when it matches."""
    extra = info.extra
    position = 0
    while position + 4 <= len(extra):
        kind, length = struct.unpack_from("<HH", extra, position)
        body = extra[position + 4:position + 4 + length]
        position += 4 + length
        if kind != UNICODE_PATH_EXTRA or len(body) < 5 or body[0] != 1:
            continue
        (name_crc,) = struct.unpack_from("<I", body, 1)
        if name_crc != zlib.crc32(info.orig_filename.encode("cp437")):
            continue
        try:
            return body[5:].decode("utf-8")
        except UnicodeDecodeError:
            continue
    return None


def _zip_entry(info: zipfile.ZipInfo, name: str) -> Entry:
    mode = info.external_attr >> 16
    return Entry(
        name=_entry_path(name),
        size=info.file_size,
        packed=info.compress_size,
        encrypted=bool(info.flag_bits & ZIP_ENCRYPTED) or info.compress_type == ZIP_AES,
        link=stat.S_ISLNK(mode),
        directory=name.endswith(("/", "\\")),
        key=info,
    )


# --- 7z ---------------------------------------------------------------------------------


class SevenZipReader:
    def __init__(self, archive: Any, data: bytes, prefix: str) -> None:  # a py7zr.SevenZipFile
        self.archive = archive
        self.data = data
        self.prefix = prefix

    @classmethod
    @contextmanager
    def open(cls, data: bytes, prefix: str) -> Iterator[SevenZipReader]:
        import py7zr

        try:
            archive = py7zr.SevenZipFile(io.BytesIO(data), mode="r")
        except py7zr.exceptions.PasswordRequired as error:
            raise Refused("encrypted_archive_names", archive=prefix) from error
        except Exception as error:  # py7zr raises many kinds on damaged input
            raise Unreadable("broken_archive", archive=prefix, error=_message(error)) from error
        try:
            yield cls(archive, data, prefix)
        finally:
            archive.close()

    def entries(self, problems: list[Failure]) -> list[Entry]:
        encrypted = self.archive.needs_password()
        entries = []
        for item in self.archive.files:
            entries.append(Entry(
                name=_entry_path(item.filename),
                size=item.uncompressed if item.uncompressed is not None else -1,
                packed=-1,
                encrypted=encrypted,
                link=bool(item.is_symlink or item.is_junction),
                directory=bool(item.is_directory),
                key=item.filename,
            ))
        return entries

    def read(self, entries: list[Entry], budget: _Budget) -> Iterator[tuple[Entry, bytes]]:
        factory = _CountingFactory(budget, self.prefix)
        wanted = {str(entry.key) for entry in entries}
        try:
            self.archive.extract(targets=wanted, factory=factory)
        except (Refused, Unreadable):
            raise
        except Exception as error:
            raise Unreadable("archive_not_unpacked", archive=self.prefix, error=_message(error)) from error
        by_name = factory.outputs()
        keys = _seven_zip_output_keys([str(entry.key) for entry in entries])
        for entry, key in zip(entries, keys):
            data = by_name.get(key, b"")
            if entry.size >= 0 and len(data) > entry.size:
                raise Refused("archive_entry_oversize", entry=f"{self.prefix}/{entry.name}")
            yield entry, data


def _counting_writer_class() -> type:
    from py7zr.io import Py7zIO

    class CountingWriter(Py7zIO):
        """Keeps what py7zr inflates, counting it against the budget as it comes."""

        def __init__(self, filename: str, budget: _Budget, where: str) -> None:
            self.filename = filename
            self.budget = budget
            self.where = where
            self.buffer = io.BytesIO()

        def write(self, s: bytes | bytearray) -> int:
            self.budget.add_bytes(len(s), self.where)
            return self.buffer.write(s)

        def read(self, size: int | None = None) -> bytes:
            return self.buffer.read(size)

        def seek(self, offset: int, whence: int = 0) -> int:
            return self.buffer.seek(offset, whence)

        def flush(self) -> None:
            return None

        def size(self) -> int:
            return self.buffer.getbuffer().nbytes

    return CountingWriter


class _CountingFactory:
    """A py7zr WriterFactory whose writers count bytes against the budget."""

    def __init__(self, budget: _Budget, prefix: str) -> None:
        self.budget = budget
        self.prefix = prefix
        self.writers: dict[str, object] = {}
        self.writer_class = _counting_writer_class()

    def create(self, filename: str) -> object:
        writer = self.writer_class(filename, self.budget, f"{self.prefix}/{filename}")
        self.writers[filename] = writer
        return writer

    def outputs(self) -> dict[str, bytes]:
        return {name: writer.buffer.getvalue()  # type: ignore[attr-defined]
                for name, writer in self.writers.items()}


def _seven_zip_output_keys(filenames: list[str]) -> list[str]:
    """The names py7zr gives its writers: duplicates get _0, _1…, then it sanitizes them."""
    from py7zr.helpers import get_sanitized_output_path

    seen: dict[str, int] = {}
    keys = []
    for filename in filenames:
        if filename in seen:
            outname = f"{filename}_{seen[filename]}"
            seen[filename] += 1
        else:
            outname = filename
            seen[filename] = 0
        keys.append(get_sanitized_output_path(outname, None).as_posix())
    return keys


# --- rar --------------------------------------------------------------------------------


class RarReader:
    """Through ``rarfile``: headers read in Python, compressed data through unrar or unar."""

    def __init__(self, archive: Any, prefix: str) -> None:  # a rarfile.RarFile
        self.archive = archive
        self.prefix = prefix

    @classmethod
    @contextmanager
    def open(cls, data: bytes, prefix: str) -> Iterator[RarReader]:
        with tempfile.TemporaryDirectory(prefix="intake-rar-") as folder:
            path = os.path.join(folder, "archive.rar")
            with open(path, "wb") as file:
                file.write(data)
            with cls._opened(path, prefix) as reader:
                yield reader

    @classmethod
    @contextmanager
    def _opened(cls, path: str, prefix: str) -> Iterator[RarReader]:
        """From a file on disk: rarfile then extracts one entry at a time without its name."""
        import rarfile

        try:
            archive = rarfile.RarFile(path)
        except (rarfile.PasswordRequired, rarfile.RarWrongPassword) as error:
            raise Refused("encrypted_archive_names", archive=prefix) from error
        except rarfile.NeedFirstVolume as error:
            raise Unreadable("archive_volume", archive=prefix) from error
        except Exception as error:
            raise Unreadable("broken_archive", archive=prefix, error=_message(error)) from error
        try:
            if archive.needs_password() and not archive.infolist():
                raise Refused("encrypted_archive", archive=prefix)
            yield cls(archive, prefix)
        finally:
            archive.close()

    def entries(self, problems: list[Failure]) -> list[Entry]:
        import rarfile

        infos = self.archive.infolist()
        legacy = [info for info in infos if _rar_legacy_name(info, rarfile)]
        decoded = dict(zip(map(id, legacy), decode_legacy_names([i.orig_filename for i in legacy])))
        entries = []
        for info in infos:
            name = decoded.get(id(info)) or info.filename
            if id(info) in decoded and decoded[id(info)] is None:
                name = info.orig_filename.decode("cp437")  # readable, never U+FFFD
                problems.append(Failure.of("undecodable_entry_name", archive=self.prefix,
                                               raw=repr(info.orig_filename)))
            entries.append(Entry(
                name=_entry_path(name),
                size=info.file_size if info.file_size is not None else -1,
                packed=info.compress_size if info.compress_size is not None else -1,
                encrypted=bool(info.needs_password()),
                link=bool(info.is_symlink() or getattr(info, "file_redir", None)),
                directory=bool(info.is_dir()),
                key=info,
            ))
        return entries

    def read(self, entries: list[Entry], budget: _Budget) -> Iterator[tuple[Entry, bytes]]:
        import rarfile

        for entry in entries:
            where = f"{self.prefix}/{entry.name}"
            try:
                with self.archive.open(entry.key) as stream:
                    data = _read_chunks(stream, entry, where, budget)
            except (Refused, Unreadable):
                raise
            except rarfile.RarCannotExec as error:
                raise Unreadable("unrar_missing", entry=where) from error
            except Exception as error:
                raise Unreadable("archive_entry_unreadable", entry=where, error=_message(error)) from error
            yield entry, data


def _rar_legacy_name(info: object, rarfile: object) -> bool:
    """A RAR 2/3 name stored in the creator's code page (no Unicode flag)."""
    if not isinstance(info, rarfile.Rar3Info):  # type: ignore[attr-defined]
        return False
    return not (info.flags & rarfile.RAR_FILE_UNICODE)  # type: ignore[attr-defined]


# Each format's reader, opened on the archive's bytes (a context manager of the reader).
_OPENERS: dict[str, Callable[[bytes, str], AbstractContextManager[ZipReader | SevenZipReader | RarReader]]] = {
    "zip": ZipReader.open, "7z": SevenZipReader.open, "rar": RarReader.open}
