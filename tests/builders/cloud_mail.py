"""Mail whose large files are linked from the body, not attached (issue 20, 1): the blocks
163, 126 and yeah.net webmail, QQ Mail (超大附件, 文件中转站) and Apple Mail Drop write,
in their HTML and in their plain-text alternative, modelled on what those clients send.

Each builder returns the raw message and the files its body links (name, size and
expiry as a reader should find them), so tests compare against literal values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
WHEN = dt.datetime(2025, 4, 9, 10, 32, tzinfo=SHANGHAI)


@dataclass(frozen=True)
class Linked:
    name: str
    size: str
    expiry: str  # as the reader returns it
    link: str


@dataclass(frozen=True)
class CloudMessage:
    client: str
    raw: bytes
    linked: list[Linked]
    service: str


def _message(sender: str, subject: str, plain: str, html: str, charset: str,
             attachments: list[tuple[str, bytes]], mailer: str, message_id: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "hykxxhb@163.com"
    message["Subject"] = subject
    message["Date"] = format_datetime(WHEN)
    message["Message-ID"] = message_id
    message["X-Mailer"] = mailer
    message.set_content(plain, charset=charset)
    message.add_alternative(html, subtype="html", charset=charset)
    for name, data in attachments:
        main, sub = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document") \
            if name.endswith(".docx") else ("application", "octet-stream")
        message.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return bytes(message)


# --- 163 / 126 / yeah.net ---------------------------------------------------------------

def _netease_link(host: str, key: str) -> str:
    return (f"https://{host}/large-attachment-download/index.html?"
            f"p=X-NETEASE-HUGE-ATTACHMENT&file={key}&title=%E8%B6%85%E5%A4%A7%E9%99%84%E4%BB%B6")


def _netease_html(service: str, greeting: str, files: list[Linked]) -> str:
    rows = "".join(f"""
  <div style="clear:both;height:36px;padding:6px 4px;">
    <div style="float:left;padding-top:5px;"><img src="https://mimg.127.net/xm/all/fj/ico-bfile-6.gif" border="0"></div>
    <div style="padding-left:34px;line-height:14px;">
      <div><a href="{f.link}" style="color:#000;text-decoration:none;font-size:14px;">{f.name}</a>
        <span style="color:#bbb;">({f.size}, {f.expiry} 到期)</span></div>
      <div style="padding-top:4px;"><a href="{f.link}" target="_blank" style="color:#1e5494;">进入下载页面</a></div>
    </div>
  </div>""" for f in files)
    return f"""<div style="line-height:1.7;color:#000000;font-size:14px;font-family:Arial">
<div>{greeting}</div><div><br></div></div><br><br>
<div id="divNeteaseBigAttach" style="clear:both;">
<div style="padding:4px 0 4px 0;font-size:14px;"><b>从{service}发来的超大附件</b></div>
<div style="background:#f2f7fb;padding:2px 10px;">{rows}
</div></div>"""


def _netease_plain(service: str, greeting: str, files: list[Linked]) -> str:
    rows = "\n".join(f"{f.name} ({f.size}, {f.expiry} 到期)\n进入下载页面：{f.link}\n" for f in files)
    return f"{greeting}\n\n\n从{service}发来的超大附件\n\n{rows}"


def netease_163(form: tuple[str, bytes]) -> CloudMessage:
    """163 webmail: the form attached, the scans (a zip over 50 MB) as a 超大附件."""
    files = [Linked("衡阳市机械工程学会欧阳晓岚证明材料.zip", "286.45M", "2025年4月24日 10:32",
                    _netease_link("mail.163.com", "b1e3f0d2c4a65e7f")),
             Linked("欧阳晓岚获奖证书扫描件.pdf", "63.2M", "2025年4月24日 10:32",
                    _netease_link("mail.163.com", "77aa01cc93de4f20"))]
    greeting = "王老师您好：附件为我会推荐人选的申报材料，扫描件较大，以超大附件发送，请查收。"
    raw = _message("衡阳市机械工程学会 <hyjxgcxh@163.com>", "衡阳市卓越工程师申报材料（机械工程学会）",
                   _netease_plain("网易163邮箱", greeting, files),
                   _netease_html("网易163邮箱", greeting, files), "utf-8", [form],
                   "Coremail Webmail Server Version 2024.1", "<5f2a.163@163.com>")
    return CloudMessage("163", raw, files, "网易163邮箱")


def netease_126_only_cloud(form: tuple[str, bytes]) -> CloudMessage:
    """126 webmail in GBK, the whole package as one 1.2G rar: the form too is only linked."""
    files = [Linked("蒸湘区科协推荐材料.rar", "1.2G", "2025年4月25日 15:00",
                    _netease_link("mail.126.com", "9c0d5e"))]
    raw = _message("蒸湘区科协 <zxqkx@126.com>", "卓越工程师推荐材料", _netease_plain("网易126邮箱", "材料见超大附件。", files),
                   _netease_html("网易126邮箱", "材料见超大附件。", files), "gbk", [],
                   "Coremail Webmail Server Version 2023.2", "<aa.126@126.com>")
    return CloudMessage("126", raw, files, "网易126邮箱")


def netease_yeah(form: tuple[str, bytes]) -> CloudMessage:
    files = [Linked("贺振宇成果证明.pdf", "88.7M", "2025年4月30日 09:05",
                    _netease_link("mail.yeah.net", "31f07d"))]
    raw = _message("耒阳市科协 <lyskx@yeah.net>", "申报材料", _netease_plain("网易yeah.net邮箱", "请查收。", files),
                   _netease_html("网易yeah.net邮箱", "请查收。", files), "utf-8", [form],
                   "Coremail Webmail Server Version 2024.1", "<c3.yeah@yeah.net>")
    return CloudMessage("yeah", raw, files, "网易yeah.net邮箱")


# --- QQ Mail ---------------------------------------------------------------------------

def _qq_link(key: str) -> str:
    return f"https://wx.mail.qq.com/ftn/download?func=3&k={key}&key={key[::-1]}&code=3f2a&fweb=1&cl=1"


def _qq_html(header: str, greeting: str, files: list[Linked], shown: list[str]) -> str:
    rows = "".join(f"""
<div style="padding:6px 10px 6px 8px;height:40px;clear:both;">
 <div style="float:left;"><a href="{f.link}" target="_blank"><img src="https://rescdn.qqmail.com/zh_CN/images/xdisk/ico_ext/pdf.png" style="width:36px;height:36px;" border="0"></a></div>
 <div style="padding-left:46px;">
  <div style="padding:0 0 2px 0;"><a style="color:#000;font-size:14px;text-decoration:none;" href="{f.link}" target="_blank">{f.name}</a></div>
  <div style="color:#888;font-size:12px;">{f.size}&nbsp;&nbsp;{when}</div>
 </div>
 <div><a style="font-size:12px;color:#1d5494;" href="{f.link}" target="_blank">进入下载页面</a></div>
</div>""" for f, when in zip(files, shown, strict=True))
    return f"""<meta http-equiv="Content-Type" content="text/html; charset=GB18030">
<div>{greeting}</div><div><sign signid="0"><div style="color:#909090;font-family:Arial Narrow;font-size:12px">------------------</div>
<div style="font-size:14px;font-family:Verdana;color:#000;">雁峰区科协 刘洋</div></sign></div>
<div id="QQMailBigAttach" style="padding:2px;margin-top:10px;margin-bottom:10px;clear:both;">
<div style="padding:2px 0 8px 0;"><b style="font-size:14px;">{header}</b></div>
<div style="background:#fbfbfb;border:1px solid #e3e6eb;">{rows}
</div></div>"""


def qq_big_attachment(form: tuple[str, bytes]) -> CloudMessage:
    """QQ Mail (GB18030): two 超大附件, the expiry shown under each name, no brackets."""
    files = [Linked("何嘉欣证书扫描.pdf", "68.5M", "2025年05月08日 10:32", _qq_link("ab12cd34")),
             Linked("何嘉欣效益证明及用户报告.zip", "153.0M", "2025年05月08日 10:32", _qq_link("ef56aa78"))]
    plain = ("各位老师好，材料见附件及超大附件。\n------------------\n雁峰区科协 刘洋\n\n"
             "从QQ邮箱发来的超大附件\n\n"
             + "".join(f"{f.name} ({f.size}, {f.expiry});\n下载地址: {f.link}\n\n" for f in files))
    html = _qq_html("从QQ邮箱发来的超大附件", "各位老师好，材料见附件及超大附件。", files,
                    [f"{f.expiry} 到期" for f in files])
    raw = _message("\"雁峰区科协\" <2841736505@qq.com>", "申报材料-雁峰区科协", plain, html, "gb18030",
                   [form], "", "<tencent_9A1B@qq.com>")
    return CloudMessage("qq", raw, files, "QQ邮箱")


def qq_transfer_station(form: tuple[str, bytes]) -> CloudMessage:
    """QQ Mail's 文件中转站, plain text only, an expiry in days; sent from Foxmail."""
    files = [Linked("王建国公示材料及照片.zip", "35.8M", "30天后过期", _qq_link("cc0110"))]
    plain = ("附件是申报表，证明材料在中转站。\n\n"
             "以下文件来自QQ邮箱文件中转站：\n"
             f"王建国公示材料及照片.zip (35.8M, 30天后过期)\n{files[0].link}\n")
    message = EmailMessage()
    message["From"] = "\"衡阳市电子学会\" <hydzxh@foxmail.com>"
    message["To"] = "hykxxhb@163.com"
    message["Subject"] = "申报材料"
    message["Date"] = format_datetime(WHEN)
    message["Message-ID"] = "<202504091032.fx@foxmail.com>"
    message["X-Mailer"] = "Foxmail 7.2.25.228[cn]"
    message.set_content(plain, charset="gb18030")
    message.add_attachment(form[1], maintype="application",
                           subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                           filename=form[0])
    return CloudMessage("foxmail", bytes(message), files, "QQ邮箱")


def not_cloud(form: tuple[str, bytes]) -> bytes:
    """A body that speaks of 超大附件 and lists its attachments with sizes, but links
    nothing: everything is attached. No CLOUD_ATTACHMENT."""
    plain = ("材料不大，没有用超大附件，全部直接附上：\n欧阳晓岚申报表.docx (1.2M)\n"
             "欧阳晓岚照片.jpg (260K)\n详见 www.hykx.org.cn 通知")
    html = ("<div>材料不大，没有用超大附件，全部直接附上：</div><div>欧阳晓岚申报表.docx (1.2M)</div>"
            "<div>欧阳晓岚照片.jpg (260K)</div>")
    return _message("高新区科协 <gx@qq.com>", "申报", plain, html, "utf-8", [form], "",
                    "<plain.1@qq.com>")


def cloud_messages(form: tuple[str, bytes]) -> list[CloudMessage]:
    return [netease_163(form), netease_126_only_cloud(form), netease_yeah(form),
            qq_big_attachment(form), qq_transfer_station(form)]
