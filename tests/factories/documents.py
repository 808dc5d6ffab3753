"""Real files made by the tests: a JPEG with EXIF (author, description, GPS), a DOCX with core properties and a
comment, an ODT with metadata and an annotation, and a PDF with document information and text.

Each carries the same personal data in its metadata and in its text, so a test can check that the safeguard
finds it in both and that the cleaned copy keeps the text but no metadata."""

import io

from PIL import Image

AUTHOR = "Maija Meikäläinen"
EXIF_AUTHOR = "Maija Meikalainen"  # EXIF text tags are ASCII
# A valid personal identity code (check character computed: 131052308 % 31 → T), and a private mobile number.
IDENTITY_CODE = "131052-308T"
PHONE = "040 765 4321"


def jpeg_with_exif(*, description: str = f"Kuvannut {EXIF_AUTHOR}, puh. {PHONE}", orientation: int = 1) -> bytes:
    image = Image.new("RGB", (40, 30), (200, 120, 40))
    exif = Image.Exif()
    exif[0x013B] = EXIF_AUTHOR  # Artist
    exif[0x010E] = description  # ImageDescription
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (60.0, 10.0, 0.0)
    gps[3] = "E"
    gps[4] = (24.0, 56.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo  # noqa: PLC0415

    info = PngInfo()
    info.add_text("Author", AUTHOR)
    info.add_text("Comment", f"hetu {IDENTITY_CODE}")
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 20, 30)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def docx_with_properties(*, body: str = "Perheiden kotikäynnit viikoittain.") -> bytes:
    import docx  # noqa: PLC0415

    document = docx.Document()
    paragraph = document.add_paragraph(body)
    document.add_paragraph(f"Asiakas {IDENTITY_CODE} kävi.")
    core = document.core_properties
    core.author = AUTHOR
    core.last_modified_by = AUTHOR
    core.comments = f"Soita {PHONE}"
    core.title = "Kotikäyntimalli"
    document.add_comment(paragraph.runs, text=f"Tarkista, soita {PHONE}", author=AUTHOR, initials="MM")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt_with_meta(*, body: str = "Perheiden kotikäynnit viikoittain.") -> bytes:
    from odf import dc, meta, office, text  # noqa: PLC0415
    from odf.opendocument import OpenDocumentText  # noqa: PLC0415

    document = OpenDocumentText()
    document.meta.addElement(meta.InitialCreator(text=AUTHOR))
    document.meta.addElement(dc.Creator(text=AUTHOR))
    document.meta.addElement(dc.Description(text=f"Yhteys {PHONE}"))
    paragraph = text.P(text=body)
    annotation = office.Annotation()
    annotation.addElement(dc.Creator(text=AUTHOR))
    annotation.addElement(text.P(text=f"Muista {IDENTITY_CODE}"))
    paragraph.addElement(annotation)
    document.text.addElement(paragraph)
    document.text.addElement(text.P(text="Toinen kappale."))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def pdf_with_metadata(*, body: str = f"Asiakas {IDENTITY_CODE} kavi kotikaynnilla.") -> bytes:
    from reportlab.lib.pagesizes import A4  # noqa: PLC0415
    from reportlab.pdfgen import canvas  # noqa: PLC0415

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setAuthor(AUTHOR)
    pdf.setTitle("Kotikayntimalli")
    pdf.setSubject(f"Puhelin {PHONE}")
    pdf.drawString(72, 760, body)
    pdf.showPage()
    pdf.save()
    return out.getvalue()
