#!/usr/bin/env python3
"""Write tests/fixtures/pdf/: small PDFs for the PDF reader's failure paths.

- scanned.pdf: one page whose only content is an image (no text layer), as a scan is;
- truncated.pdf: a valid one-page text PDF cut in the middle (xref and trailer lost);
- disguised.html: a complete text PDF saved under an .html name.

Stdlib only, deterministic. Usage: python3 scripts/make_pdf_fixtures.py
"""
import os
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "pdf")


def pdf(objects):
    """Serialise numbered objects (bytes bodies) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data, extra=b""):
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def text_pdf(lines):
    content = b"BT /F1 12 Tf 72 720 Td 14 TL " + b" ".join(b"(%s) '" % l for l in lines) + b" ET"
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def scanned_pdf():
    # An 8x8 grey image drawn over the page: pixels, no glyphs.
    pixels = zlib.compress(bytes((x * 16 + y * 8) % 256 for y in range(8) for x in range(8)))
    content = b"q 400 0 0 400 100 300 cm /Im1 Do Q"
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>",
        stream(content),
        stream(pixels, b"/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode "),
    ])


def main():
    os.makedirs(OUT, exist_ok=True)
    lines = [b"Annual report 2023", b"Section 2", b"Regulations 1 0 11", b"Licensing 447228"]
    full = text_pdf(lines)
    files = {
        "scanned.pdf": scanned_pdf(),
        "truncated.pdf": full[: len(full) // 2],
        "disguised.html": full,
    }
    for name, data in files.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    print(f"wrote {len(files)} files to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
