"""The visible text of an HTML page, one block per line: for HTML-only mail bodies and
for the plain-text alternative of the report mail. The one place HTML becomes text."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _VisibleText(HTMLParser):
    """Blocks on their own lines, list items with a dash, "term：value" for <dt>/<dd>."""

    BLOCKS = {"p", "div", "section", "article", "details", "summary", "h1", "h2", "h3", "h4",
              "h5", "h6", "li", "dt", "br", "ul", "ol", "dl", "footer", "header", "tr",
              "table", "blockquote", "pre", "hr"}
    CELLS = {"td", "th"}
    HIDDEN = {"head", "style", "script", "title"}

    def __init__(self, keep_links: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.keep_links = keep_links
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in self.HIDDEN
        if tag == "a" and self.keep_links:
            self.href = dict(attrs).get("href")
        if tag in self.BLOCKS:
            self.parts.append("\n- " if tag == "li" else "\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:  # <br/>, <hr/>: no end tag follows
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self.hidden = max(0, self.hidden - (tag in self.HIDDEN))
        if tag == "a" and self.href and self.href.startswith(("http://", "https://")):
            self.parts.append(f" <{self.href}> ")
            self.href = None
        if tag == "dt":  # a term and its value on one line: "发件人：…"
            self.parts.append("：")
        elif tag in self.CELLS:  # cells of a row side by side
            self.parts.append(" ")
        elif tag in self.BLOCKS or tag == "dd":  # a value ends its line, does not start one
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        lines = (re.sub(r" +", " ", line).strip() for line in "".join(self.parts).splitlines())
        return "\n".join(line for line in lines if line and line != "-")


def html_to_text(markup: str, keep_links: bool = False) -> str:
    """Readable text of an HTML page: blocks on their own lines, entities resolved; with
    ``keep_links`` a web link's address follows its text in angle brackets.

    >>> html_to_text("<p>申报&amp;推荐</p><table><tr><td>姓名</td><td>张三</td></tr></table>")
    '申报&推荐\\n姓名 张三'
    >>> html_to_text('<div><a href="https://fs.163.com/d?f=1">材料.zip</a></div>', keep_links=True)
    '材料.zip <https://fs.163.com/d?f=1>'
    """
    parser = _VisibleText(keep_links)
    parser.feed(markup)
    parser.close()
    return parser.text()
