"""The office mailbox (hykxxhb@163.com), read over IMAP: every new message kept once.

NetEase refuses SELECT with "Unsafe Login" from clients that did not identify themselves
with the RFC 2971 ID command, so ID goes right after LOGIN and before the folder is
opened. The folder is opened read-only (EXAMINE) and bodies are read with BODY.PEEK[], so
nothing on the server changes - not even the \\Seen flag - unless `move_processed_to`
asks for processed mail to be moved.

Which messages are new is decided by the ledger (the store's `mailbox_uids`): folder,
UIDVALIDITY and UID of every message taken. Each message is fetched alone (memory stays
at one message however large the mailbox) and kept by `Store.keep_message` before
anything else happens to it; its ledger row is written in the same transaction, so a
crash at any point costs at most one re-fetch of bytes already kept under the same
SHA-256. When the server renumbers the folder (a new UIDVALIDITY) every UID is looked at
again, and messages already kept - same SHA-256, or same Message-ID as before the
renumbering - are skipped.

Network trouble is retried with exponential backoff and, when it persists, reported in
`FetchResult.error`; `fetch_new_messages` does not raise for it.
"""

from __future__ import annotations

import base64
import hashlib
import imaplib
import logging
import re
import ssl
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from pathlib import Path

from pipeline.store.database import Store

log = logging.getLogger(__name__)

# Sent after LOGIN: NetEase wants to know the client before it allows SELECT/EXAMINE.
CLIENT_ID = '("name" "hengyang-intake" "version" "0.1" "vendor" "hengyang-kx")'
SECURITY_MODES = ("ssl", "starttls")
HEADER_BATCH = 200  # UIDs per Message-ID lookup when the folder was renumbered


class MailboxConfigError(ValueError):
    """The settings cannot work (no authorization code, unknown security mode...)."""


class ConnectionLost(Exception):
    """The network failed (refused, reset, timed out, TLS broken): worth another try."""


class MailboxRefused(Exception):
    """The server answered NO/BAD, or its certificate is wrong: another try won't help."""


class LoginRefused(MailboxRefused):
    """LOGIN answered NO (a wrong account or 授权码); the text holds the server's words."""


@dataclass(frozen=True)
class MailboxSettings:
    host: str
    user: str
    port: int = 993
    folder: str = "INBOX"
    security: str = "ssl"  # "ssl": TLS from the first byte; "starttls": upgraded, never plain
    ca_file: Path | None = None  # trust only this CA (the tests' own); None: the system's
    move_processed_to: str | None = None  # None: the server's mail is never changed
    timeout: float = 60.0  # seconds a socket operation may block
    secret_block: str | None = None  # a Prefect Secret block holding the 授权码
    # The 授权码 itself, or a function reading the Secret block. Kept out of repr().
    # (pipeline/ must not import Prefect: the flows layer passes the reader in.)
    password: str | None = field(default=None, repr=False)
    secret_loader: Callable[[str], str] | None = field(default=None, repr=False,
                                                       compare=False)

    def __post_init__(self) -> None:
        if self.security not in SECURITY_MODES:
            raise MailboxConfigError(f"INTAKE_IMAP_SECURITY 只能是 ssl 或 starttls，"
                                     f"而不是“{self.security}”")

    @classmethod
    def from_env(cls, env: Mapping[str, str],
                 secret_loader: Callable[[str], str] | None = None) -> MailboxSettings | None:
        """Settings from the INTAKE_IMAP_* variables of ``env`` (the run's configuration
        hands its environment over); None when INTAKE_IMAP_HOST is unset.

        The 授权码 comes from INTAKE_IMAP_PASSWORD, or else from the Prefect Secret block
        named by INTAKE_IMAP_SECRET_BLOCK (read by `secret_loader` when fetching) - never
        from a file in the repository.
        """
        host = env.get("INTAKE_IMAP_HOST", "").strip()
        if not host:
            return None
        user = env.get("INTAKE_IMAP_USER", "").strip()
        if not user:
            raise MailboxConfigError("已设置 INTAKE_IMAP_HOST，但缺少 INTAKE_IMAP_USER（邮箱账号）")
        security = env.get("INTAKE_IMAP_SECURITY", "ssl").strip().lower() or "ssl"
        port = env.get("INTAKE_IMAP_PORT", "").strip()
        if port and not port.isdigit():
            raise MailboxConfigError(f"INTAKE_IMAP_PORT 应为端口号，而不是“{port}”")
        ca_file = env.get("INTAKE_IMAP_CA_FILE", "").strip()
        return cls(host=host, user=user, security=security,
                   port=int(port) if port else (993 if security == "ssl" else 143),
                   folder=env.get("INTAKE_IMAP_FOLDER", "").strip() or "INBOX",
                   ca_file=Path(ca_file) if ca_file else None,
                   move_processed_to=env.get("INTAKE_IMAP_MOVE_TO", "").strip() or None,
                   secret_block=env.get("INTAKE_IMAP_SECRET_BLOCK", "").strip() or None,
                   password=env.get("INTAKE_IMAP_PASSWORD") or None,
                   secret_loader=secret_loader)

    def resolve_password(self) -> str:
        """The 授权码: given directly (INTAKE_IMAP_PASSWORD), else read from the block."""
        if self.password:
            return self.password
        if self.secret_block and self.secret_loader is None:
            raise MailboxConfigError(f"已设置 INTAKE_IMAP_SECRET_BLOCK（{self.secret_block}），"
                                     "但没有提供读取 Prefect Secret 的函数")
        if self.secret_block and self.secret_loader is not None:
            try:
                return self.secret_loader(self.secret_block)
            except Exception as exc:  # whatever Prefect raises: reported, like a refusal
                raise MailboxConfigError(f"读取 Prefect Secret“{self.secret_block}”失败："
                                         f"{exc}") from exc
        raise MailboxConfigError("未配置邮箱授权码：请设置环境变量 INTAKE_IMAP_PASSWORD"
                                 " 或 INTAKE_IMAP_SECRET_BLOCK")

    def ssl_context(self) -> ssl.SSLContext:
        """Certificate and host name verified; against `ca_file` alone when given."""
        return ssl.create_default_context(cafile=str(self.ca_file) if self.ca_file else None)


@dataclass
class FetchResult:
    fetched: int = 0  # messages kept for the first time
    skipped: int = 0  # messages already kept (same SHA-256, or renumbered Message-ID)
    uidvalidity: int = 0  # 0 when the folder was never opened
    error: str | None = None  # in Chinese, for the report; None when the fetch completed
    moved: int = 0  # messages moved to `move_processed_to`


# --- the fetch ------------------------------------------------------------------------


def fetch_new_messages(settings: MailboxSettings, store: Store, run_id: int, attempts: int = 4,
                       backoff: float = 2.0,
                       sleep: Callable[[float], None] = time.sleep) -> FetchResult:
    """Keep every message of the folder not taken yet; retry network trouble.

    Waits backoff, 2×backoff, 4×backoff... seconds between attempts. Each attempt resumes
    from the ledger, so messages kept before a dropped connection are not fetched again.
    Errors of the store (a full disk, a crash) are not network trouble: they propagate.
    """
    result, attempts = FetchResult(), max(1, attempts)
    try:
        password = settings.resolve_password()
    except MailboxConfigError as exc:
        result.error = str(exc)
        return result
    failure: ConnectionLost | None = None
    for attempt in range(1, attempts + 1):
        try:
            _fetch_in_session(settings, password, store, run_id, result)
            log.info("邮箱 %s/%s：新收 %d 封，跳过 %d 封", settings.user, settings.folder,
                     result.fetched, result.skipped)
            return result
        except LoginRefused as exc:
            result.error = str(exc)
            return result
        except MailboxRefused as exc:
            result.error = f"读取邮箱失败：{exc}"
            return result
        except ConnectionLost as exc:
            failure = exc
            log.warning("连接邮箱失败（第%d次，共%d次）：%s", attempt, attempts, exc)
            if attempt < attempts:
                sleep(backoff * 2 ** (attempt - 1))
    result.error = f"连接邮箱失败（已尝试{attempts}次）：{failure}"
    return result


def _fetch_in_session(settings: MailboxSettings, password: str, store: Store, run_id: int,
                      result: FetchResult) -> None:
    """One connection: LOGIN, ID, open the folder, take every UID above the ledger's."""
    session = ImapSession.connect(settings)
    try:
        session.login(settings.user, password)
        session.identify()
        folder, destination = settings.folder, settings.move_processed_to
        moving = destination is not None
        uidvalidity = session.open_folder(folder, writable=moving)
        result.uidvalidity = uidvalidity
        last = store.last_mailbox_uid(folder, uidvalidity)
        if destination is not None:
            # Moved after the ledger row was committed: a crash in between leaves them here.
            result.moved += session.move(session.uids_up_to(last), destination)
        uids = session.uids_above(last)
        renumbered = bool(store.mailbox_uidvalidities(folder) - {uidvalidity})
        known_ids = session.message_ids(uids) if renumbered else {}
        for uid in uids:
            outcome = _take_message(session, store, run_id, folder, uidvalidity, uid,
                                    known_ids.get(uid))
            result.fetched += outcome == "fetched"
            result.skipped += outcome == "skipped"
            if destination is not None and outcome != "gone":
                result.moved += session.move([uid], destination)
    finally:
        session.close()


def _take_message(session: ImapSession, store: Store, run_id: int, folder: str,
                  uidvalidity: int, uid: int, message_id: str | None) -> str:
    """Keep one message and record its UID, in one transaction: "fetched", "skipped" or
    "gone" (expunged by someone else since the search)."""
    if message_id:
        earlier = store.mailbox_message_sha(folder, message_id, uidvalidity)
        if earlier:  # the same message before the renumbering: its bytes are not needed
            with store.transaction():
                store.record_mailbox_uid(folder, uidvalidity, uid, earlier, message_id)
            return "skipped"
    raw = session.fetch_message(uid)
    if raw is None:
        return "gone"
    known = store.has_message(hashlib.sha256(raw).hexdigest())
    with store.transaction():
        sha = store.keep_message(raw, f"imap:{folder}:{uidvalidity}:{uid}", run_id)
        store.record_mailbox_uid(folder, uidvalidity, uid, sha, message_id_of(raw))
    return "skipped" if known else "fetched"


# --- the IMAP conversation --------------------------------------------------------------


@contextmanager
def network(action: str) -> Iterator[None]:
    """Sort what imaplib raises: network trouble (retried) from refusals (reported)."""
    try:
        yield
    except ssl.SSLCertVerificationError as exc:
        raise MailboxRefused(f"{action}：服务器证书校验失败（{exc.verify_message}）") from exc
    except (OSError, EOFError, imaplib.IMAP4.abort) as exc:
        raise ConnectionLost(f"{action}：{_describe(exc)}") from exc
    except imaplib.IMAP4.error as exc:
        raise MailboxRefused(f"{action}：{_describe(exc)}") from exc


def _describe(exc: BaseException) -> str:
    """The server's words when it gave some (imaplib passes them on as bytes)."""
    if exc.args and isinstance(exc.args[-1], bytes):
        return exc.args[-1].decode("utf-8", errors="replace")
    return str(exc) or type(exc).__name__


def _ok(answer: tuple[str, list], action: str) -> list:
    status, data = answer
    if status != "OK":
        detail = b" ".join(d for d in data if isinstance(d, bytes)).decode(errors="replace")
        raise MailboxRefused(f"{action}：{status} {detail}".strip())
    return data


class ImapSession:
    """One imaplib connection, every call sorted by `network`."""

    def __init__(self, connection: imaplib.IMAP4):
        self.imap = connection
        self._move_capabilities: set[bytes] | None = None  # asked once, when first moving

    @classmethod
    def connect(cls, settings: MailboxSettings) -> ImapSession:
        context = settings.ssl_context()
        with network(f"连接 {settings.host}:{settings.port}"):
            if settings.security == "ssl":
                return cls(imaplib.IMAP4_SSL(settings.host, settings.port, ssl_context=context,
                                             timeout=settings.timeout))
            connection = imaplib.IMAP4(settings.host, settings.port, timeout=settings.timeout)
            try:
                connection.starttls(ssl_context=context)  # no STARTTLS: refused, never plain
            except BaseException:
                connection.shutdown()
                raise
            return cls(connection)

    def login(self, user: str, password: str) -> None:
        """A refused login (a wrong 授权码) is final, in the server's own words: trying
        again for minutes would not change the password."""
        try:
            with network(f"登录 {user}"):
                self.imap.login(user, password)
        except MailboxRefused as exc:
            words = str(exc).split("：", 1)[-1]
            raise LoginRefused(f"邮箱拒绝登录（请检查账号和授权码）：{words}") from exc

    def identify(self) -> None:
        """RFC 2971 ID, before any SELECT: NetEase's condition for opening folders."""
        try:
            with network("发送 ID 命令"):
                _ok(self.imap.xatom("ID", CLIENT_ID), "发送 ID 命令")
        except MailboxRefused as exc:
            # A server without ID may still serve us; NetEase would refuse the EXAMINE.
            log.warning("IMAP ID 未被接受：%s", exc)

    def open_folder(self, folder: str, writable: bool) -> int:
        """EXAMINE (read-only) the folder, or SELECT it when mail is to be moved; its
        UIDVALIDITY."""
        action = f"打开文件夹“{folder}”"
        with network(action):
            _ok(self.imap.select(mailbox_name(folder), readonly=not writable), action)
            _, values = self.imap.response("UIDVALIDITY")
        if not values or values[0] is None:
            raise MailboxRefused(f"{action}：服务器没有给出 UIDVALIDITY")
        return int(values[0])

    def uids_above(self, last: int) -> list[int]:
        # "n:*" always matches the highest UID, even below n: filter again.
        return [uid for uid in self._search(f"UID {last + 1}:*") if uid > last]

    def uids_up_to(self, last: int) -> list[int]:
        return self._search(f"UID 1:{last}") if last else []

    def _search(self, criteria: str) -> list[int]:
        with network("查找邮件"):
            data = _ok(self.imap.uid("SEARCH", criteria), "查找邮件")
        return sorted(int(n) for chunk in data if chunk for n in chunk.split())

    def fetch_message(self, uid: int) -> bytes | None:
        """The whole message, byte for byte, without setting \\Seen; None if gone."""
        action = f"读取邮件 UID {uid}"
        with network(action):
            data = _ok(self.imap.uid("FETCH", str(uid), "(BODY.PEEK[])"), action)
        literals = fetched_literals(data)
        if uid not in literals:
            log.warning("邮件 UID %d 已不在服务器上（读取前被删除或移走）", uid)
        return literals.get(uid)

    def message_ids(self, uids: list[int]) -> dict[int, str]:
        """UID → Message-ID, headers only, in batches: the rescan after a renumbering
        downloads no body it already has."""
        found: dict[int, str] = {}
        for start in range(0, len(uids), HEADER_BATCH):
            batch = ",".join(map(str, uids[start:start + HEADER_BATCH]))
            with network("读取邮件头"):
                data = _ok(self.imap.uid(
                    "FETCH", batch, "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])"), "读取邮件头")
            for uid, header in fetched_literals(data).items():
                if message_id := message_id_of(header):
                    found[uid] = message_id
        return found

    def move(self, uids: list[int], destination: str) -> int:
        """UID MOVE where the server has it; else COPY, flag \\Deleted and expunge those
        UIDs alone (UIDPLUS) - a plain EXPUNGE could remove mail others marked."""
        if not uids:
            return 0
        action, target = f"移动邮件到“{destination}”", mailbox_name(destination)
        numbers = ",".join(map(str, uids))
        with network(action):
            if self._move_capabilities is None:
                self.imap.create(target)  # NO when it exists already: fine
                # After LOGIN: the greeting's list may lack what the account can do.
                answer = _ok(self.imap.capability(), action)[0]
                self._move_capabilities = set(answer.upper().split())
            capabilities = self._move_capabilities
            if b"MOVE" in capabilities:
                _ok(self.imap.uid("MOVE", numbers, target), action)
                return len(uids)
            _ok(self.imap.uid("COPY", numbers, target), action)
            _ok(self.imap.uid("STORE", numbers, "+FLAGS.SILENT", r"(\Deleted)"), action)
            if b"UIDPLUS" in capabilities:
                _ok(self.imap._simple_command("UID", "EXPUNGE", numbers), action)
        return len(uids)

    def close(self) -> None:
        """LOGOUT; a connection already gone is simply closed."""
        try:
            self.imap.logout()
        except (OSError, EOFError, imaplib.IMAP4.error):
            try:
                self.imap.shutdown()
            except OSError:
                pass


# --- IMAP details -------------------------------------------------------------------------

_UID = re.compile(rb"\bUID (\d+)")


def fetched_literals(data: list) -> dict[int, bytes]:
    """UID → literal of a UID FETCH answer, wherever the server put "UID n": before the
    literal (b'1 (UID 7 BODY[] {12}', b'...') or after it (b' UID 7)')."""
    found: dict[int, bytes] = {}
    for index, item in enumerate(data):
        if not isinstance(item, tuple):
            continue
        match = _UID.search(item[0])
        if match is None and index + 1 < len(data) and isinstance(data[index + 1], bytes):
            match = _UID.search(data[index + 1])
        if match is not None:
            found[int(match.group(1))] = item[1]
    return found


def message_id_of(raw: bytes) -> str | None:
    """The Message-ID, read from the header block only.

    >>> message_id_of(b"Subject: x\\r\\nMessage-ID:\\r\\n <a@b.c>\\r\\n\\r\\nbody")
    '<a@b.c>'
    >>> message_id_of(b"Subject: x\\n\\nMessage-ID: <in@body>") is None
    True
    """
    end = min((i for i in (raw.find(b"\r\n\r\n"), raw.find(b"\n\n")) if i >= 0),
              default=len(raw))
    value = BytesHeaderParser().parsebytes(raw[:end] + b"\r\n\r\n").get("Message-ID")
    if value is None:
        return None
    return " ".join(str(value).split()) or None  # unfolded: the same ID however wrapped


def mailbox_name(folder: str) -> str:
    """A folder name as IMAP wants it: modified UTF-7 (RFC 3501 5.1.3), quoted.

    >>> mailbox_name("INBOX"), mailbox_name("已处理"), mailbox_name('A&B "x"')
    ('"INBOX"', '"&XfJZBHQG-"', '"A&-B \\\\"x\\\\""')
    """
    encoded: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            data = base64.b64encode("".join(pending).encode("utf-16-be")).rstrip(b"=")
            encoded.append("&" + data.replace(b"/", b",").decode("ascii") + "-")
            pending.clear()

    for char in folder:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            encoded.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    text = "".join(encoded)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
