"""The ingest stage: read .txt, .md, .html/.htm, .pdf and .docx files into
:class:`~regiograph.model.Document`, with title, source address, date and author from a
folder's ``metadata.tsv`` (or ``SOURCES.tsv``) where it has one. A file that cannot be read
raises :class:`~regiograph.errors.BadInputError` with a one-line reason;
:func:`iter_documents` turns those into :class:`Skipped` records.
"""

from __future__ import annotations

import codecs
import copy
import hashlib
import io
import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from regiograph.errors import BadInputError, UsageError
from regiograph.model import Document

#: File suffixes :func:`read_document` can read (compared case-insensitively).
SUFFIXES: tuple[str, ...] = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")

MEDIA_TYPES: dict[str, str] = {
    **{".txt": "text/plain", ".md": "text/markdown", ".html": "text/html"},
    **{".htm": "text/html", ".pdf": "application/pdf"},
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

#: Metadata file names, in order of preference.
METADATA_FILES: tuple[str, ...] = ("metadata.tsv", "SOURCES.tsv")

DEFAULT_MAX_BYTES = 20_000_000
_TITLE_MAX = 200
_DATE_LINE = re.compile(r"^\s*date\s+(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?!\d)")
_META_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D}
_CONTROL_DELETE = bytes(sorted(_CONTROL_BYTES))  # bytes.translate deletes these
_SUPPORTED = ", ".join(SUFFIXES)
# Placeholders python-docx's default template writes into every new file.
_DOCX_TEMPLATE = ("python-docx", datetime(2013, 12, 23, 23, 15, tzinfo=UTC))
# Boilerplate removed before extraction: navigation, page chrome, scripts, cookie banners.
_BOILERPLATE = (
    "//nav | //footer | //aside | //script | //style | //noscript | //template"
    " | //header[not(ancestor::article) and not(ancestor::main) and not(.//h1)]"
    " | //*[not(self::html or self::body or self::main or self::article)]"
    "[contains(translate(concat(@id, ' ', @class), 'COKIENST', 'cokienst'), 'cookie')"
    " or contains(translate(concat(@id, ' ', @class), 'COKIENST', 'cokienst'), 'consent')]"
    "[string-length(normalize-space(.)) < 2000]"
)
_HTML_BLOCKS = (
    *("address", "article", "blockquote", "br", "dd", "details", "div", "dl", "dt"),
    *("figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li"),
    *("main", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul"),
)
_TEI_BLOCKS = frozenset({"p", "head", "table", "quote", "code", "div"})


@dataclass(frozen=True)
class DocumentMeta:
    """Metadata for one file from a folder's ``metadata.tsv`` or ``SOURCES.tsv``."""

    title: str | None = None
    url: str | None = None
    date: date | None = None
    author: str | None = None


@dataclass(frozen=True)
class Skipped:
    """A file :func:`iter_documents` could not read, with the reason why."""

    path: str
    reason: str


def discover(inputs: Sequence[str | Path]) -> list[Path]:
    """List the document files named by ``inputs``.

    Parameters
    ----------
    inputs
        Files and folders. Folders are searched recursively for supported suffixes, leaving
        out hidden files and folders, ``metadata.tsv``, ``SOURCES.tsv``, ``README*`` and
        Office lock files (``~$*``). A file named explicitly is kept whatever its suffix.

    Returns
    -------
    list of Path
        Every file once, sorted by path.

    Raises
    ------
    UsageError
        An input does not exist, or a folder cannot be listed.
    """
    found: dict[str, str] = {}  # real path -> the path as found (strings: 10,000 Path
    # objects made, compared and sorted took longer than reading the folder)
    for item in inputs:
        path = Path(item)
        if not path.exists():
            hint = f"give existing files or folders with {_SUPPORTED} documents"
            raise UsageError(f"input not found: {path}", hint=hint)
        if not path.is_dir():
            found.setdefault(str(path.resolve()), str(path))
            continue
        # a walk does not descend into links: below the folder only a file can be one, so
        # the real path of the others is the folder's real path joined with theirs
        # (resolving each path took longer than walking the folder)
        root, real = str(path), str(path.resolve())
        prefix = root if root.endswith(os.sep) else root + os.sep
        for where, is_link in _walk(root):
            key = os.path.realpath(where) if is_link else os.path.join(real, where[len(prefix) :])
            found.setdefault(key, where)
    return [Path(p) for p in sorted(found.values(), key=_path_order)]


def _path_order(path: str):
    """Sort key that orders paths as :class:`pathlib.Path` objects compare."""
    return path.split(os.sep) if os.sep == "/" else Path(path)


def _walk(root: str) -> Iterator[tuple[str, bool]]:
    """``(path, is a symbolic link)`` of every supported file below ``root``, leaving out
    hidden folders and files (as :func:`discover` says); links to folders are not
    followed."""
    skip = {name.lower() for name in METADATA_FILES}
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            hint = "check its permissions"
            raise UsageError(
                f"cannot list folder {exc.filename}: {exc.strerror}", hint=hint
            ) from exc
        for entry in entries:
            name = entry.name
            if entry.is_dir():  # a link to a folder: neither a file nor walked into
                if not name.startswith(".") and not entry.is_symlink():
                    folders.append(entry.path)
                continue
            lower = name.lower()
            hidden = name.startswith((".", "~$")) or lower.startswith("readme")
            dot = lower.rfind(".")
            suffix = lower[dot:] if 0 < dot < len(lower) - 1 else ""  # as Path.suffix
            if not hidden and lower not in skip and suffix in SUFFIXES:
                yield entry.path, entry.is_symlink()


def load_metadata(directory: Path) -> dict[str, DocumentMeta]:
    """Read the metadata file of a folder, if it has one.

    Parameters
    ----------
    directory
        The folder. ``metadata.tsv`` wins over ``SOURCES.tsv``: UTF-8, tab-separated, a
        header line with column ``file`` and optionally ``title``, ``source`` or ``url``,
        ``date`` (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``), ``author``; others are ignored.

    Returns
    -------
    dict of str to DocumentMeta
        Metadata by file name; empty when the folder has no metadata file.

    Raises
    ------
    BadInputError
        The metadata file is unreadable or malformed.
    """
    for name in METADATA_FILES:
        path = Path(directory) / name
        if path.is_file():
            return _parse_metadata(path)
    return {}


def _parse_metadata(path: Path) -> dict[str, DocumentMeta]:
    where = str(path)
    hint = "use a UTF-8 tab-separated file with a header line: file, title, source, date"
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise BadInputError(where, f"unreadable ({exc.strerror or type(exc).__name__})") from exc
    except UnicodeDecodeError as exc:
        raise BadInputError(where, "metadata file is not UTF-8", hint=hint) from exc
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header = [cell.strip().lower() for cell in lines[0].split("\t")]
    if "file" not in header:
        raise BadInputError(where, "metadata file has no 'file' column", hint=hint)
    result: dict[str, DocumentMeta] = {}
    for lineno, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        row = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False))
        name, day = row["file"], _parse_date(row.get("date", ""))
        problem = None
        if any(cells[len(header) :]):
            problem = f"{len(cells)} fields but {len(header)} columns"
        elif not name:
            problem = "empty 'file' value"
        elif name in result:
            problem = f"{name} is listed twice"
        elif day is False:
            problem = f"bad date {row['date']!r} (not YYYY-MM-DD, YYYY-MM or YYYY)"
        if problem:
            raise BadInputError(where, f"line {lineno}: {problem}", hint=hint)
        result[name] = DocumentMeta(
            title=row.get("title") or None,
            url=row.get("url") or row.get("source") or None,
            date=day or None,
            author=row.get("author") or None,
        )
    return result


def _parse_date(value: str) -> date | bool | None:
    """``None`` for an empty value, ``False`` for a bad one."""
    match = _META_DATE.fullmatch(value.strip())
    return (_make_date(*match.groups()) or False) if match else (False if value else None)


def _make_date(year: str, month: str | None, day: str | None) -> date | None:
    try:
        return date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None


def read_document(
    path: Path, *, meta: DocumentMeta | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Document:
    """Read one file into a :class:`~regiograph.model.Document`.

    Parameters
    ----------
    path
        The file; its suffix selects the reader.
    meta
        From the folder's metadata file; its fields win over what the file says.
    max_bytes
        Larger files are refused.

    Returns
    -------
    Document
        NFC text with ``\\n`` line breaks; title, url, date and author where known.

    Raises
    ------
    BadInputError
        Unsupported type, unreadable, empty, too large, binary, undecodable, corrupt, or
        no text found.
    """
    path = Path(path)
    where = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        reason = f"unsupported file type {suffix or '(no suffix)'}"
        raise BadInputError(where, reason, hint=f"supported: {_SUPPORTED}")
    try:
        size = path.stat().st_size
        if size <= max_bytes:
            raw = path.read_bytes()
            size = len(raw)
    except OSError as exc:
        reason = f"unreadable ({exc.strerror or type(exc).__name__})"
        raise BadInputError(where, reason, hint="check that the file can be read") from exc
    if size > max_bytes:
        reason = f"too large ({_size(size)} > {_size(max_bytes)} limit)"
        raise BadInputError(where, reason, hint="split the document or raise the size limit")
    if size == 0:
        raise BadInputError(where, "empty file (0 bytes)")
    info: dict[str, Any] = {}
    if suffix in (".txt", ".md"):
        text = _decode_text(raw, where)
        if suffix == ".md":
            text = _strip_markdown(text)
    elif suffix in (".html", ".htm"):
        text, info = _read_html(raw, where)
    elif suffix == ".pdf":
        text, info = _read_pdf(raw, where)
    else:
        text, info = _read_docx(raw, where)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise BadInputError(where, "no text (only whitespace)")
    if suffix in (".txt", ".md"):
        match = _DATE_LINE.match(text)
        if match:
            info["date"] = _make_date(*match.groups())
        info["title"] = _first_line(text[match.end() :] if match else text)
    meta = meta or DocumentMeta()
    return Document(
        doc_id=path.name,
        text=text,
        title=meta.title or info.get("title") or _first_line(text),
        url=meta.url or info.get("url"),
        date=meta.date or info.get("date"),
        author=meta.author or info.get("author"),
        media_type=MEDIA_TYPES[suffix],
        sha256=hashlib.sha256(raw).hexdigest(),
        path=where,
    )


def _size(n: int) -> str:
    for unit, factor in (("MB", 1_000_000), ("kB", 1_000)):
        if n >= factor:
            return f"{n / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def _first_line(text: str) -> str | None:
    for line in text.split("\n"):
        if line.strip():
            return line.strip()[:_TITLE_MAX].rstrip()
    return None


def _decode_text(raw: bytes, where: str) -> str:
    """Decode UTF-8 (BOM optional), UTF-16 with BOM, or plausible cp1252 / latin-1."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise BadInputError(where, "undecodable (broken UTF-16)") from exc
    _check_binary(raw, where)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=["cp1252", "latin_1"]).best()
    if best is None:
        raise BadInputError(
            where, "undecodable (not UTF-8, cp1252 or latin-1)", hint="save it as UTF-8"
        )
    return raw.decode(best.encoding)


def _check_binary(raw: bytes, where: str) -> None:
    sample = raw[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROL_DELETE))
    if b"\x00" in sample or controls > 0.05 * len(sample):
        raise BadInputError(where, "binary content, not text", hint="give a text document")


def _strip_markdown(text: str) -> str:
    text = re.sub(r"(?m)^([ \t]{0,3})#{1,6}[ \t]+", r"\1", text)
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    return re.sub(r"!?\[([^\]\n]*)\]\([^)\n]*\)", r"\1", text)


def _read_html(raw: bytes, where: str) -> tuple[str, dict[str, Any]]:
    import lxml.html
    import trafilatura
    from lxml import etree

    text = _decode_html(raw, where)
    if not text.strip():
        raise BadInputError(where, "no text (only whitespace)")
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        tree = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:  # lxml: "Document is empty"
        raise BadInputError(where, "no main text found in HTML") from exc
    for element in tree.xpath(_BOILERPLATE):
        if element.getparent() is not None:
            element.drop_tree()
    result = trafilatura.bare_extraction(
        copy.deepcopy(tree), with_metadata=True, include_comments=False, include_tables=True
    )
    info: dict[str, Any] = {}
    body = _tei_text(result.body) if result is not None and result.body is not None else ""
    if result is not None:
        info = {"title": result.title, "url": result.url, "author": result.author}
        info["date"] = _parse_date(result.date or "") or None
    if not body.strip():
        body = _html_text(tree.body) if tree.find("body") is not None else ""
    if not body.strip():
        raise BadInputError(where, "no main text found in HTML", hint="save the text as .txt")
    if not info.get("title"):
        info["title"] = _first_line(" ".join(tree.xpath("//title//text()")))
    return body, info


def _decode_html(raw: bytes, where: str) -> str:
    match = _META_CHARSET.search(raw[:4096])
    if match and not raw.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            name = codecs.lookup(match.group(1).decode("ascii")).name
        except LookupError:
            name = ""
        _check_binary(raw, where)
        # Browsers read pages labelled latin-1 or ASCII as windows-1252.
        for encoding in ("cp1252", "latin-1") if name in ("iso8859-1", "ascii") else (name,):
            if encoding and not encoding.startswith("utf-16"):
                try:
                    return raw.decode(encoding)
                except UnicodeDecodeError:
                    continue
    return _decode_text(raw, where)


def _tidy(text: str) -> str:
    lines = (re.sub(r"[ \t\f\v\r]+", " ", line).strip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _tei_text(body: Any) -> str:
    """Text of trafilatura's XML body: blocks apart by a blank line, list items per line."""
    for element in body.iter():
        tag = element.tag
        if tag == "item":
            element.text = "\n- " + (element.text or "")
        elif tag in ("lb", "cell"):
            element.tail = "\n" + (element.tail or "")
        elif tag == "list":
            nested = element.getparent() is not None and element.getparent().tag == "item"
            element.tail = ("" if nested else "\n\n") + (element.tail or "")
        elif tag in _TEI_BLOCKS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
    return _tidy("".join(body.itertext()))


def _html_text(body: Any) -> str:
    """Plain text of an lxml ``<body>``, block elements and ``<br>`` as line breaks."""
    for element in body.iter(*_HTML_BLOCKS):
        if element.tag != "br":
            element.text = ("\n- " if element.tag == "li" else "\n") + (element.text or "")
        if element.tag != "li":
            element.tail = "\n" + (element.tail or "")
    return _tidy(body.text_content())


def _read_pdf(raw: bytes, where: str) -> tuple[str, dict[str, Any]]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise BadInputError(where, "encrypted PDF", hint="remove the password first")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
        title = info.title if info else None
        author = info.author if info else None
    except BadInputError:
        raise
    except DependencyError as exc:  # AES encryption needs the cryptography package
        hint = "remove the encryption or install pypdf[crypto]"
        raise BadInputError(where, "encrypted PDF", hint=hint) from exc
    except Exception as exc:  # pypdf raises many types for damaged files
        hint = "re-export or repair the PDF"
        raise BadInputError(where, "corrupt or not a PDF file", hint=hint) from exc
    text = "\n\n".join(page.strip("\n") for page in pages).strip()
    if not text:
        raise BadInputError(where, "no text layer (scanned PDF?)", hint="run OCR first")
    return text, {"title": _first_line(title or ""), "author": (author or "").strip() or None}


def _read_docx(raw: bytes, where: str) -> tuple[str, dict[str, Any]]:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(raw))
        parts: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                seen: set[Any] = set()  # merged cells repeat; keeping them keeps proxies
                for row in block.rows:
                    for cell in row.cells:
                        if cell._tc not in seen:
                            seen.add(cell._tc)
                            parts.append(cell.text)
            else:
                parts.append(block.text)
        props = document.core_properties
        title, author, created = props.title, props.author, props.created
    except Exception as exc:  # zipfile, KeyError, lxml errors for damaged files
        hint = "open and save it again in Word"
        raise BadInputError(where, "corrupt or not a DOCX file", hint=hint) from exc
    text = "\n".join(parts).strip()
    if not text:
        raise BadInputError(where, "no text in DOCX")
    return text, {
        "title": _first_line(title or ""),
        "author": None if author == _DOCX_TEMPLATE[0] else (author or "").strip() or None,
        "date": created.date() if created and created != _DOCX_TEMPLATE[1] else None,
    }


def iter_documents(
    inputs: Sequence[str | Path],
    *,
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    reuse: Callable[[Path, DocumentMeta | None], Any] | None = None,
) -> Iterator[Any]:
    """Read every document under ``inputs``, in :func:`discover` order.

    Parameters
    ----------
    inputs
        Files and folders, as for :func:`discover`.
    strict
        Re-raise the first :class:`~regiograph.errors.BadInputError` instead of skipping.
    max_bytes
        Size limit per file, as for :func:`read_document`.
    reuse
        Called with each file and its metadata before the file is read; when it returns
        something other than ``None`` that is yielded instead of reading the file (the
        incremental build passes its cache lookup here).

    Yields
    ------
    Document or Skipped
        One per file (or what ``reuse`` returned for it), plus a :class:`Skipped` for a
        malformed metadata file (its folder is then read without metadata).

    Raises
    ------
    UsageError
        An input does not exist (:func:`discover`).
    BadInputError
        Only with ``strict=True``.
    """
    metadata: dict[Path, dict[str, DocumentMeta]] = {}
    for path in discover(inputs):
        folder = path.parent
        if folder not in metadata:
            metadata[folder] = {}
            try:
                metadata[folder] = load_metadata(folder)
            except BadInputError as exc:
                if strict:
                    raise
                yield Skipped(exc.path, exc.reason)
        meta = metadata[folder].get(path.name)
        if reuse is not None:
            found = reuse(path, meta)
            if found is not None:
                yield found
                continue
        try:
            yield read_document(path, meta=meta, max_bytes=max_bytes)
        except BadInputError as exc:
            if strict:
                raise
            yield Skipped(str(path), exc.reason)
