"""Messages fetched per second from IMAP into the store, and the memory that takes.

A private Dovecot (tests/dovecot.py) gets N messages with 5 MB of attachments each
(a form, a PDF, a photo: random bytes, so nothing compresses), delivered straight into
its maildir as a mail server's delivery agent would. `fetch_new_messages` then takes
them over TLS into a fresh store, in a fresh process, so that the peak RSS printed is
the fetch's alone. Each size is measured separately: the peak should not grow with N,
since messages are fetched and written one at a time. Unpacking attachments is not
part of this yet. Prints figures; asserts nothing.

Run: `.venv/bin/python bench/bench_fetch.py [--sizes 50,500] [--attachment-mb 5]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import random
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.run import RunContext  # noqa: E402
from pipeline.settings import RunOptions, configure, run_clock  # noqa: E402
from pipeline.sources.mailbox import MailboxSettings, fetch_new_messages  # noqa: E402
from pipeline.stages import LocalRunner, RunState, process  # noqa: E402
from pipeline.store.database import Store  # noqa: E402
from tests.dovecot import DovecotServer  # noqa: E402

MARK = b"BENCH-0000000"  # replaced by the message's number: every message is distinct
ATTACHMENTS = (("推荐人选申报表.docx", 0.2, "application"), ("证明材料.pdf", 0.6, "application"),
               ("证件照.jpg", 0.2, "image"))


def template(attachment_mb: float) -> bytes:
    """One submission with `attachment_mb` MB of incompressible attachments."""
    chance = random.Random(2025)
    message = EmailMessage()
    message["From"] = "衡阳市某学会 <unit@example.invalid>"
    message["To"] = "hykxxhb@163.com"
    message["Subject"] = f"卓越工程师申报材料 {MARK.decode()}"
    message["Date"] = format_datetime(dt.datetime(2025, 4, 9, 10, 0, tzinfo=dt.timezone.utc))
    message["Message-ID"] = f"<{MARK.decode()}@example.invalid>"
    message.set_content("申报材料见附件。")
    for name, share, main in ATTACHMENTS:
        data = chance.randbytes(int(attachment_mb * share * 1024 * 1024))
        subtype = {"docx": "vnd.openxmlformats-officedocument.wordprocessingml.document",
                   "pdf": "pdf", "jpg": "jpeg"}[name.rsplit(".", 1)[1]]
        message.add_attachment(data, maintype=main, subtype=subtype, filename=name)
    return bytes(message)


def numbered(raw: bytes, count: int):
    for number in range(count):
        yield raw.replace(MARK, f"BENCH-{number:07d}".encode())


def status_kib(field: str) -> int:
    """A memory figure of this process from /proc/self/status (Linux), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def fetch_and_measure(settings: MailboxSettings, store_dir: str) -> dict:
    """In a fresh process: fetch everything, report time, bytes and peak RSS."""
    before_kib = status_kib("VmRSS")
    # Importing the modules peaked higher than the fetch may: reset the high-water mark
    # (VmHWM) so that it shows the fetch's own peak. getrusage's figure cannot be reset.
    Path("/proc/self/clear_refs").write_text("5")
    store = Store(Path(store_dir))
    options = RunOptions(inbox=None, outbox=None, store_dir=Path(store_dir), smtp_from_env=False)
    clock = run_clock(options)
    try:
        run_id = store.start_run(clock.as_of)
        start = time.perf_counter()
        result = fetch_new_messages(settings, store, run_id, attempts=1)
        seconds = time.perf_counter() - start
        fetch_peak_kib = status_kib("VmHWM")
        size = store.db.execute("SELECT COALESCE(SUM(size), 0) FROM messages").fetchone()[0]
        start = time.perf_counter()
        # Unpack: every part decoded and written to the content-addressed file store.
        # (the run's own process stage, here: no OCR, the files kept by content hash)
        state = RunState(options, RunContext(run_id, clock), configure(options, clock, {}))
        process(state, LocalRunner())
        unpack_seconds = time.perf_counter() - start
    finally:
        store.close()
    return dict(fetched=result.fetched, error=result.error, seconds=seconds, bytes=size,
                unpack_seconds=unpack_seconds, unpack_peak_mib=status_kib("VmHWM") / 1024,
                fetch_peak_kib=fetch_peak_kib,
                start_mib=before_kib / 1024, fetch_peak_mib=fetch_peak_kib / 1024,
                peak_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def measure(count: int, raw: bytes) -> dict:
    with DovecotServer.start() as server, \
            tempfile.TemporaryDirectory(prefix="intake-bench-store-") as store_dir:
        user = server.add_user()
        server.deliver(user, numbered(raw, count))
        spawn = multiprocessing.get_context("spawn")  # a new process: a clean peak RSS
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            return pool.submit(fetch_and_measure, server.settings(user), store_dir).result()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="50,500",
                        help="mailbox sizes to measure, comma-separated (default 50,500)")
    parser.add_argument("--attachment-mb", type=float, default=5.0,
                        help="MB of attachments per message (default 5)")
    args = parser.parse_args()
    raw = template(args.attachment_mb)
    print(f"one message: {len(raw) / 2**20:.1f} MiB on the wire "
          f"({args.attachment_mb:g} MB of attachments, base64), IMAPS on loopback, one process")
    print("RSS before: after imports; peak in fetch: VmHWM reset before fetching; "
          "process peak: getrusage ru_maxrss")
    print(f"{'messages':>8} {'seconds':>8} {'msg/s':>7} {'MB/s':>7} {'RSS before':>11} "
          f"{'peak in fetch':>14} {'unpack s':>9} {'peak w/ unpack':>15} {'process peak':>13}")
    for count in (int(n) for n in args.sizes.split(",")):
        figures = measure(count, raw)
        if figures["error"] or figures["fetched"] != count:
            print(f"{count:>8} failed: fetched {figures['fetched']}, {figures['error']}")
            continue
        seconds = figures["seconds"]
        print(f"{count:>8} {seconds:8.1f} {count / seconds:7.1f} "
              f"{figures['bytes'] / 1e6 / seconds:7.1f} {figures['start_mib']:7.0f} MiB "
              f"{figures['fetch_peak_mib']:10.0f} MiB {figures['unpack_seconds']:9.1f} "
              f"{figures['unpack_peak_mib']:11.0f} MiB {figures['peak_mib']:9.0f} MiB")


if __name__ == "__main__":
    main()
