"""Building blocks of the documents the site writes: PDF, Word, and charts as pictures.

- PDF: the site's own HTML templates laid out by WeasyPrint, with the print stylesheet the
  browser uses, so a page printed from the browser and the PDF downloaded are one layout.
  WeasyPrint reads stylesheets and images through `static_fetcher`, which serves the
  project's static files and nothing else: a document never fetches from the network, and
  its fonts are the machine's (fontconfig; the Debian packages .ci/run and the Dockerfile
  install).
- Word: python-docx with the document's own styles (Normal, Heading 1 and 2, List Number for
  the numbered paragraphs, Caption, a table style), set once on the styles and never as
  formatting on a run, so an editor restyles the whole document by changing one style.
- Charts as pictures: a chart drawn by its HTML template (the site's one status chart) is
  laid out by WeasyPrint and rasterised by PDFium (pypdfium2), so Word shows the very drawing
  the page and the PDF show. WeasyPrint has written no PNG since version 53, hence PDFium.

Imports no app: the callers pass rendered HTML and plain rows.
"""

from __future__ import annotations

import functools
import io
import logging
import mimetypes
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import pypdfium2  # type: ignore[import-untyped]
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from docx import Document as new_word_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .charts import StatusChart
from .statuses import STATUS_COLOURS

# WeasyPrint logs every step of every document, and warns of each screen-only rule of the
# site's stylesheet (media queries, SVG properties) it skips: expected, so kept out of the
# logs; its errors still show.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.styles.style import ParagraphStyle
    from docx.table import Table as WordTable
    from docx.text.paragraph import Paragraph as WordParagraph

# The Word styles the documents use: built into python-docx's default template, so Word,
# LibreOffice and the tests all know them by these names.
NUMBERED_PARAGRAPH = "List Number"
TABLE_STYLE = "Table Grid"
CAPTION = "Caption"

# The United Nations documents' typeface is Times New Roman; Liberation Serif has the same
# metrics and is what Debian installs, DejaVu covers the scripts it lacks (Arabic, say).
WORD_FONT = "Times New Roman"


class DocumentFetchRefused(ValueError):
    """WeasyPrint asked for something that is not one of the project's static files."""


def _static_file(url: str) -> Path:
    path = unquote(urlsplit(url).path)
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    if path.startswith(prefix):
        found = finders.find(path[len(prefix) :])
        if isinstance(found, str):
            return Path(found)
    raise DocumentFetchRefused(f"Documents use the project's static files only, not {url!r}.")


@functools.cache
def _fetcher_class() -> type:
    # WeasyPrint is imported when a document is first made, not when this module is: a
    # machine without Pango still serves every page.
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped]

    class StaticFilesFetcher(URLFetcher):  # type: ignore[misc]
        """The project's static files (by their STATIC_URL path) and data: URLs; anything
        else is refused, which WeasyPrint logs and skips: no document fetches from the
        network."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            found = _static_file(url)
            return URLFetcherResponse(
                url,
                found.read_bytes(),
                {"Content-Type": mimetypes.guess_type(found.name)[0] or "application/octet-stream"},
            )

    return StaticFilesFetcher


def static_fetcher() -> Any:
    """WeasyPrint's URL fetcher for documents: static files and data: URLs only."""
    return _fetcher_class()(allowed_protocols=("data", "http", "https", "file"))


# Relative links in a template resolve against this; no request is made to it.
DOCUMENT_BASE_URL = "http://documents.invalid/"


# The status chart's SVG takes its colours from site.css classes (fill-<status>); WeasyPrint
# draws inline SVG with its own renderer, which applies no page CSS to it, so the colours are
# also written on each shape as the presentation attribute SVG itself defines.
_SVG_FILL = re.compile(r'<rect([^>]*?) class="(fill-[a-z_]+|chart-track)"')


def _svg_fill(match: re.Match[str]) -> str:
    attributes, css_class = match.group(1), match.group(2)
    if css_class == "chart-track":
        paint = 'fill="#ffffff" stroke="#8c959e" stroke-width="0.2"'
    else:
        paint = f'fill="{STATUS_COLOURS.get(css_class.removeprefix("fill-"), "#000000")}"'
    return f'<rect{attributes} class="{css_class}" {paint}'


def pdf_from_html(html: str, *, stylesheets: Sequence[str] = ()) -> bytes:
    """Lay `html` out as a PDF: the print media of its stylesheets, plus `stylesheets` (CSS
    text) after them."""
    # Imported on first use: see _fetcher_class.
    from weasyprint import CSS, HTML  # type: ignore[import-untyped]

    html = _SVG_FILL.sub(_svg_fill, html)
    document = HTML(string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=static_fetcher())
    return document.write_pdf(  # type: ignore[no-any-return]
        stylesheets=[CSS(string=css, url_fetcher=static_fetcher()) for css in stylesheets]
    )


def pdf_page_count(pdf: bytes) -> int:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def pdf_page_png(pdf: bytes, *, page: int = 0, scale: float = 2.0) -> bytes:
    """One page of a PDF as a PNG (`scale` 1 is 72 pixels per inch)."""
    return _to_png(_rasterise(pdf, page=page, scale=scale))


def _rasterise(pdf: bytes, *, page: int, scale: float) -> Any:  # a PIL image
    document = pypdfium2.PdfDocument(pdf)
    try:
        bitmap = document[page].render(scale=scale)
        return bitmap.to_pil()
    finally:
        document.close()


def _to_png(image: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def png_from_html(html: str, *, width_mm: float = 160, scale: float = 3.0) -> bytes:
    """`html` (a chart, say) as a picture `width_mm` wide, cropped to what it draws.

    Laid out on one page as wide as the picture and taller than any chart, then rasterised
    by PDFium and cut to the drawing's bounds, so the picture is exactly the template's
    drawing, without a page around it.
    """
    from PIL import Image, ImageChops

    page = f"@page {{ size: {width_mm}mm 1000mm; margin: 2mm; }} html, body {{ margin: 0; }}"
    image = _rasterise(pdf_from_html(html, stylesheets=[page]), page=0, scale=scale)
    image = image.convert("RGB")
    box = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
    if box is not None:
        margin = int(2 * scale)
        left, top, right, bottom = box
        image = image.crop(
            (
                max(left - margin, 0),
                max(top - margin, 0),
                min(right + margin, image.width),
                min(bottom + margin, image.height),
            )
        )
    return _to_png(image)


# What a document says, once, for both its renderers ------------------------------------
#
# A document is a list of blocks. The HTML template `documents/_blocks.html` draws them for
# the page and the PDF, `write_blocks` writes them into Word: the wording and the figures are
# made once, so the PDF and the Word document of one build can never say different things.


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1: a chapter (Heading 1), 2: a section (Heading 2)
    number: str = ""  # "I.", "A.": part of the heading, as UN documents print it
    kind: str = "heading"

    @property
    def full_text(self) -> str:
        return f"{self.number}\u00a0{self.text}" if self.number else self.text


@dataclass(frozen=True)
class Paragraph:
    text: str
    numbered: bool = True  # numbered paragraphs run on through the document
    kind: str = "paragraph"


@dataclass(frozen=True)
class Table:
    caption: str
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    # Short cells (figures, status letters) take little room: a smaller, centred table.
    compact: bool = False
    kind: str = "table"


@dataclass(frozen=True)
class Chart:
    """The site's status chart (core.charts.status_chart), drawn by _status_chart.html."""

    caption: str
    chart: StatusChart
    row_header: str
    chart_id: str
    kind: str = "chart"


@dataclass(frozen=True)
class Facts:
    """Label and value pairs: a definition list on the page, a two-column table in Word."""

    items: Sequence[tuple[str, str]]
    kind: str = "facts"


Block = Heading | Paragraph | Table | Chart | Facts


def chart_png(block: Chart, *, width_mm: float = 160) -> bytes:
    """The chart as the page and the PDF draw it (templates/_status_chart.html), as a PNG,
    without its table: Word gets the table of the same figures as a table of its own."""
    html = render_to_string(
        "documents/chart_image.html",
        {
            "chart": block.chart,
            "caption": block.caption,
            "row_header": block.row_header,
            "chart_id": block.chart_id,
        },
    )
    return png_from_html(html, width_mm=width_mm)


# Word ------------------------------------------------------------------------------------


def word_document(*, title: str, language: str, bidi: bool = False) -> WordDocument:
    """A new Word document whose styles carry all the formatting: the UN documents' typeface
    and sizes, black headings, justified numbered paragraphs, A4 pages; right to left
    throughout (on the styles too) for a language written that way."""
    document = new_word_document()
    document.core_properties.title = title
    document.core_properties.language = language
    styles = document.styles
    normal: ParagraphStyle = styles["Normal"]
    normal.font.name = WORD_FONT
    normal.font.size = Pt(10)
    _style_fonts(normal)
    normal.paragraph_format.space_after = Pt(6)
    for name, size in (("Title", 17), ("Heading 1", 12), ("Heading 2", 10), ("Heading 3", 10)):
        style: ParagraphStyle = styles[name]
        style.font.name = WORD_FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        _style_fonts(style)
        style.paragraph_format.space_before = Pt(12)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    _remove_title_border(styles["Title"])
    numbered: ParagraphStyle = styles[NUMBERED_PARAGRAPH]
    numbered.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    numbered.paragraph_format.space_after = Pt(6)
    # The default template sets contextual spacing, which drops the space between two
    # numbered paragraphs; UN documents keep it.
    for element in numbered.element.pPr.findall(qn("w:contextualSpacing")):
        numbered.element.pPr.remove(element)
    caption: ParagraphStyle = styles[CAPTION]
    caption.font.color.rgb = RGBColor(0, 0, 0)
    caption.font.size = Pt(9)
    if bidi:
        for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", NUMBERED_PARAGRAPH):
            _style_right_to_left(styles[name])
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.2)
        section.top_margin = section.bottom_margin = Cm(2)
    return document


def paragraph_style(
    document: WordDocument,
    name: str,
    *,
    size: float,
    bold: bool = False,
    align: str = "start",
    bidi: bool = False,
) -> ParagraphStyle:
    """A paragraph style of the document's own, based on Normal: `align` is "start" or
    "end", the side text starts or ends on (right or left in a right-to-left language)."""
    style: ParagraphStyle = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    style.font.size = Pt(size)
    style.font.bold = bold
    if align == "end":
        style.paragraph_format.alignment = (
            WD_ALIGN_PARAGRAPH.LEFT if bidi else WD_ALIGN_PARAGRAPH.RIGHT
        )
    return style


def _style_fonts(style: ParagraphStyle) -> None:
    # python-docx sets the font for Latin text only; the East Asian and complex-script slots
    # (Arabic is complex script) keep the theme font unless they are named too.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), WORD_FONT)
    for slot in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(slot), None)


def _remove_title_border(style: ParagraphStyle) -> None:
    p_pr = style.element.pPr
    if p_pr is not None:
        for border in p_pr.findall(qn("w:pBdr")):
            p_pr.remove(border)


def _style_right_to_left(style: ParagraphStyle) -> None:
    style.element.get_or_add_pPr().append(OxmlElement("w:bidi"))
    style.element.get_or_add_rPr().append(OxmlElement("w:rtl"))


def add_heading(document: WordDocument, text: str, *, level: int) -> WordParagraph:
    heading: WordParagraph = document.add_heading(text, level=level)
    return heading


def add_numbered_paragraph(document: WordDocument, text: str) -> WordParagraph:
    """A numbered paragraph: the numbers run on through the whole document, as in a UN
    report, because every such paragraph shares the List Number style's one list."""
    paragraph: WordParagraph = document.add_paragraph(text, style=NUMBERED_PARAGRAPH)
    return paragraph


def add_table(
    document: WordDocument,
    *,
    header: Sequence[str] | None,
    rows: Iterable[Sequence[Any]],
    caption: str = "",
    widths_cm: Sequence[float] | None = None,
) -> WordTable:
    """A table in the document's table style, with an optional caption above it (the Caption
    style) and header row, repeated on every page the table runs over."""
    if caption:
        document.add_paragraph(caption, style=CAPTION)
    rows = [list(values) for values in rows]
    columns = len(header) if header is not None else max((len(row) for row in rows), default=1)
    table: WordTable = document.add_table(rows=0, cols=columns, style=TABLE_STYLE)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if header is not None:
        head = table.add_row()  # type: ignore[no-untyped-call]
        _repeat_as_header(head)
        for cell, text in zip(head.cells, header, strict=True):
            cell.text = str(text)
    for values in rows:
        cells = table.add_row().cells  # type: ignore[no-untyped-call]
        for cell, value in zip(cells, values, strict=True):
            cell.text = "" if value is None else str(value)
    if widths_cm:
        for row in table.rows:
            for cell, width in zip(row.cells, widths_cm, strict=False):
                cell.width = Cm(width)
    return table


def _repeat_as_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def add_picture(document: WordDocument, png: bytes, *, width_cm: float, caption: str) -> None:
    """A picture, `width_cm` wide, with its caption above it (the Caption style), as UN
    documents caption figures."""
    document.add_paragraph(caption, style=CAPTION)
    document.add_picture(io.BytesIO(png), width=Cm(width_cm))


def start_landscape_section(document: WordDocument) -> None:
    """Go on in a new section on landscape pages (for a wide annex table)."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)


def word_bytes(document: WordDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def chart_table_rows(block: Chart) -> tuple[list[str], list[list[str]]]:
    """The table of a chart's figures, as _status_chart.html shows it under the drawing."""
    header = [
        block.row_header,
        *(str(item["label"]) for item in block.chart.legend),
        str(_("Implementing (fully or partly)")),
    ]
    rows = [
        [bar.label, *(str(cell) for cell in bar.cells), f"{bar.share_percent}\u00a0%"]
        for bar in block.chart.bars
    ]
    return header, rows


def write_blocks(
    document: WordDocument,
    blocks: Iterable[Block],
    *,
    picture: Callable[[Chart], bytes] = chart_png,
    picture_width_cm: float = 16,
) -> None:
    """Write the blocks into `document` in its styles: headings, numbered or plain
    paragraphs, tables (with caption), charts as a picture followed by the table of the same
    figures."""
    for block in blocks:
        if isinstance(block, Heading):
            add_heading(document, block.full_text, level=block.level)
        elif isinstance(block, Paragraph):
            if block.numbered:
                add_numbered_paragraph(document, block.text)
            else:
                document.add_paragraph(block.text)
        elif isinstance(block, Table):
            add_table(document, header=block.header, rows=block.rows, caption=block.caption)
        elif isinstance(block, Chart):
            if block.chart:
                add_picture(
                    document, picture(block), width_cm=picture_width_cm, caption=block.caption
                )
                header, rows = chart_table_rows(block)
                add_table(document, header=header, rows=rows)
            else:
                document.add_paragraph(block.caption, style=CAPTION)
                document.add_paragraph(str(_("Nothing to count yet.")))
        elif isinstance(block, Facts):
            add_table(document, header=None, rows=block.items)
