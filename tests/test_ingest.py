"""Tests of the ingest stage: discovery, metadata files and reading each document type."""

from __future__ import annotations

import csv
import hashlib
import io
import os
from datetime import UTC, date, datetime
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from regiograph.errors import BadInputError, UsageError
from regiograph.ingest import (
    SUFFIXES,
    DocumentMeta,
    Skipped,
    discover,
    iter_documents,
    load_metadata,
    read_document,
)
from regiograph.model import Document

SHARED = Path(__file__).resolve().parents[2] / "shared"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"


def make_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A minimal valid PDF: one Helvetica text line per string, one page per list."""

    def literal(text: str) -> bytes:
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + escaped.encode("cp1252") + b")"

    font = len(pages) * 2 + 3
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(len(pages)))
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)))
    for i, lines in enumerate(pages):
        ops = [b"BT /F1 12 Tf 14 TL 72 720 Td"] + [literal(line) + b" Tj T*" for line in lines]
        stream = b"\n".join([*ops, b"ET"])
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * i, font)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    if title:
        objects.append(b"<< /Title " + literal(title) + b" >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    info = b" /Info %d 0 R" % len(objects) if title else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (len(objects) + 1, info)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def reason_of(path: Path, **kwargs: object) -> str:
    with pytest.raises(BadInputError) as info:
        read_document(path, **kwargs)  # type: ignore[arg-type]
    assert info.value.path == str(path)
    return info.value.reason


# --- plain text and Markdown ---------------------------------------------------------------


def test_suffixes() -> None:
    assert SUFFIXES == (".txt", ".md", ".html", ".htm", ".pdf", ".docx")


def test_utf8_text_keeps_text_and_takes_title_from_first_line(tmp_path: Path) -> None:
    text = "\n  Regio Deal Zuidoost Friesland  \n\nDe gemeenten werken samen.\n  • punt één\n"
    path = write(tmp_path / "regio.txt", text)
    doc = read_document(path)
    assert doc == Document(
        doc_id="regio.txt",
        text=text,
        title="Regio Deal Zuidoost Friesland",
        media_type="text/plain",
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        path=str(path),
    )


def test_utf8_with_bom(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbfFrysl\xc3\xa2n\nTekst.\n")
    doc = read_document(path)
    assert doc.text == "Fryslân\nTekst.\n"
    assert doc.title == "Fryslân"


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = write(tmp_path / "u16.txt", "Fryslân\nTekst.\n".encode("utf-16"))
    assert read_document(path).text == "Fryslân\nTekst.\n"


def test_cp1252_text(tmp_path: Path) -> None:
    text = (
        "Provincie Fryslân investeert € 18,2 miljoen\n\n"
        "De “Regio Deal” heet ‘Nieuw Land’ – zegt de gedeputeerde…\n"
    )
    path = write(tmp_path / "cp.txt", text.encode("cp1252"))
    doc = read_document(path)
    assert doc.text == text
    assert doc.title == "Provincie Fryslân investeert € 18,2 miljoen"


def test_latin1_text(tmp_path: Path) -> None:
    text = "Súdwest-Fryslân en Noardeast-Fryslân: één café, ± 40 deelnemers.\n"
    path = write(tmp_path / "latin.txt", text.encode("latin-1"))
    assert read_document(path).text == text


def test_newlines_and_nfc_normalised(tmp_path: Path) -> None:
    path = write(tmp_path / "crlf.txt", "Titel\r\n\r\nFrysla\u0302n werkt.\r\nSlot.\r")
    assert read_document(path).text == "Titel\n\nFryslân werkt.\nSlot.\n"


@pytest.mark.parametrize(
    ("text", "expected_date", "expected_title"),
    [
        (
            " date 2018-11 \n\n'Zorg voor het Noorden' moet\n",
            date(2018, 11, 1),
            "'Zorg voor het Noorden' moet",
        ),
        (
            " date 2017-01 Groningse Energy-organisaties gaan samen\n",
            date(2017, 1, 1),
            "Groningse Energy-organisaties gaan samen",
        ),
        ("date 2019\nTitel\n", date(2019, 1, 1), "Titel"),
        ("date 2020-05-17\nTitel\n", date(2020, 5, 17), "Titel"),
        ("date 2020-13\nTitel\n", None, "Titel"),
        ("Titel\ndate 2020-05\n", None, "Titel"),
    ],
)
def test_leading_date_line(
    tmp_path: Path, text: str, expected_date: date | None, expected_title: str
) -> None:
    doc = read_document(write(tmp_path / "d.txt", text))
    assert (doc.date, doc.title, doc.text) == (expected_date, expected_title, text)


def test_title_is_cut_at_200_characters(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "long.txt", "woord " * 100))
    assert doc.title == ("woord " * 34)[:200]
    assert len(doc.title) == 200


def test_markdown_markup_removed(tmp_path: Path) -> None:
    text = (
        "# Regio Deal\n\n## Partners\n"
        "De **provincie** werkt met [gemeente Emmen](https://emmen.nl) en __NHL Stenden__.\n"
        "- punt een\n"
    )
    doc = read_document(write(tmp_path / "note.md", text))
    assert doc.text == (
        "Regio Deal\n\nPartners\nDe provincie werkt met gemeente Emmen en NHL Stenden.\n"
        "- punt een\n"
    )
    assert (doc.title, doc.media_type) == ("Regio Deal", "text/markdown")


# --- metadata files ------------------------------------------------------------------------


def test_metadata_tsv(tmp_path: Path) -> None:
    write(
        tmp_path / "metadata.tsv",
        "file\ttitle\tsource\tdate\tauthor\textra\n"
        "a.txt\tTitel A\thttps://a.nl/\t2021-03-15\tJan Jansen\tx\n"
        "b.txt\tTitel B\t\t2021-03\t\t\n"
        "\n"
        "c.txt\t\t\t2020\n",
    )
    assert load_metadata(tmp_path) == {
        "a.txt": DocumentMeta("Titel A", "https://a.nl/", date(2021, 3, 15), "Jan Jansen"),
        "b.txt": DocumentMeta("Titel B", None, date(2021, 3, 1), None),
        "c.txt": DocumentMeta(None, None, date(2020, 1, 1), None),
    }
    write(tmp_path / "a.txt", "Eerste regel\nTekst.\n")
    write(tmp_path / "c.txt", " date 2018-11 \nEerste regel\n")
    docs = list(iter_documents([tmp_path]))
    assert [(d.doc_id, d.title, d.url, d.date, d.author) for d in docs] == [  # type: ignore[union-attr]
        ("a.txt", "Titel A", "https://a.nl/", date(2021, 3, 15), "Jan Jansen"),
        ("c.txt", "Eerste regel", None, date(2020, 1, 1), None),
    ]


def test_sources_tsv_and_url_column(tmp_path: Path) -> None:
    write(tmp_path / "SOURCES.tsv", "file\ttitle\tsource\r\nx.txt\tBron titel\thttps://x.nl/a\r\n")
    write(tmp_path / "x.txt", "Eigen titel\nTekst.\n")
    doc = read_document(tmp_path / "x.txt", meta=load_metadata(tmp_path)["x.txt"])
    assert (doc.title, doc.url) == ("Bron titel", "https://x.nl/a")
    write(tmp_path / "metadata.tsv", "\ufeffFile\tURL\nx.txt\thttps://x.nl/b\n")
    assert load_metadata(tmp_path) == {"x.txt": DocumentMeta(url="https://x.nl/b")}


def test_no_metadata_file(tmp_path: Path) -> None:
    assert load_metadata(tmp_path) == {}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"naam\ttitel\na.txt\tA\n", "metadata file has no 'file' column"),
        (b"", "metadata file has no 'file' column"),
        (b"file\ttitle\na.txt\tA\tB\n", "line 2: 3 fields but 2 columns"),
        (b"file\ttitle\n\tA\n", "line 2: empty 'file' value"),
        (b"file\ttitle\na.txt\tA\na.txt\tB\n", "line 3: a.txt is listed twice"),
        (
            b"file\tdate\na.txt\t15-03-2021\n",
            "line 2: bad date '15-03-2021' (not YYYY-MM-DD, YYYY-MM or YYYY)",
        ),
        (
            b"file\tdate\na.txt\t2021-02-30\n",
            "line 2: bad date '2021-02-30' (not YYYY-MM-DD, YYYY-MM or YYYY)",
        ),
        (b"file\ttitle\na.txt\tFrysl\xe2n\n", "metadata file is not UTF-8"),
    ],
)
def test_malformed_metadata(tmp_path: Path, content: bytes, reason: str) -> None:
    path = write(tmp_path / "metadata.tsv", content)
    with pytest.raises(BadInputError) as info:
        load_metadata(tmp_path)
    assert (info.value.path, info.value.reason) == (str(path), reason)


# --- HTML ----------------------------------------------------------------------------------

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<title>Regio Deal getekend | Provincie Drenthe</title>
<meta name="author" content="Jan Jansen">
<meta name="date" content="2021-03-15">
<link rel="canonical" href="https://www.drenthe.nl/nieuws/regio-deal">
</head><body>
<header class="site-header"><a href="/">Provincie Drenthe</a> <a href="/zoeken">Zoeken</a></header>
<nav><ul><li><a href="/">Home</a></li><li><a href="/nieuws">Nieuws</a></li>
<li><a href="/contact">Contact</a></li></ul></nav>
<div class="cookie-banner">Deze website gebruikt cookies. <button>Accepteer cookies</button></div>
<main><article>
<h1>Regio Deal getekend</h1>
<p>De provincie Drenthe en de gemeente Emmen hebben maandag de Regio Deal getekend.
Het Rijk draagt 7,5 miljoen euro bij aan de plannen.</p>
<p>De samenwerking richt zich op drie thema's:</p>
<ul><li>onderwijs en arbeidsmarkt</li><li>wonen en leefbaarheid</li>
<li>economie en innovatie</li></ul>
<p>Gedeputeerde Cees Bijl noemt de deal een belangrijke stap.<br>Alle inwoners profiteren.</p>
</article></main>
<footer><p>Provincie Drenthe, Westerbrink 1, Assen. Alle rechten voorbehouden.</p></footer>
</body></html>
"""


def test_html_article(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "page.html", ARTICLE_HTML))
    assert doc.text == (
        "Regio Deal getekend\n\n"
        "De provincie Drenthe en de gemeente Emmen hebben maandag de Regio Deal getekend. "
        "Het Rijk draagt 7,5 miljoen euro bij aan de plannen.\n\n"
        "De samenwerking richt zich op drie thema's:\n\n"
        "- onderwijs en arbeidsmarkt\n- wonen en leefbaarheid\n- economie en innovatie\n\n"
        "Gedeputeerde Cees Bijl noemt de deal een belangrijke stap.\nAlle inwoners profiteren."
    )
    assert (doc.title, doc.author, doc.date, doc.url, doc.media_type) == (
        "Regio Deal getekend",
        "Jan Jansen",
        date(2021, 3, 15),
        "https://www.drenthe.nl/nieuws/regio-deal",
        "text/html",
    )
    for boilerplate in ("Home", "Contact", "cookies", "Westerbrink", "Zoeken"):
        assert boilerplate not in doc.text


def test_html_metadata_file_wins(tmp_path: Path) -> None:
    path = write(tmp_path / "page.htm", ARTICLE_HTML)
    doc = read_document(path, meta=DocumentMeta(title="Andere titel", date=date(2020, 1, 1)))
    assert (doc.title, doc.date, doc.author) == ("Andere titel", date(2020, 1, 1), "Jan Jansen")


def test_malformed_html_still_yields_text(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Campus Emmen</title><body><div class=content>"
        "<h1>Campus Emmen getekend<p>De provincie Drenthe en de gemeente Emmen tekenen een "
        "intentieverklaring.<p>Ook NHL Stenden doet mee aan het masterplan <ul><li>onderwijs"
        "<li>onderzoek</div>"
    )
    doc = read_document(write(tmp_path / "bad.html", html))
    assert doc.text == (
        "Campus Emmen getekend\n\n"
        "De provincie Drenthe en de gemeente Emmen tekenen een intentieverklaring.\n\n"
        "Ook NHL Stenden doet mee aan het masterplan\n\n- onderwijs\n- onderzoek"
    )
    assert doc.title == "Campus Emmen getekend"


def test_html_fallback_when_trafilatura_finds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *args, **kwargs: None)
    html = (
        "<html><head><title>Kop</title></head><body><nav>Menu</nav><div>Eerste blok"
        "<p>Alinea <b>vet</b> tekst.</p><ul><li>een</li><li>twee</li></ul>Regel<br>Nieuwe regel"
        "</div><script>var x = 1;</script></body></html>"
    )
    doc = read_document(write(tmp_path / "f.html", html))
    assert doc.text == "Eerste blok\nAlinea vet tekst.\n\n- een\n- twee\nRegel\nNieuwe regel"
    assert doc.title == "Kop"


def test_html_charset_declared(tmp_path: Path) -> None:
    text = "De provincie Fryslân investeert € 18,2 miljoen in de “Regio Deal” voor de regio."
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        f"<title>Fryslân</title></head><body><article><p>{text}</p></article></body></html>"
    )
    doc = read_document(write(tmp_path / "cp.html", html.encode("cp1252")))
    assert (doc.text, doc.title) == (text, "Fryslân")


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><nav><ul><li><a href='/'>Home</a></li><li><a href='/x'>Nieuws</a></li>"
        "</ul></nav></body></html>",
        "<html><head><title>Leeg</title></head><body></body></html>",
        "<!-- alleen commentaar -->",
    ],
)
def test_html_without_main_text(tmp_path: Path, html: str) -> None:
    path = write(tmp_path / "nav.html", html)
    assert reason_of(path) == "no main text found in HTML"


# --- PDF and DOCX --------------------------------------------------------------------------


def test_pdf(tmp_path: Path) -> None:
    data = make_pdf(
        [["Regio Deal Fryslân (2023)", "Provincie en gemeenten werken samen."], ["Pagina twee."]],
        title="Regio Deal",
    )
    doc = read_document(write(tmp_path / "deal.pdf", data))
    assert doc.text == (
        "Regio Deal Fryslân (2023)\nProvincie en gemeenten werken samen.\n\nPagina twee."
    )
    assert (doc.title, doc.media_type, doc.sha256) == (
        "Regio Deal",
        "application/pdf",
        hashlib.sha256(data).hexdigest(),
    )


def test_pdf_without_title_uses_first_line(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "n.pdf", make_pdf([["Eerste regel", "Tweede"]])))
    assert doc.title == "Eerste regel"


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    path = write(tmp_path / "scan.pdf", make_pdf([[]]))
    with pytest.raises(BadInputError) as info:
        read_document(path)
    assert (info.value.reason, info.value.hint) == ("no text layer (scanned PDF?)", "run OCR first")


@pytest.mark.parametrize(("password", "reason"), [("geheim", "encrypted PDF"), ("", None)])
def test_encrypted_pdf(tmp_path: Path, password: str, reason: str | None) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([["Tekst hier."]]))))
    writer.encrypt(user_password=password, owner_password="eigenaar", algorithm="RC4-128")
    path = tmp_path / "slot.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    if reason is None:
        assert read_document(path).text == "Tekst hier."
    else:
        assert reason_of(path) == reason


def make_docx(path: Path, *, props: bool = True) -> Path:
    document = docx.Document()
    document.add_paragraph("Samenwerking in Twente")
    document.add_paragraph("De 14 gemeenten werken samen met het ROC van Twente.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Partner"
    table.cell(0, 1).text = "Bijdrage"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "Saxion Hogeschool"
    document.add_paragraph("Slot.")
    if props:
        document.core_properties.title = "Twente Board"
        document.core_properties.author = "Techniekpact"
        document.core_properties.created = datetime(2022, 3, 24, 9, 30, tzinfo=UTC)
    document.save(str(path))
    return path


def test_docx(tmp_path: Path) -> None:
    doc = read_document(make_docx(tmp_path / "twente.docx"))
    assert doc.text == (
        "Samenwerking in Twente\nDe 14 gemeenten werken samen met het ROC van Twente.\n"
        "Partner\nBijdrage\nSaxion Hogeschool\nSlot."
    )
    assert (doc.title, doc.author, doc.date, doc.media_type) == (
        "Twente Board",
        "Techniekpact",
        date(2022, 3, 24),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def test_docx_ignores_python_docx_template_properties(tmp_path: Path) -> None:
    doc = read_document(make_docx(tmp_path / "plain.docx", props=False))
    assert (doc.title, doc.author, doc.date) == ("Samenwerking in Twente", None, None)


def test_docx_without_text(tmp_path: Path) -> None:
    path = tmp_path / "leeg.docx"
    docx.Document().save(str(path))
    assert reason_of(path) == "no text in DOCX"


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file (0 bytes)"),
        ("space.txt", b" \n\t\r\n  \n", "no text (only whitespace)"),
        ("space.md", b"#  \n\n", "no text (only whitespace)"),
        ("space.html", b"  \n ", "no text (only whitespace)"),
        ("empty.pdf", b"", "empty file (0 bytes)"),
        ("image.txt", PNG + b"\x00" * 64, "binary content, not text"),
        ("image.html", PNG + b"\x00" * 64, "binary content, not text"),
        ("control.txt", bytes(range(1, 9)) * 20 + b"tekst", "binary content, not text"),
        ("noise.txt", bytes(range(0x80, 0x100)) * 4, "undecodable (not UTF-8, cp1252 or latin-1)"),
        (
            "cyrillic.txt",
            "Регион Дренте сотрудничает с провинцией".encode("cp1251"),
            "undecodable (not UTF-8, cp1252 or latin-1)",
        ),
        ("image.xyz", PNG, "unsupported file type .xyz"),
        ("Makefile", b"all:\n", "unsupported file type (no suffix)"),
        ("broken.pdf", b"%PDF-1.4\nthis is not really a pdf\n", "corrupt or not a PDF file"),
        ("cut.pdf", make_pdf([["Tekst"]])[:150], "corrupt or not a PDF file"),
        ("broken.docx", b"PK\x03\x04 not a zip archive", "corrupt or not a DOCX file"),
        ("text.docx", b"Gewoon tekst", "corrupt or not a DOCX file"),
    ],
)
def test_bad_input(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    assert reason_of(write(tmp_path / name, data)) == reason


def test_too_large(tmp_path: Path) -> None:
    path = write(tmp_path / "groot.txt", "x" * 25)
    assert reason_of(path, max_bytes=10) == "too large (25 bytes > 10 bytes limit)"
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(25_300_000)  # sparse: no data written
    assert reason_of(big) == "too large (25.3 MB > 20 MB limit)"
    assert reason_of(big, max_bytes=2_500) == "too large (25.3 MB > 2.5 kB limit)"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_chmod(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", "geheim")
    path.chmod(0)
    try:
        assert reason_of(path) == "unreadable (Permission denied)"
    finally:
        path.chmod(0o644)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "secret.txt", "geheim")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert reason_of(path) == "unreadable (Permission denied)"


def test_directory_is_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "map.txt"
    folder.mkdir()
    assert reason_of(folder) == "unreadable (Is a directory)"


# --- discovery and iteration ---------------------------------------------------------------


def test_discover(tmp_path: Path) -> None:
    for name in (
        "b.txt",
        "a.MD",
        "sub/c.html",
        "sub/deep/d.pdf",
        "e.docx",
        "f.htm",
        ".hidden.txt",
        ".git/x.txt",
        "metadata.tsv",
        "SOURCES.tsv",
        "README.md",
        "sub/readme.txt",
        "notes.xyz",
        "~$lock.docx",
        "data.csv",
    ):
        write(tmp_path / name, "x")
    expected = ["a.MD", "b.txt", "e.docx", "f.htm", "sub/c.html", "sub/deep/d.pdf"]
    assert discover([tmp_path]) == [tmp_path / name for name in expected]
    explicit = discover([tmp_path / "notes.xyz", tmp_path / "sub", tmp_path / "sub/c.html"])
    assert explicit == [tmp_path / n for n in ("notes.xyz", "sub/c.html", "sub/deep/d.pdf")]
    assert discover([str(tmp_path / "b.txt")]) == [tmp_path / "b.txt"]
    assert discover([]) == []


def test_discover_missing_input(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        discover([tmp_path / "missing"])
    assert info.value.message == f"input not found: {tmp_path / 'missing'}"
    hint = "give existing files or folders with .txt, .md, .html, .htm, .pdf, .docx documents"
    assert info.value.hint == hint


def make_mixed_folder(root: Path) -> None:
    write(root / "metadata.tsv", "file\ttitle\na.txt\tTitel A\n")
    write(root / "a.txt", "Eerste\nTekst A.\n")
    write(root / "b.txt", b"")
    write(root / "c.pdf", b"kapot")
    write(root / "d.md", "# Kop D\nTekst D.\n")
    write(root / "e.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>")
    write(root / "sub/f.txt", "Titel F\n")


def test_iter_documents(tmp_path: Path) -> None:
    make_mixed_folder(tmp_path)
    results = list(iter_documents([tmp_path]))
    summary = [
        (type(r).__name__, r.path, r.reason if isinstance(r, Skipped) else r.title) for r in results
    ]
    assert summary == [
        ("Document", str(tmp_path / "a.txt"), "Titel A"),
        ("Skipped", str(tmp_path / "b.txt"), "empty file (0 bytes)"),
        ("Skipped", str(tmp_path / "c.pdf"), "corrupt or not a PDF file"),
        ("Document", str(tmp_path / "d.md"), "Kop D"),
        ("Skipped", str(tmp_path / "e.html"), "no main text found in HTML"),
        ("Document", str(tmp_path / "sub/f.txt"), "Titel F"),
    ]


def test_iter_documents_strict(tmp_path: Path) -> None:
    make_mixed_folder(tmp_path)
    results = iter_documents([tmp_path], strict=True)
    assert isinstance(next(results), Document)
    with pytest.raises(BadInputError) as info:
        next(results)
    assert (info.value.path, info.value.reason) == (str(tmp_path / "b.txt"), "empty file (0 bytes)")


def test_iter_documents_with_malformed_metadata(tmp_path: Path) -> None:
    write(tmp_path / "metadata.tsv", "naam\ttitel\n")
    write(tmp_path / "a.txt", "Eerste\n")
    assert list(iter_documents([tmp_path])) == [
        Skipped(str(tmp_path / "metadata.tsv"), "metadata file has no 'file' column"),
        read_document(tmp_path / "a.txt"),
    ]
    with pytest.raises(BadInputError):
        list(iter_documents([tmp_path], strict=True))


def test_iter_documents_explicit_file_uses_its_folder_metadata(tmp_path: Path) -> None:
    write(tmp_path / "SOURCES.tsv", "file\ttitle\tsource\na.txt\tTitel A\thttps://a.nl\n")
    path = write(tmp_path / "a.txt", "Eerste\n")
    (doc,) = iter_documents([path])
    assert isinstance(doc, Document)
    assert (doc.title, doc.url) == ("Titel A", "https://a.nl")


def test_iter_documents_max_bytes(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "x" * 50)
    assert list(iter_documents([tmp_path], max_bytes=20)) == [
        Skipped(str(tmp_path / "a.txt"), "too large (50 bytes > 20 bytes limit)")
    ]


# --- the shared sample corpus --------------------------------------------------------------


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared is absent")
def test_shared_corpus_reads_without_skips() -> None:
    folders = [SHARED / "corpus" / "seeds", SHARED / "corpus" / "dev"]
    results = list(iter_documents(folders))
    assert [r for r in results if isinstance(r, Skipped)] == []
    assert len(results) == 17
    docs = {r.doc_id: r for r in results if isinstance(r, Document)}
    with (SHARED / "corpus" / "dev" / "SOURCES.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert len(rows) == 12
    for row in rows:
        assert (docs[row["file"]].title, docs[row["file"]].url) == (row["title"], row["source"])
    assert docs["000_fecb80c606021118.txt"].title == "De Alliantie van Drachten"
    assert docs["17_zorg-voor-het-noorden.txt"].date == date(2018, 11, 1)
    assert docs["22_energy-valley-organisaties-samen.txt"].date == date(2017, 1, 1)
    for doc in docs.values():
        assert doc.text == doc.text.strip("\ufeff")
        assert "\r" not in doc.text


def test_discover_orders_as_paths_and_follows_no_folder_links(tmp_path: Path) -> None:
    names = ["a-b/x.txt", "a/b.txt", "a.b/c.txt", "A/z.txt", "a b/y.txt", "a/a/a.txt", "ab.txt"]
    for name in names:
        write(tmp_path / "in" / name, "x")
    (tmp_path / "in" / "linked").symlink_to(tmp_path / "in" / "a", target_is_directory=True)
    (tmp_path / "in" / "alias.txt").symlink_to(tmp_path / "in" / "ab.txt")
    found = discover([tmp_path / "in"])
    # the link and its target are one file, listed once (by the name found first)
    twice = {tmp_path / "in" / n for n in ("alias.txt", "ab.txt")}
    assert len(twice & set(found)) == 1
    expected = sorted({tmp_path / "in" / n for n in names} | (twice & set(found)))
    assert found == expected  # Path order (not string order: "a-b" < "a/b" as strings)
    assert [str(p) for p in found] != sorted(str(p) for p in found)
    both = discover([tmp_path / "in" / "ab.txt", tmp_path / "in"])
    assert tmp_path / "in" / "ab.txt" in both and len(both) == len(found)
