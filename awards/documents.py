"""Reading attachments for the child-data safeguard, and making their cleaned copies.

read_document() gives the text, the comments and the metadata of a PDF (pypdf), DOCX (python-docx), ODT (odfpy)
or image (Pillow), so that the safeguard can look for personal data in all of them. clean_copy() writes a copy
without metadata, comments, tracked-change authors, thumbnails or EXIF: that copy is what the jury, the panel and
the public get; the original stays with staff and the nominators.

Every reader is bounded (pages, characters, unpacked size), and a file that cannot be read raises
DocumentError, never anything else: the caller then treats the attachment as one that staff must look at.
"""

import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from awards.files import DOCX, JPEG, ODT, PDF, PNG

MAX_PAGES = 300
MAX_TEXT_CHARACTERS = 1_000_000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_IMAGE_PIXELS = 60_000_000


class DocumentError(Exception):
    """The file could not be read or cleaned (damaged, encrypted, too large when unpacked)."""


@dataclass
class DocumentContent:
    """What a document holds besides its layout: text by page (one page for formats without pages), the text of
    comments, and metadata as (property name, value) pairs. `has_location` when a photo carries GPS data."""

    pages: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    metadata: list[tuple[str, str]] = field(default_factory=list)
    has_location: bool = False


def _bounded(texts: list[str]) -> list[str]:
    kept, total = [], 0
    for text in texts:
        room = MAX_TEXT_CHARACTERS - total
        if room <= 0:
            break
        kept.append(text[:room])
        total += len(kept[-1])
    return kept


def _check_zip(path: Path) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DocumentError("not a zip package") from exc
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
        archive.close()
        raise DocumentError("unpacks too large")
    return archive


# Reading ------------------------------------------------------------------------------------------------------


def read_document(path: Path, content_type: str) -> DocumentContent:
    readers = {PDF: _read_pdf, DOCX: _read_docx, ODT: _read_odt, JPEG: _read_image, PNG: _read_image}
    reader = readers.get(content_type)
    if reader is None:
        raise DocumentError("unknown type")
    try:
        content = reader(path)
    except DocumentError:
        raise
    except Exception as exc:  # a damaged file can make any of the libraries fail in its own way
        raise DocumentError(type(exc).__name__) from exc
    content.pages = _bounded(content.pages)
    content.comments = _bounded(content.comments)
    return content


def _read_pdf(path: Path) -> DocumentContent:
    from pypdf import PdfReader  # noqa: PLC0415 (the libraries load only when an attachment is read)

    reader = PdfReader(path)
    if reader.is_encrypted and not reader.decrypt(""):
        raise DocumentError("encrypted")
    content = DocumentContent()
    for key, value in (reader.metadata or {}).items():
        if value:
            content.metadata.append((str(key).lstrip("/"), str(value)))
    for number, page in enumerate(reader.pages):
        if number >= MAX_PAGES:
            break
        content.pages.append(page.extract_text() or "")
        for reference in page.get("/Annots") or []:
            annotation = reference.get_object()
            if annotation.get("/Subtype") == "/Link":
                continue
            for key in ("/Contents", "/T", "/RC"):
                if annotation.get(key):
                    content.comments.append(str(annotation[key]))
    return content


def _read_docx(path: Path) -> DocumentContent:
    import docx  # noqa: PLC0415

    _check_zip(path).close()
    document = docx.Document(str(path))
    content = DocumentContent()
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        texts.extend(cell.text for row in table.rows for cell in row.cells)
    for section in document.sections:
        for part in (section.header, section.footer):
            texts.extend(paragraph.text for paragraph in part.paragraphs)
    content.pages.append("\n".join(texts))
    for comment in document.comments:
        content.comments.append(comment.text)
        if comment.author:
            content.metadata.append(("comment author", comment.author))
    core = document.core_properties
    for name in ("author", "last_modified_by", "title", "subject", "keywords", "comments", "category"):
        value = getattr(core, name, "")
        if value:
            content.metadata.append((name, str(value)))
    return content


def _read_odt(path: Path) -> DocumentContent:
    from odf import dc, meta, office, teletype, text  # noqa: PLC0415
    from odf.opendocument import load  # noqa: PLC0415

    _check_zip(path).close()
    document = load(str(path))
    content = DocumentContent()
    annotations = document.getElementsByType(office.Annotation)
    in_annotations = {id(p) for a in annotations for p in a.getElementsByType(text.P)}
    paragraphs = document.getElementsByType(text.P) + document.getElementsByType(text.H)
    content.pages.append("\n".join(teletype.extractText(p) for p in paragraphs if id(p) not in in_annotations))
    for annotation in annotations:
        content.comments.append("\n".join(teletype.extractText(p) for p in annotation.getElementsByType(text.P)))
        content.metadata.extend(
            ("comment author", teletype.extractText(c)) for c in annotation.getElementsByType(dc.Creator)
        )
    for kind, label in (
        (meta.InitialCreator, "initial creator"),
        (dc.Creator, "creator"),
        (dc.Title, "title"),
        (dc.Subject, "subject"),
        (dc.Description, "description"),
        (meta.Keyword, "keyword"),
        (meta.UserDefined, "user-defined"),
    ):
        for element in document.meta.getElementsByType(kind):
            value = teletype.extractText(element)
            if value:
                content.metadata.append((label, value))
    return content


def _open_image(path: Path) -> Image.Image:
    try:
        image = Image.open(path)
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise DocumentError("too many pixels")
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise DocumentError("damaged image") from exc
    return image


def _read_image(path: Path) -> DocumentContent:
    content = DocumentContent()
    with _open_image(path) as image:
        exif = image.getexif()
        for tag, value in exif.items():
            name = ExifTags.TAGS.get(tag, str(tag))
            if name in {"GPSInfo"}:
                continue
            content.metadata.append((name, _exif_text(value)))
        for tag, value in exif.get_ifd(ExifTags.IFD.Exif).items():
            content.metadata.append((ExifTags.TAGS.get(tag, str(tag)), _exif_text(value)))
        content.has_location = bool(exif.get_ifd(ExifTags.IFD.GPSInfo))
        for key, value in image.info.items():
            if isinstance(value, str) and key not in {"icc_profile"}:
                content.metadata.append((str(key), value))
    content.metadata = [(name, value) for name, value in content.metadata if value]
    return content


def _exif_text(value) -> str:
    if isinstance(value, bytes):
        # Windows' XP* tags are UTF-16; UserComment starts with an 8-byte character code.
        for candidate in (value[8:] if value[:8] in {b"ASCII\0\0\0", b"UNICODE\0"} else value,):
            for encoding in ("utf-16-le", "utf-8", "latin-1"):
                try:
                    decoded = candidate.decode(encoding).replace("\x00", "").strip()
                except UnicodeDecodeError:
                    continue
                if decoded.isprintable():
                    return decoded
        return ""
    return str(value) if isinstance(value, str | int | float) else ""


# Cleaning -----------------------------------------------------------------------------------------------------


def clean_copy(source: Path, target: Path, content_type: str) -> None:
    """Write the cleaned copy of `source` to `target` (a new file). Raises DocumentError when it cannot."""
    cleaners = {PDF: _clean_pdf, DOCX: _clean_docx, ODT: _clean_odt, JPEG: _clean_image, PNG: _clean_image}
    cleaner = cleaners.get(content_type)
    if cleaner is None:
        raise DocumentError("unknown type")
    try:
        data = cleaner(source, content_type)
    except DocumentError:
        raise
    except Exception as exc:  # see read_document
        raise DocumentError(type(exc).__name__) from exc
    with target.open("xb") as out:
        out.write(data)
    target.chmod(0o600)


def _clean_pdf(source: Path, content_type: str) -> bytes:
    from pypdf import PdfReader, PdfWriter  # noqa: PLC0415
    from pypdf.generic import ArrayObject, NameObject  # noqa: PLC0415

    reader = PdfReader(source)
    if reader.is_encrypted and not reader.decrypt(""):
        raise DocumentError("encrypted")
    writer = PdfWriter()
    for page in reader.pages:
        added = writer.add_page(page)
        for key in ("/Metadata", "/PieceInfo", "/Thumb"):
            if key in added:
                del added[NameObject(key)]
        if "/Annots" in added:
            links = [a for a in added["/Annots"] if a.get_object().get("/Subtype") == "/Link"]
            if links:
                added[NameObject("/Annots")] = ArrayObject(links)
            else:
                del added[NameObject("/Annots")]
    writer.metadata = None  # no document information dictionary at all, not even a producer
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _clean_image(source: Path, content_type: str) -> bytes:
    with _open_image(source) as image:
        # Turned upright first: the orientation tag goes with the rest of EXIF.
        upright = ImageOps.exif_transpose(image)
        pixels = Image.new(upright.mode, upright.size)
        pixels.paste(upright)
        out = io.BytesIO()
        if content_type == JPEG:
            if pixels.mode not in {"RGB", "L", "CMYK"}:
                pixels = pixels.convert("RGB")
            pixels.save(out, "JPEG", quality=92)
        else:
            pixels.save(out, "PNG")
    return out.getvalue()


_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCX_DROPPED = (
    "docProps/custom.xml",
    "docProps/thumbnail",
    "word/comments",
    "word/people.xml",
    "customXml/",
)
_EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
_EMPTY_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
)


def _xml(data: bytes):
    return etree.fromstring(data, _XML_PARSER)


def _dump(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rewrite_zip(source: Path, rewrite) -> bytes:
    """A copy of the zip package with each member passed through rewrite(name, data) -> bytes | None (dropped);
    members keep their order and compression (ODF needs its "mimetype" first and stored)."""
    out = io.BytesIO()
    with _check_zip(source) as archive, zipfile.ZipFile(out, "w") as target:
        for info in archive.infolist():
            data = rewrite(info.filename, archive.read(info))
            if data is None:
                continue
            clean_info = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            clean_info.compress_type = info.compress_type
            target.writestr(clean_info, data)
    return out.getvalue()


def _docx_content_types(data: bytes) -> bytes:
    root = _xml(data)
    for override in list(root):
        part = override.get("PartName", "").lstrip("/")
        if any(part.startswith(prefix) for prefix in _DOCX_DROPPED):
            root.remove(override)
    return _dump(root)


def _docx_relationships(name: str, data: bytes) -> bytes:
    root = _xml(data)
    # "word/_rels/document.xml.rels" relates parts of "word/", "_rels/.rels" those of the package root.
    folder = posixpath.dirname(posixpath.dirname(name))
    for relationship in list(root):
        target = relationship.get("Target", "")
        if relationship.get("TargetMode") == "External":
            continue
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        if any(resolved.startswith(prefix) for prefix in _DOCX_DROPPED):
            root.remove(relationship)
    return _dump(root)


def _docx_part(data: bytes) -> bytes:
    """A part of the document: no comment anchors, no template path or document variables, no change authors."""
    root = _xml(data)
    for tag in ("commentRangeStart", "commentRangeEnd", "commentReference", "attachedTemplate", "docVars"):
        for element in list(root.iter(f"{{{W}}}{tag}")):
            element.getparent().remove(element)
    for element in root.iter():
        for attribute in (f"{{{W}}}author", f"{{{W}}}initials"):
            if attribute in element.attrib:
                element.set(attribute, "")
    return _dump(root)


def _docx_member(name: str, data: bytes) -> bytes | None:
    if any(name.startswith(prefix) for prefix in _DOCX_DROPPED):
        return None
    replaced = {"docProps/core.xml": _EMPTY_CORE, "docProps/app.xml": _EMPTY_APP}.get(name)
    if replaced is not None:
        return replaced
    if name == "[Content_Types].xml":
        return _docx_content_types(data)
    if name.endswith(".rels"):
        return _docx_relationships(name, data)
    if name.startswith("word/") and name.endswith(".xml"):
        return _docx_part(data)
    return data


def _clean_docx(source: Path, content_type: str) -> bytes:
    return _rewrite_zip(source, _docx_member)


ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
ODF_DC = "http://purl.org/dc/elements/1.1/"
ODF_MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
_EMPTY_ODF_META = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'office:version="1.2"><office:meta/></office:document-meta>'
)


def _odt_member(name: str, data: bytes) -> bytes | None:
    if name.startswith("Thumbnails/"):
        return None
    if name == "meta.xml":
        return _EMPTY_ODF_META
    if name == "META-INF/manifest.xml":
        root = _xml(data)
        for entry in list(root):
            if entry.get(f"{{{ODF_MANIFEST}}}full-path", "").startswith("Thumbnails/"):
                root.remove(entry)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    if name in {"content.xml", "styles.xml"}:
        root = _xml(data)
        for tag in ("annotation", "annotation-end"):
            for element in list(root.iter(f"{{{ODF_OFFICE}}}{tag}")):
                element.getparent().remove(element)
        for element in root.iter(f"{{{ODF_DC}}}creator"):
            element.text = ""
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return data


def _clean_odt(source: Path, content_type: str) -> bytes:
    return _rewrite_zip(source, _odt_member)
