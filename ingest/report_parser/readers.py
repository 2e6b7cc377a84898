"""Text out of a report file: plain text, Word (.docx, python-docx) or PDF (pypdf).

Each reader returns the document as pages of lines, each line knowing where it came from, so
that an error can say "page 3, line 12" or "paragraph 45". Nothing here interprets the text.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import filetype

from core.archives import ArchiveRefused, check_zip

from .limits import DEFAULT_LIMITS, Limits, check_time, refuse_count
from .types import ReportParseError

FORMATS = {".txt": "text", ".md": "text", ".docx": "docx", ".pdf": "pdf"}
PAGE_BREAK = "\f"


@dataclass
class Line:
    text: str
    where: str
    page: int = 1
    # True when the next line continues this line's last word (a hyphenated line end): the
    # two are joined without a space.
    glue: bool = False
    # Page furniture (a footer, a running head, a footnote) removed by the cleaning: a sign of
    # a page break, which a heading or a paragraph runs across.
    furniture: bool = False


def detect_format(data: bytes, filename: str) -> str:
    """ "text", "docx" or "pdf", from the file name, checked against the file's content.

    A file whose content contradicts its name is refused: a PDF renamed .docx would otherwise
    fail deep inside a library with a message no one can act on.
    """
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in FORMATS:
        raise ReportParseError(
            f"{filename!r} is not a report file this importer reads: use .txt, .docx or .pdf"
        )
    wanted = FORMATS[suffix]
    kind = filetype.guess(data)
    found = kind.extension if kind else None
    if wanted == "pdf" and not data.lstrip()[:5] == b"%PDF-":
        raise ReportParseError(f"{filename!r} is named .pdf but is not a PDF file")
    if wanted == "docx" and not (found in {"docx", "zip"} or data[:2] == b"PK"):
        raise ReportParseError(f"{filename!r} is named .docx but is not a Word (.docx) file")
    if wanted == "text" and found in {"pdf", "docx", "zip", "doc"}:
        raise ReportParseError(f"{filename!r} is named {suffix} but holds a {found} file")
    return wanted


def read_pages(
    data: bytes, *, filename: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[str, list[list[Line]]]:
    """The format and the pages of lines of a report file; a file past one of `limits` is
    refused (ReportParseError naming the limit) before it is read further."""
    fmt = detect_format(data, filename)
    if fmt == "pdf":
        pages = _pdf_pages(data, limits)
    elif fmt == "docx":
        pages = _docx_pages(data, limits)
    else:
        text = _decode(data)
        # Counted before any Line is built: the refusal costs one pass over the bytes.
        refuse_count(text.count("\n") + 1, limits.max_lines, "lines")
        pages = text_pages(text)
    if not any(line.text.strip() for page in pages for line in page):
        raise ReportParseError(f"{filename!r} holds no text")
    return fmt, pages


def text_pages(text: str) -> list[list[Line]]:
    """Plain text: form feeds (as pdftotext writes them) separate pages."""
    pages: list[list[Line]] = [[]]
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        chunks = raw.split(PAGE_BREAK)
        for index, chunk in enumerate(chunks):
            if index:
                pages.append([])
            pages[-1].append(Line(chunk, f"line {number}", page=len(pages)))
    return pages


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ReportParseError("the file is not text (it holds binary data); use .docx or .pdf")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReportParseError(
            "the text is not UTF-8 (save it as UTF-8 text)", where=f"line {line}"
        ) from None


# --- PDF ----------------------------------------------------------------------------------


def _pdf_pages(data: bytes, limits: Limits) -> list[list[Line]]:
    # Imported on first use: reading a PDF is rare, and pypdf is slow to import.
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ReportParseError("the PDF is encrypted; save an unprotected copy")
        texts = []
        lines = 0
        for page in reader.pages:
            check_time()
            texts.append(page.extract_text() or "")
            lines += texts[-1].count("\n") + 1
            refuse_count(lines, limits.max_lines, "lines")
    except ReportParseError:
        raise
    # pypdf raises many kinds of errors on damaged files (its own, ValueError, KeyError...);
    # all of them mean the same to the person uploading it.
    except (PyPdfError, Exception) as exc:
        raise ReportParseError(f"the PDF cannot be read ({type(exc).__name__}: {exc})") from None
    if texts and not any(text.strip() for text in texts):
        raise ReportParseError(
            "the PDF has no text layer (a scanned image?); run it through OCR or use the .docx"
        )
    pages = []
    for page_number, text in enumerate(texts, 1):
        pages.append(
            [
                Line(line, f"page {page_number}, line {n}", page=page_number)
                for n, line in enumerate(text.split("\n"), 1)
            ]
        )
    return pages


# --- Word ---------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_pages(data: bytes, limits: Limits) -> list[list[Line]]:
    # Imported on first use, as pypdf above.
    import docx
    from docx.table import Table

    try:
        # Before python-docx inflates anything: a zip bomb is refused unread.
        check_zip(
            data,
            max_unzipped_bytes=limits.max_unzipped_bytes,
            max_ratio=limits.max_zip_ratio,
        )
        document = docx.Document(io.BytesIO(data))
        numbering = _Numbering(document, max_number=limits.max_list_number)
        blocks: list[tuple[str, object]] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    for cell in row.cells:
                        blocks.extend(("p", paragraph) for paragraph in cell.paragraphs)
            else:
                blocks.append(("p", block))
            check_time()
        # Counted before any paragraph is rendered: the refusal names the whole count.
        refuse_count(len(blocks), limits.max_lines, "paragraphs")
        pages: list[list[Line]] = [[]]
        for index, (_, paragraph) in enumerate(blocks, 1):
            check_time()
            where = f"paragraph {index}"
            if _page_break_before(paragraph):
                pages.append([])
            prefix = numbering.label(paragraph)
            pieces = _paragraph_pieces(paragraph)
            text = prefix
            for piece in pieces:
                if piece == PAGE_BREAK:
                    pages[-1].append(Line(text, where, page=len(pages)))
                    pages.append([])
                    text = ""
                elif piece == "\n":
                    pages[-1].append(Line(text, where, page=len(pages)))
                    text = ""
                else:
                    text += piece
            pages[-1].append(Line(text, where, page=len(pages)))
        return pages
    except ArchiveRefused as exc:
        raise ReportParseError(str(exc)) from None
    except ReportParseError:
        raise
    # python-docx and zipfile raise many kinds of errors on damaged files (BadZipFile,
    # KeyError for a missing part, lxml's XMLSyntaxError...): all mean the file is unreadable.
    except (zipfile.BadZipFile, Exception) as exc:
        raise ReportParseError(
            f"the Word file cannot be read ({type(exc).__name__}: {exc})"
        ) from None


def _page_break_before(paragraph) -> bool:
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.find(f"{_W}pageBreakBefore") is not None


def _paragraph_pieces(paragraph) -> list[str]:
    """The paragraph's text in document order, with line and page breaks as markers.

    python-docx's `Paragraph.text` drops page breaks, which the parser needs to recognise the
    page headers and footers a converted document carries in its body.
    """
    pieces: list[str] = []
    for element in paragraph._p.iter():
        tag = element.tag
        if tag == f"{_W}t":
            pieces.append(element.text or "")
        elif tag == f"{_W}tab":
            pieces.append(" ")
        elif tag in (f"{_W}br", f"{_W}cr"):
            kind = element.get(f"{_W}type")
            pieces.append(PAGE_BREAK if kind == "page" else "\n")
        elif tag == f"{_W}noBreakHyphen":
            pieces.append("-")
        elif tag == f"{_W}softHyphen":
            pieces.append("\u00ad")
        elif tag == f"{_W}sym":
            pieces.append(" ")
    return pieces


_FORMATTERS = {
    "decimal": str,
    "lowerLetter": lambda n: _letters(n).lower(),
    "upperLetter": lambda n: _letters(n),
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperRoman": lambda n: _roman(n),
    "bullet": lambda n: "",
    "none": lambda n: "",
}


# Word's letters repeat (a..z, aa..zz, aaa..), so their length grows with the number itself,
# not its logarithm: a value is rendered only up to this bound, far above any list a report
# holds; the numbering's own limit (Limits.max_list_number) refuses a file long before it.
MAX_RENDERED_NUMBER = 100_000


def _bounded(n: int) -> int:
    if not 0 <= n <= MAX_RENDERED_NUMBER:
        raise ReportParseError(
            f"the file numbers a list item {n:,}; the limit is {MAX_RENDERED_NUMBER:,}"
        )
    return n


def _letters(n: int) -> str:
    # Word's letters: a..z, then aa..zz. At most MAX_RENDERED_NUMBER / 26 + 1 characters.
    n = _bounded(n)
    if n == 0:
        return ""
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    n = _bounded(n)
    out = ""
    for value, numeral in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out += numeral
            n -= value
    return out


class _Numbering:
    """Word's automatic paragraph numbering, rendered as the text Word shows ("12. ", "(a) ").

    UN reports number their paragraphs with Word's numbering, which is not in the paragraph's
    text. This renders the common cases: decimal, letters and roman numerals with their level
    text ("%1.", "(%2)"), start values, and restarting lower levels.
    """

    def __init__(self, document, *, max_number: int = DEFAULT_LIMITS.max_list_number) -> None:
        self.max_number = max_number
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.styles = document.styles
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            root = None
        if root is None:
            return
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for node in root.findall(f"{_W}abstractNum"):
            levels = {}
            for lvl in node.findall(f"{_W}lvl"):
                ilvl = int(lvl.get(f"{_W}ilvl", "0"))
                start = lvl.find(f"{_W}start")
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                levels[ilvl] = (
                    self._start(start) if start is not None else 1,
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{_W}val", "") if text is not None else "",
                )
            abstract[node.get(f"{_W}abstractNumId")] = levels
        for node in root.findall(f"{_W}num"):
            ref = node.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            levels = dict(abstract.get(ref.get(f"{_W}val"), {}))
            for override in node.findall(f"{_W}lvlOverride"):
                ilvl = int(override.get(f"{_W}ilvl", "0"))
                start = override.find(f"{_W}startOverride")
                if start is not None and ilvl in levels:
                    _, fmt, text = levels[ilvl]
                    levels[ilvl] = (self._start(start), fmt, text)
            self.levels[node.get(f"{_W}numId")] = levels

    def _start(self, element) -> int:
        value = int(element.get(f"{_W}val", "1"))
        self._check_number(value)
        return value

    def _check_number(self, value: int) -> None:
        if not -1 <= value <= self.max_number:
            raise ReportParseError(
                f"the file's list numbering reaches {value:,}; the limit is {self.max_number:,}"
            )

    def _num_pr(self, paragraph) -> tuple[str, int] | None:
        ppr = paragraph._p.pPr
        num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
        style = paragraph.style
        while num_pr is None and style is not None:
            sppr = style.element.find(f"{_W}pPr")
            num_pr = sppr.find(f"{_W}numPr") if sppr is not None else None
            style = style.base_style
        if num_pr is None:
            return None
        num_id = num_pr.find(f"{_W}numId")
        ilvl = num_pr.find(f"{_W}ilvl")
        if num_id is None:
            return None
        return num_id.get(f"{_W}val"), int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0

    def label(self, paragraph) -> str:
        found = self._num_pr(paragraph)
        if found is None or found[0] not in self.levels:
            return ""
        num_id, ilvl = found
        levels = self.levels[num_id]
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][0] - 1) + 1
        self._check_number(counters[ilvl])
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]
        _, fmt, text = levels[ilvl]
        if fmt == "bullet" or not text:
            return ""

        def render(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            start, level_fmt, _ = levels.get(level, (1, "decimal", ""))
            value = counters.get(level, start)
            return _FORMATTERS.get(level_fmt, str)(value)

        return re.sub(r"%(\d)", render, text) + " "
