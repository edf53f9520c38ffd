"""Names given to what a message sent without one, and the line that marks a forwarded
message inside the body: these become part of the package (its file paths, its body text),
so they are content, not messages to staff, and stay Chinese here."""

from __future__ import annotations

UNNAMED_PART = "未命名附件{index}{extension}"  # a part with no name at all
UNDECODABLE_PART = "无法识别名称的附件{index}{extension}"  # a name that could not be decoded
FORWARDED_MESSAGE = "转发邮件"  # stem of a nested message with neither name nor subject
TNEF_FILE = "winmail附件{index}.bin"  # a file inside winmail.dat without a name
FORWARDED_BODY = "——转发邮件：{subject}——\n{body}"  # a forwarded message's text in the body
