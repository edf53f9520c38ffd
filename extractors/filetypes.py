"""Every file-name suffix the project tells files apart by, each concept defined once.

Suffixes are lower case with their dot, in tuples (``str.endswith`` takes tuples only).
Where one set is a part of another it is built from it, so the two cannot disagree.

>>> ".webp" in OCR_IMAGE_SUFFIXES and ".webp" in READ_FOR_TEXT_SUFFIXES
True
>>> set(LEGACY_WORD_SUFFIXES) <= set(WORD_SUFFIXES), ".heic" in OCR_IMAGE_SUFFIXES
(True, True)
"""

from __future__ import annotations

PDF_SUFFIX = ".pdf"
PDF_SUFFIXES = (PDF_SUFFIX,)

# JPEG: what the notice asks a candidate's photo to be (填报说明4).
JPEG_SUFFIXES = (".jpg", ".jpeg")
# HEIC/HEIF: iPhone photos, opened through pillow-heif (extractors.images.photos).
HEIF_SUFFIXES = (".heic", ".heif")
# Raster images Pillow opens, so OCR can read them (every page of a TIFF or GIF).
OCR_IMAGE_SUFFIXES = (*JPEG_SUFFIXES, ".jfif", ".png", ".tif", ".tiff", ".bmp", ".gif", ".webp",
                      *HEIF_SUFFIXES)
# Every suffix that names a picture.
IMAGE_SUFFIXES = OCR_IMAGE_SUFFIXES
# A picture a name like 张三+19800101 or 张三照片 makes the candidate's photo: a JPEG as
# asked, or an iPhone's HEIC (read, and flagged PHOTO_SPEC for its format).
PHOTO_SUFFIXES = (*JPEG_SUFFIXES, *HEIF_SUFFIXES)

# Word formats LibreOffice must convert to .docx before they can be read.
LEGACY_WORD_SUFFIXES = (".doc", ".dot", ".wps", ".wpt", ".rtf")
# Word formats read directly: Office Open XML packages.
OOXML_WORD_SUFFIXES = (".docx", ".docm", ".dotx")
WORD_SUFFIXES = (*OOXML_WORD_SUFFIXES, *LEGACY_WORD_SUFFIXES)
DOCX_SUFFIX = ".docx"

# Workbooks read with openpyxl.
XLSX_SUFFIXES = (".xlsx", ".xlsm")
# Every spreadsheet a summary table may come in (.et: WPS Spreadsheets).
SPREADSHEET_SUFFIXES = (*XLSX_SUFFIXES, ".xls", ".et")

# Zip packages that are documents, not archives to unpack.
ZIP_DOCUMENT_SUFFIXES = (DOCX_SUFFIX, ".xlsx", ".pptx", ".ofd", ".odt", ".ods")

PLAIN_TEXT_SUFFIXES = (".txt",)
# Read for their text without OCR or conversion.
DIRECT_TEXT_SUFFIXES = (*PLAIN_TEXT_SUFFIXES, DOCX_SUFFIX)

# Archives intake unpacks.
ARCHIVE_SUFFIXES = (".zip", ".7z", ".rar")
# Archives intake lists but does not unpack.
OTHER_ARCHIVE_SUFFIXES = (".tar", ".gz", ".tgz")
MAIL_SUFFIX = ".eml"
MAIL_SUFFIXES = (MAIL_SUFFIX,)
# Files that hold other files: never a candidate's attachment themselves.
CONTAINER_SUFFIXES = (*ARCHIVE_SUFFIXES, *OTHER_ARCHIVE_SUFFIXES, *MAIL_SUFFIXES)

# What is worth reading for its text: scans, PDFs, typed bios. Forms and tables have their
# own extractors; archives and mails are unpacked instead.
READ_FOR_TEXT_SUFFIXES = (*PDF_SUFFIXES, *OCR_IMAGE_SUFFIXES, *DIRECT_TEXT_SUFFIXES)
