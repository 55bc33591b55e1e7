"""The report as one HTML page: the same blocks as the Word document, to read or print in a browser.

Self-contained (styles inline, charts as PNG data URIs); every text is escaped.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from html import escape

from bot.documents.report.outline import Bullets, Heading, Paragraph, Picture, Table, Words, outline
from bot.render import Texts
from storage.records import ReportData

STYLE = (
    "body{font-family:Calibri,Arial,sans-serif;max-width:50em;margin:2em auto;padding:0 1em;line-height:1.4;color:#222}"
    "h1{font-size:1.6em}h2{font-size:1.3em;margin-top:1.6em;border-bottom:1px solid #ccc}h3{font-size:1.1em}"
    "table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #999;padding:.2em .5em;vertical-align:top}"
    "th{background:#d9e2f3;text-align:left}td.n{text-align:right}figure{margin:1em 0;text-align:center}"
    "img{max-width:100%}figcaption{font-style:italic;font-size:.9em}"
)


def build_html(data: ReportData, texts: Texts, lang: str, charts: Mapping[int, bytes]) -> str:
    """The report as an HTML document (UTF-8 when written to a file), in ``lang``."""
    words = Words(texts, lang)
    blocks = outline(data, words, charts)
    title = next((block.text for block in blocks if isinstance(block, Heading) and block.level == 0), "")
    body: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            level = min(block.level + 1, 6)
            body.append(f"<h{level}>{escape(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            text = escape(block.text)
            body.append(f"<p><em>{text}</em></p>" if block.italic else f"<p>{text}</p>")
        elif isinstance(block, Bullets):
            items = []
            for text, children in block.items:
                inner = "".join(f"<li>{escape(child)}</li>" for child in children)
                items.append(f"<li>{escape(text)}{f'<ul>{inner}</ul>' if inner else ''}</li>")
            body.append(f"<ul>{''.join(items)}</ul>")
        elif isinstance(block, Table):
            head = "".join(f"<th>{escape(cell)}</th>" for cell in block.header)
            rows = "".join(
                "<tr>"
                + "".join(
                    f'<td class="n">{escape(cell)}</td>' if index in block.numeric else f"<td>{escape(cell)}</td>"
                    for index, cell in enumerate(row)
                )
                + "</tr>"
                for row in block.rows
            )
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif isinstance(block, Picture):
            encoded = base64.b64encode(block.png).decode("ascii")
            caption, alt = escape(block.caption), escape(block.alt or block.caption)
            body.append(
                f'<figure><img src="data:image/png;base64,{encoded}" alt="{alt}"><figcaption>{caption}</figcaption></figure>'
            )
    return (
        f'<!DOCTYPE html>\n<html lang="{words.lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
