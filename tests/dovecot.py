"""A private Dovecot IMAP server on loopback, for the mail-intake tests and the benchmark.

Everything lives in one temporary directory: a throwaway CA and server certificate made
with openssl, the configuration, a passwd-file, the maildirs, the runtime sockets and
the log. The server runs in the foreground (`dovecot -F -c <conf>`) as our child process
on free ports of 127.0.0.1, so it never touches the system's Dovecot. The log records
the client's ID and every command in order (`sessions` reads it back).

    with DovecotServer.start() as server:
        user = server.add_user()
        server.append(user, raw_message)
        settings = server.settings(user)   # a MailboxSettings for pipeline.sources.mailbox
"""

from __future__ import annotations

import ctypes
import imaplib
import itertools
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.sources.mailbox import MailboxSettings

PASSWORD = "test-authorization-code"  # the tests' stand-in for a 163.com 授权码

# Dovecot refuses to run mail processes as root, so mailboxes belong to `nobody`. That is
# also why the server directory is made under /tmp rather than pytest's tmp_path: the
# latter sits below root-only (0700) directories that `nobody` cannot enter.
MAIL_USER = "nobody"

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
debug_log_path = {root}/dovecot.log
mail_location = maildir:{root}/mail/%u
ssl = required
ssl_cert = <{root}/tls/server.crt
ssl_key = <{root}/tls/server.key
auth_mechanisms = plain login
# A test logs in with a wrong code on purpose: answer at once.
auth_failure_delay = 0
# The client's ID is logged ("ID sent: name=..."), and every command once it finished,
# in order, with the session's id: the tests read that ID came before EXAMINE.
imap_id_log = *
log_debug = event=imap_command_finished
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
# The passwd-file lies in a root-only directory: auth runs as root to read it.
service auth {{
  user = root
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
"""


USERS = 200  # passwd-file entries; each test takes a fresh one


def user_name(number: int) -> str:
    return f"user{number}@163.test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def make_certificates(directory: Path) -> Path:
    """A throwaway CA and a server certificate for 127.0.0.1 and localhost; the CA file."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    ca_key, ca_crt = directory / "ca.key", directory / "ca.crt"
    key, csr, crt = directory / "server.key", directory / "server.csr", directory / "server.crt"
    extensions = directory / "server.ext"
    extensions.write_text(
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\n"
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
        "subjectKeyIdentifier=hash\n"
        "authorityKeyIdentifier=keyid\n")
    new_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    _openssl("req", "-x509", *new_key, "-keyout", ca_key, "-out", ca_crt, "-days", "2",
             "-subj", "/CN=intake test CA", "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    _openssl("req", "-new", *new_key, "-keyout", key, "-out", csr, "-subj", "/CN=localhost")
    _openssl("x509", "-req", "-in", csr, "-CA", ca_crt, "-CAkey", ca_key, "-CAcreateserial",
             "-out", crt, "-days", "2", "-extfile", extensions)
    return ca_crt


def _stop_with_parent() -> None:
    """In the child before exec: SIGTERM when the test process dies, even if killed, so
    no Dovecot outlives an interrupted test run (Linux prctl PR_SET_PDEATHSIG)."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


def _openssl(*args: object) -> None:
    subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True, timeout=60)


@dataclass
class DovecotServer:
    root: Path
    imaps_port: int
    imap_port: int
    ca_file: Path
    process: subprocess.Popen | None = None
    _numbers: itertools.count = field(default_factory=lambda: itertools.count(1))

    # --- life cycle -------------------------------------------------------------------

    @classmethod
    def start(cls) -> DovecotServer:
        """A configured, running server in a new directory."""
        if shutil.which("dovecot") is None or shutil.which("openssl") is None:
            raise RuntimeError("dovecot or openssl missing: run scripts/setup.sh "
                               "(Debian packages dovecot-imapd, openssl)")
        if os.geteuid() != 0:
            raise RuntimeError("the test Dovecot runs as root (it switches mail to nobody)")
        root = Path(tempfile.mkdtemp(prefix="intake-dovecot-"))
        os.chmod(root, 0o711)  # `nobody` must reach mail/; nothing else is listable
        try:
            server = cls(root, free_port(), free_port(), make_certificates(root / "tls"))
            server.write_config()
            server.run()
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise
        return server

    @property
    def config(self) -> Path:
        return self.root / "dovecot.conf"

    @property
    def log(self) -> Path:
        return self.root / "dovecot.log"

    def write_config(self) -> None:
        mail_user = pwd.getpwnam(MAIL_USER)
        (self.root / "run").mkdir(mode=0o755, exist_ok=True)  # Dovecot wants it readable
        (self.root / "state").mkdir(mode=0o700, exist_ok=True)
        for name in ("mail", "home"):
            (self.root / name).mkdir(mode=0o700, exist_ok=True)
            os.chown(self.root / name, mail_user.pw_uid, mail_user.pw_gid)
        # All users up front: Dovecot re-reads a changed passwd-file at most once a second.
        (self.root / "passwd").touch(mode=0o600)
        (self.root / "passwd").write_text("".join(
            f"{user_name(n)}:{{PLAIN}}{PASSWORD}::::::\n" for n in range(1, USERS + 1)))
        self.config.write_text(CONFIG.format(
            root=self.root, uid=mail_user.pw_uid, gid=mail_user.pw_gid,
            imap_port=self.imap_port, imaps_port=self.imaps_port))

    def run(self) -> None:
        """Start `dovecot -F` and wait until the IMAPS port accepts connections."""
        self.process = subprocess.Popen(["dovecot", "-F", "-c", str(self.config)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        preexec_fn=_stop_with_parent)
        deadline = time.monotonic() + 20
        while not self.accepting():
            if self.process.poll() is not None or time.monotonic() > deadline:
                errors = self.process.stderr.read().decode(errors="replace") \
                    if self.process.poll() is not None else "timed out"
                self.stop()
                raise RuntimeError(f"Dovecot did not start: {errors}\n{self.log_text()}")
            time.sleep(0.05)

    def accepting(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.imaps_port), timeout=1):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        """Stop the server; the directory stays until `remove` (a restart reuses it)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()
        self.process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> DovecotServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    # --- users and their mail ---------------------------------------------------------

    def add_user(self) -> str:
        """A mailbox owner no one used yet, with an empty INBOX."""
        number = next(self._numbers)
        if number > USERS:
            raise RuntimeError(f"the test server has {USERS} users; raise USERS")
        return user_name(number)

    def settings(self, user: str, **changes: object) -> MailboxSettings:
        options: dict = dict(host="127.0.0.1", port=self.imaps_port, user=user,
                             password=PASSWORD, ca_file=self.ca_file)
        return MailboxSettings(**(options | changes))

    def connect(self, user: str) -> imaplib.IMAP4_SSL:
        """A logged-in session of our own, to prepare and inspect mailboxes."""
        context = ssl.create_default_context(cafile=str(self.ca_file))
        connection = imaplib.IMAP4_SSL("127.0.0.1", self.imaps_port, ssl_context=context,
                                       timeout=30)
        connection.login(user, PASSWORD)
        return connection

    def append(self, user: str, *messages: bytes, folder: str = "INBOX") -> None:
        """Deliver messages the way a client saves them: IMAP APPEND, in order."""
        connection = self.connect(user)
        try:
            for raw in messages:
                status, detail = connection.append(folder, None, None, raw)
                assert status == "OK", detail
        finally:
            connection.logout()

    def create_folder(self, user: str, folder: str) -> None:
        connection = self.connect(user)
        try:
            connection.create(folder)
        finally:
            connection.logout()

    def deliver(self, user: str, messages: list[bytes] | itertools.chain) -> int:
        """Drop messages straight into the maildir's new/, as an MDA does: fast, for the
        benchmark. Dovecot gives them UIDs when the mailbox is next opened."""
        mail_user = pwd.getpwnam(MAIL_USER)
        maildir = self.root / "mail" / user
        for part in ("", "new", "cur", "tmp"):
            (maildir / part).mkdir(mode=0o700, exist_ok=True)
            os.chown(maildir / part, mail_user.pw_uid, mail_user.pw_gid)
        count = 0
        for count, raw in enumerate(messages, start=1):
            name = f"{time.time_ns()}.M{count}P{os.getpid()}.intake-test"
            temporary = maildir / "tmp" / name
            temporary.write_bytes(raw)
            os.chown(temporary, mail_user.pw_uid, mail_user.pw_gid)
            os.replace(temporary, maildir / "new" / name)
        return count

    def uids_and_flags(self, user: str, folder: str = "INBOX") -> dict[int, str]:
        """UID → FLAGS of every message, read without changing anything (EXAMINE)."""
        connection = self.connect(user)
        try:
            connection.select(f'"{folder}"', readonly=True)
            _, data = connection.uid("FETCH", "1:*", "(FLAGS)")
        finally:
            connection.logout()
        result = {}
        for item in data:
            if not item:
                continue
            text = item.decode() if isinstance(item, bytes) else item[0].decode()
            uid = int(text.split("UID ", 1)[1].split()[0].rstrip(")"))
            result[uid] = text.split("FLAGS (", 1)[1].split(")", 1)[0]
        return result

    def set_uidvalidity(self, user: str, value: int, folder: str = "INBOX") -> None:
        """What a server does after it rebuilt its index: a new UIDVALIDITY."""
        self.doveadm("mailbox", "update", "-u", user, "--uid-validity", str(value), folder)

    def kick(self, user: str) -> None:
        """Drop every connection of the user, as a server restart or a NAT timeout would;
        returns once the server no longer lists one (the client's next command fails)."""
        self.doveadm("kick", user)
        deadline = time.monotonic() + 10
        while user in self.doveadm("who") and time.monotonic() < deadline:
            time.sleep(0.02)

    def doveadm(self, *args: str) -> str:
        done = subprocess.run(["doveadm", "-c", str(self.config), *args], capture_output=True,
                              text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"doveadm {' '.join(args)} failed: {done.stderr}")
        return done.stdout

    def sessions(self, user: str) -> dict[str, list[str]]:
        """The log's lines about each IMAP session of the user, in order, by session id:
        the login, "ID sent: ...", then "Command finished: <command>" for each command."""
        pattern = re.compile(rf"(?:imap\({re.escape(user)}\)<\d+><([^>]+)>: (.*)"
                             rf"|imap-login: Info: (Login: user=<{re.escape(user)}>.*"
                             rf"session=<([^>]+)>.*))$")
        found: dict[str, list[str]] = {}
        for line in self.log_text().splitlines():
            match = pattern.search(line)
            if match:
                session = match.group(1) or match.group(4)
                found.setdefault(session, []).append(match.group(2) or match.group(3))
        return found
