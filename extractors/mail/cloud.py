"""Cloud attachments: files a mail client kept on its server and linked from the body.

A file over the attachment limit is not attached: 163, 126 and yeah.net mail put a
"超大附件" block in the body (the file's name, size, expiry and a download link); QQ
Mail does the same for "超大附件" and "文件中转站" files. Such a file never reaches
us as bytes, so it must be named, or it is silently absent.

Blocks are found in the text of the body (HTML with each link's address kept beside its
text, or plain text): after a line naming such a block, every line with a file name and
a size, with a web link beside it, is one file.

    >>> text = '''从网易163邮箱发来的超大附件
    ... 张三申报材料.zip <https://fs.163.com/fs/display/?file=ab12> (152.36M, 2025年5月8日 10:32 到期)
    ... 进入下载页面 <https://fs.163.com/fs/display/?file=ab12>'''
    >>> find_cloud_files(text)
    [CloudFile(name='张三申报材料.zip', size='152.36M', expiry='2025年5月8日 10:32', link='https://fs.163.com/fs/display/?file=ab12', service='网易163邮箱')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A line that opens a block of linked files, as each client words it.
BLOCK_HEADER = re.compile(r"超大附件|文件中转站|中转站文件|云附件|大附件|Mail Drop|iCloud", re.I)
_LINK = re.compile(r"<?(https?://[^\s<>\"'）)]+)>?")
# 152.36M, 1.2 GB, 980K, 2.3MB, 1,024 KB
_SIZE = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?\s*(?:[KMGT]i?B?|字节|bytes?))(?![A-Za-z])", re.I)
_DATE = r"\d{4}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[-/.]\d{1,2}[-/.]\d{1,2})(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
_EXPIRY = re.compile(
    rf"(?P<before>{_DATE})\s*(?:到期|过期|前有效|截止)"
    rf"|(?:有效期至|有效期到|到期时间|过期时间|有效期)\s*[:：]?\s*(?P<after>{_DATE}|\d+\s*天)"
    r"|(?P<days>\d+\s*天后?(?:到期|过期))"
    r"|(?P<forever>永久有效|无限期|永不过期|长期有效)"
    r"|(?P<gone>已过期)")
# A file name: something, a dot, an extension of letters and digits
_FILE_NAME = re.compile(r"\S.*\.[A-Za-z][A-Za-z0-9]{0,5}$")
_SERVICES = (("163", "网易163邮箱"), ("126", "网易126邮箱"), ("yeah", "网易yeah.net邮箱"),
             ("qq", "QQ邮箱"), ("139", "139邮箱"), ("189", "189邮箱"), ("sina", "新浪邮箱"),
             ("aliyun", "阿里邮箱"), ("outlook", "Outlook邮箱"))
_TRIM = " \t-—•·*:：;；,，、[]【】()（）"
WINDOW = 3  # lines after a file's own line where its link or expiry may stand


@dataclass(frozen=True)
class CloudFile:
    """One linked file, each value as the mail shows it ("" when it shows none)."""

    name: str
    size: str
    expiry: str  # 2025年5月8日 10:32, 30天后到期, 永久有效, 已过期; "" when not shown
    link: str
    service: str  # 网易163邮箱, QQ邮箱, ...; "" when neither block nor link tells


def find_cloud_files(text: str) -> list[CloudFile]:
    """Every cloud file of the body's text, in order, each name once."""
    lines = [line.strip() for line in text.splitlines()]
    found: dict[str, CloudFile] = {}
    service = ""
    in_block = False
    for index, line in enumerate(lines):
        if BLOCK_HEADER.search(line) and not _SIZE.search(_LINK.sub(" ", line)):
            in_block, service = True, _service(line) or service
            continue
        if not in_block:
            continue
        item = _file_at(lines, index, service)
        if item is not None and item.name not in found:
            found[item.name] = item
    return list(found.values())


def _file_at(lines: list[str], index: int, service: str) -> CloudFile | None:
    """The file whose size stands on line ``index``, its name there or on the line before."""
    plain = _LINK.sub(" ", lines[index])
    size = _SIZE.search(plain)
    if size is None:
        return None
    name = _name(plain[:size.start()])
    own_link = index
    if not name and index > 0:
        name, own_link = _name(_LINK.sub(" ", lines[index - 1])), index - 1
    if not name:
        return None
    window = lines[own_link:index + 1 + WINDOW]
    link = _first_link(window, stop_after=index - own_link)
    if link is None:
        return None
    expiry = _expiry(" ".join([plain[size.end():], *lines[index + 1:index + 1 + WINDOW]]))
    return CloudFile(name, re.sub(r"\s+", "", size.group(1)), expiry, link,
                     service or _service(link))


def _name(text: str) -> str:
    """The file name before a size, without the brackets and bullets around it."""
    name = text.strip(_TRIM).rstrip("(（").strip(_TRIM)
    return name if _FILE_NAME.match(name) else ""


def _first_link(window: list[str], stop_after: int) -> str | None:
    """The file's link: on its own lines, else on a following line before another file."""
    for offset, line in enumerate(window):
        if offset > stop_after and _SIZE.search(_LINK.sub(" ", line)):
            return None  # the next file's line: this one has no link of its own
        match = _LINK.search(line)
        if match:
            return match.group(1)
    return None


def _expiry(text: str) -> str:
    """The expiry after a file's size: a date said to end it, a number of days, 永久; or
    a bare date in the size's own brackets, as QQ Mail's plain text writes it."""
    match = _EXPIRY.search(text)
    if match is None:
        bare = re.match(rf"\s*[,，]?\s*({_DATE})\s*[)）]", text)
        return re.sub(r"\s+", " ", bare.group(1)) if bare else ""
    for group in ("before", "after"):
        if match.group(group):
            return re.sub(r"\s+", " ", match.group(group)).strip()
    return re.sub(r"\s+", "", match.group(0))


def _service(text: str) -> str:
    lowered = text.lower()
    for key, label in _SERVICES:
        if key in lowered:
            return label
    return ""


def describe_cloud_file(item: CloudFile) -> str:
    """“张三申报材料.zip”（152.36M，2025年5月8日 10:32到期）, for messages."""
    if not item.expiry:
        expiry = "未注明有效期"
    elif item.expiry[0].isdigit() and "天" not in item.expiry:
        expiry = f"{item.expiry}到期"
    else:
        expiry = item.expiry
    return f"“{item.name}”（{item.size}，{expiry}）"
