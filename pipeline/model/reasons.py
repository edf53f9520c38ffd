"""Why a file could not be read, in the Chinese staff read: one template per failure code.

The extractors say what went wrong as data (``extractors.records.Failure``: a stable code
and its details); this table, beside the check catalog, turns it into the reason a
finding's ``{reason}`` shows. Placeholders are filled from the failure's details; a
detail that is itself a failure (or a list of them) is rendered first, and a failure that
names a limit (``limit``, ``limit_value``, ``actual``) gets ``{limit_text}`` (what the
limit is, its value, the setting that changes it) and ``{actual_text}`` (the amount found,
in the limit's unit).

    >>> reason_text(Failure.of("pages_over_limit", total=400, limit="pages", limit_value=300,
    ...                        read=300))
    '共400页，超过每个文件页数上限（300页，设置项 INTAKE_LIMIT_PAGES），只读取了前300页'
"""

from __future__ import annotations

from collections.abc import Mapping
from string import Formatter

from extractors.limits import MiB, env_name
from extractors.records import Detail, Failure

# What each limit of ``extractors.limits.Limits`` is called in a reason, and its unit.
LIMIT_LABELS = {
    "unpacked_bytes": ("解压后总大小上限", "bytes"),
    "compression_ratio": ("压缩比上限", "倍"),
    "entries": ("文件个数上限", "个"),
    "archive_depth": ("压缩包嵌套层数上限", "层"),
    "mime_depth": ("邮件结构嵌套层数上限", "层"),
    "nested_messages": ("转发邮件嵌套层数上限", "层"),
    "pages": ("每个文件页数上限", "页"),
    "pixels": ("每张图片像素上限", "像素"),
    "seconds_per_file": ("每个文件处理时间上限", "秒"),
    "seconds_per_page": ("每页识别时间上限", "秒"),
    "memory_per_file": ("每个文件内存上限", "bytes"),
}

# ``{what}`` of a failure that happened to a whole file or to one page of it
WHAT = {"file": "PDF 文件", "page": "PDF 页面", "pdf": "PDF", "image": "图片"}

REASONS: dict[str, str] = {
    # stored before failures were data: the text as it was written
    "legacy": "{text}",
    # what the pipeline itself notes about a message or a file
    "empty_mail": "邮件文件为空",
    "mail_unparsable": "邮件无法解析（{error}）",
    "named_as_archive": "文件名是{suffix}压缩包，但内容不是压缩包（可能已损坏或被改名）",
    "reader_crashed": "读取时程序出错（{error}）",
    "text_reader_crashed": "读取文字时程序出错（{error}）",
    "form_reader_crashed": "识别扫描的申报表时程序出错（{error}）",
    "unrecognised": "无法识别",
    "no_ocr_engine": "未配置文字识别引擎，未读取扫描件内容",
    "no_form_reader": "未配置表格识别，未能读取扫描的申报表",
    "scan_form_unrecognised": "未能识别扫描的申报表",
    "several": "{failures}",
    # Word files and their conversion
    "converter_missing": "未安装LibreOffice（找不到 {binary}），无法转换{suffix}文件",
    "converter_missing_for_pdf": "未安装LibreOffice（找不到 {binary}），无法生成PDF",
    "conversion_failed": "LibreOffice未能把{suffix}文件转换为docx（文件可能已损坏）",
    "conversion_timeout": "LibreOffice转换超时（超过{seconds:.0f}秒）",
    "empty_word_file": "文件为空（0字节）",
    "encrypted_word_file": "文件已加密（设置了打开密码），无法读取",
    "not_a_word_file": "不是Word文档（文件内容无法识别为docx、doc、wps或rtf格式）",
    "no_converter": "{suffix}格式需要转换，但未配置文档转换引擎",
    "converted_unreadable": "{suffix}文件转换后仍无法读取（{cause}）",
    "not_a_word_package": "不是Word文档（文件内容为其他Office格式：{error}）",
    "broken_word_file": "文件已损坏或不完整，无法作为Word文档打开（{error}）",
    "office_too_many_parts": "文件内部含{count}个部件，超过{limit_text}，疑似被恶意构造，未打开",
    "office_too_large": "文件解压后异常膨胀（{actual_text}），超过{limit_text}，疑似压缩炸弹，未打开",
    "office_part_ratio": "文件内部部件“{part}”解压后异常膨胀（压缩比{ratio}倍），超过{limit_text}，疑似压缩炸弹，未打开",
    "office_xml_entities": "文件内部部件“{part}”含XML实体声明（Office文件不会有），疑似“十亿笑声”XML炸弹，未打开",
    # pictures
    "image_too_large": "图片尺寸过大，超过{limit_text}，疑为解压炸弹，未读取",
    "image_too_large_measured": "图片尺寸过大（{actual_text}），超过{limit_text}，疑为解压炸弹，未读取",
    "image_too_many_frames": "图片页数过多（超过{limit_value}帧），超过{limit_text}，未识别",
    # summary tables
    "empty_file": "文件为空（0 字节），无法读取",
    "encrypted_office_file": "文件已加密（设置了打开密码），无法读取",
    "summary_wrong_format": "文件是{format_name}，汇总表只能读取 .xlsx、.xls 或 .docx 文件",
    "broken_zip_structure": "文件已损坏或不完整（压缩结构无法解析），无法读取",
    "web_page_as_office": "文件实为网页或 XML 文本，不是真正的 Excel/Word 文件，无法读取",
    "not_excel_or_word": "文件内容无法识别：扩展名为 {suffix_text}，但不是 Excel 或 Word 文件（可能已损坏）",
    "broken_summary_file": "{format_name}已损坏，无法读取（{error}）",
    "not_a_summary_table": "未找到汇总表表头（序号、姓名、性别……），已查看 {looked_at} 个{sheets}",
    # application forms
    "not_a_form": "文档中没有申报表的栏目（人选姓名、证件号码、主要学习经历等），不是申报表",
    "broken_pdf_form": "PDF文件无法读取（{error}）",
    "broken_scan": "扫描件无法打开（{error}）",
    "scan_out_of_memory": "扫描件过大，读取时内存不足",
    "scan_no_table": "扫描件中找不到申报表的表格线，未能识别表格内容",
    "scan_pages_unread": "扫描件有页面识别超时或出错，未能识别表格内容",
    "scan_no_form_fields": "扫描件中未能识别出申报表的栏目",
    "summary_other_office": "汇总表只能读取 .xlsx、.xls 或 .docx 文件",
    # summary tables photographed or scanned
    "summary_scan_no_table": "汇总表照片（扫描件）无法识别表格：找不到表格线，未能逐行核对",
    "summary_scan_no_header": "汇总表照片（扫描件）无法识别表格：未能认出表头（序号、姓名、性别……），未能逐行核对",
    "summary_scan_cells_empty": "汇总表照片（扫描件）无法识别表格：{cells}个单元格只认出{filled}个，未能逐行核对",
    "summary_reader_crashed": "识别汇总表照片（扫描件）时程序出错（{error}），未能逐行核对",
    # PDF
    "pdf_parse_timeout": "{what}解析超过{limit_text}，可能已损坏或被恶意构造，未读取",
    "pdf_parse_memory": "{what}解析所需内存超过{limit_text}，可能已损坏或被恶意构造，未读取",
    "pdf_parser_crashed": "{what}已损坏，解析时读取程序崩溃（{error}），未读取",
    "broken_pdf": "PDF 文件无法读取（{error}）",
    "pdf_without_pages": "PDF 文件没有任何页面",
    "encrypted_pdf": "PDF 文件已加密，需要密码才能打开，无法读取",
    "broken_pdf_structure": "PDF 文件已损坏（交叉引用表或文件结构错误），无法读取",
    "truncated_pdf": "PDF 文件已损坏或不完整，无法读取",
    "pdf_page_not_rendered": "PDF 页面无法转换为图像（{error}）",
    "pdf_damaged": "PDF 文件{problems}{etc}",
    "pdf_page_damaged": "第{page}页{cause}",
    "pdf_content_too_deep": "内容结构嵌套过深（疑似被恶意构造），已按扫描页处理",
    "pdf_content_unparsable": "内容无法解析（{error}），已按扫描页处理",
    "pdf_page_tree_loop": "页面树存在循环引用（文件结构损坏）",
    "pdf_parent_loop": "页面的上级引用（/Parent）形成循环（文件结构损坏）",
    # text of scans, pictures and PDFs; OCR
    "page_not_rendered": "页面无法转换为图像（{error}），本页未识别",
    "ocr_timeout": "识别超时（超过 {seconds:g} 秒），本页未识别",
    "ocr_error": "识别出错：{error}",
    "ocr_worker_died": "识别进程意外退出（{error}），本页未识别",
    "ocr_file_time_over": "本文件识别时间已超过{limit_text}，本页未识别",
    "ocr_pages_late": "识别超过{limit_text}，共{count}页未识别",
    "ocr_failed": "文字识别失败：{cause}",
    "damaged_and_unread": "{damage}；{cause}",
    "pages_over_limit": "共{total}页，超过{limit_text}，只读取了前{read}页",
    "empty_document": "文件为空（0 字节），没有可读取的内容",
    "text_out_of_memory": "文件过大，读取时内存不足，未能提取文字",
    "not_valid_content": "文件内容不是有效的{what}（扩展名为 {suffix}），无法读取",
    "unsupported_format": "不支持的文件格式（{suffix_text}），无法提取文字",
    "broken_image": "图片文件已损坏或不完整（{error}），无法读取",
    "broken_docx_text": "Word 文件已损坏或已加密，无法读取",
    # archives
    "archive_unreadable": "压缩包“{archive}”无法读取（{error}）",
    "archive_too_many_files": "压缩包“{archive}”文件过多：超过{limit_text}",
    "archive_too_large": "压缩包“{archive}”解压后过大（异常膨胀）：超过{limit_text}（疑似压缩炸弹）",
    "not_an_archive": "“{archive}”不是可识别的压缩包（zip/7z/rar）",
    "empty_archive": "压缩包“{archive}”中没有任何文件（已损坏、不完整或为空）",
    "archive_link": "压缩包含链接文件：“{entry}”，为安全起见拒收",
    "archive_unsafe_path": "压缩包“{archive}”中的条目“{entry}”{problem}，为安全起见拒收",
    "absolute_path": "使用绝对路径",
    "drive_path": "使用带盘符的绝对路径",
    "parent_path": "含“..”，会越出解压目录",
    "encrypted_archive_entries": "压缩包“{archive}”已加密（设有密码），无法打开，其中{count}个文件未能读取：{names_text}；请对方将这些文件以未加密的方式重新发送",
    "archive_entry_ratio": "压缩包条目“{entry}”压缩比异常（{ratio}倍，异常膨胀），超过{limit_text}，疑似压缩炸弹",
    "archive_declared_too_large": "压缩包“{archive}”声明的解压大小过大（异常膨胀）：{actual_text}超过{limit_text}（疑似压缩炸弹）",
    "archive_ratio": "压缩包“{archive}”压缩比异常（{ratio}倍，异常膨胀），超过{limit_text}，疑似压缩炸弹",
    "archive_too_deep": "压缩包嵌套过深：“{entry}”超过{limit_text}",
    "archive_entry_oversize": "压缩包条目“{entry}”实际解压大小超过其声明的大小，疑似压缩炸弹",
    "broken_zip": "压缩包“{archive}”已损坏或不完整（{error}）",
    "undecodable_entry_name": "压缩包“{archive}”中有文件名无法识别编码：{raw}",
    "archive_entry_unreadable": "压缩包条目“{entry}”无法解压（{error}）",
    "encrypted_archive_names": "压缩包已加密（设有密码，连文件名也已加密）：“{archive}”，无法查看内容，请对方发送未加密的文件",
    "broken_archive": "压缩包“{archive}”已损坏或不支持（{error}）",
    "archive_not_unpacked": "压缩包“{archive}”无法解压（{error}）",
    "archive_volume": "“{archive}”是分卷压缩包的一部分，请对方发送完整的压缩包",
    "encrypted_archive": "压缩包已加密（设有密码）：“{archive}”，无法查看内容，请对方发送未加密的文件",
    "unrar_missing": "“{entry}”需要 unrar 或 unar 解压，本机未安装",
    # mail and winmail.dat
    "not_tnef": "不是TNEF格式（文件头不符）",
    "truncated_tnef": "TNEF数据不完整",
    "truncated_tnef_rest": "TNEF数据不完整，其后的内容未能读出",
    "tnef_checksum": "TNEF校验和不符，内容可能已损坏",
    "tnef_unnamed_file": "第{index}个文件没有可识别的名称，已命名为“{name}”",
    "mime_too_deep": "邮件结构嵌套过深，超过{limit_text}，更深的部分未拆开",
    "not_mail": "不是有效的电子邮件：没有可识别的邮件头（可能是二进制文件或已损坏），未能读出发件人、主题和附件",
    "subject_undecodable": "邮件主题含无法识别的字符",
    "multipart_without_boundary": "邮件结构损坏：“{part}”部分缺少分隔符，已按附件保留",
    "body_undecodable": "正文（{kind}）含无法识别的字符",
    "uuencode_undecodable": "正文中有uuencode编码的内容无法解码，已按正文保留",
    "attachment_name_undecodable": "附件名无法解码，已改名为“{name}”（原始：{raw}）",
    "nested_messages_too_deep": "转发邮件嵌套过深，超过{limit_text}，更深的内容未拆开：{where}",
    "tnef_unreadable": "{file}（Outlook TNEF格式）无法读取（{cause}），请对方关闭RTF格式后重发",
    "tnef_files": "{file}（Outlook TNEF格式）：已从中取出{count}个文件（{files_text}）",
    "tnef_body_only": "{file}（Outlook TNEF格式）：其中没有附件文件，只有正文",
    "tnef_note": "{file}（Outlook TNEF格式）：{cause}",
}

# What a file's ``format`` detail is called (a summary table of the wrong format, a broken one)
FORMAT_NAMES = {
    "pdf": " PDF", "doc": " Word 97-2003 文档（.doc/.wps）", "xlsb": " Excel 二进制工作簿（.xlsb）",
    "ods": " OpenDocument 格式（.ods/.odt）", "zip": "压缩包，不是 Excel 或 Word 文件",
    "rtf": " RTF 文档", "xlsx": "Excel 文件", "xls": "Excel 97-2003 文件", "docx": "Word 文件",
}
NAMES_SHOWN = 30  # names of encrypted entries a reason lists before 等


def _quoted_names(names: list[str], more: bool) -> str:
    return "、".join(f"“{name}”" for name in names) + ("等" if more else "")


# Values a template shows that are worded from the details, not copied from them
DERIVED = {
    "summary_wrong_format": lambda d: {"format_name": FORMAT_NAMES.get(d.get("format"), "")},
    "broken_summary_file": lambda d: {"format_name": FORMAT_NAMES.get(d.get("format"), "")},
    "not_a_summary_table": lambda d: {"sheets": "表格" if d.get("format") == "docx" else "工作表"},
    "not_excel_or_word": lambda d: {"suffix_text": d.get("suffix") or "（无扩展名）"},
    "unsupported_format": lambda d: {"suffix_text": d.get("suffix") or "无扩展名"},
    "pdf_damaged": lambda d: {"etc": "等" if d.get("more") else ""},
    "encrypted_archive_entries": lambda d: {"names_text": _quoted_names(d.get("names") or [],
                                                                         bool(d.get("more")))},
    "tnef_files": lambda d: {"files_text": "、".join(d.get("files") or [])},
}


def amount(name: str, value: float) -> str:
    """A value of limit ``name`` as staff read it: 500 MB, 300页, 1.0亿像素."""
    unit = LIMIT_LABELS[name][1]
    if unit == "bytes":
        return f"{value / MiB:.0f} MB" if value >= MiB else f"{value:.0f} 字节"
    if unit == "像素":
        return f"{value / 1e8:.1f}亿像素" if value >= 1e7 else f"{value:.0f}像素"
    return f"{value:g}{unit}"


def describe(name: str, value: float) -> str:
    """The limit named for a reason: what it is, its value, the setting that changes it."""
    return f"{LIMIT_LABELS[name][0]}（{amount(name, value)}，设置项 {env_name(name)}）"


def failure_from(value: object) -> Failure:
    """A failure from what was kept of it: itself, its {code, details}, or (stored before
    failures were data) its Chinese text."""
    if isinstance(value, Failure):
        return value
    if isinstance(value, Mapping) and "code" in value:
        details = {k: _revived(v) for k, v in dict(value.get("details") or {}).items()}
        return Failure(str(value["code"]), details)
    return Failure("legacy", {"text": str(value)})


def _revived(value: Detail) -> Detail:
    if isinstance(value, Mapping) and "code" in value and "details" in value:
        return failure_from(value)
    if isinstance(value, list):
        return [_revived(v) for v in value]
    return value


def reason_text(failure: Failure | Mapping[str, Detail] | str) -> str:
    """The Chinese reason of ``failure`` (an unknown code is shown as the code itself)."""
    failure = failure_from(failure)
    template = REASONS.get(failure.code)
    if template is None:
        return failure.code
    values = {name: _shown(value) for name, value in failure.details.items()}
    values.update(_limit_values(failure.details))
    if "what" in failure.details:
        values["what"] = WHAT.get(str(failure.details["what"]), str(failure.details["what"]))
    if failure.code in DERIVED:
        values.update(DERIVED[failure.code](failure.details))
    return template.format_map(_Blank(values))


def _shown(value: Detail) -> Detail:
    """A nested failure as its reason; a list of them joined as one sentence."""
    if isinstance(value, Failure) or (isinstance(value, Mapping) and "code" in value):
        return reason_text(value)
    if isinstance(value, list) and value and all(isinstance(v, (Failure, Mapping)) for v in value):
        return "；".join(dict.fromkeys(reason_text(v) for v in value))
    return value


def _limit_values(details: Mapping[str, Detail]) -> dict[str, str]:
    name = details.get("limit")
    if not isinstance(name, str) or name not in LIMIT_LABELS:
        return {}
    values = {"limit_text": describe(name, details.get("limit_value") or 0)}
    if isinstance(details.get("actual"), (int, float)):
        values["actual_text"] = amount(name, details["actual"])
    return values


class _Blank(dict):
    """A placeholder a stored failure lacks reads as empty, so old failures keep rendering."""

    def __missing__(self, key: str) -> str:
        return ""


def placeholders(code: str) -> set[str]:
    """The names the template of ``code`` reads."""
    return {name for _, name, _, _ in Formatter().parse(REASONS[code]) if name}
