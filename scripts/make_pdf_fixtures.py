#!/usr/bin/env python3
"""Write tests/fixtures/pdf/: small PDFs for the PDF reader's failure paths.

- scanned.pdf: one page whose only content is an image (no text layer), as a scan is;
- truncated.pdf: a valid one-page text PDF cut in the middle (xref and trailer lost);
- disguised.html: a complete text PDF saved under an .html name;
- report/layout_2021.pdf: data/sample/layout_2021.txt drawn as a PDF the way office
  suites write Chinese reports: a CID font (Identity-H, two-byte codes numbered in order
  of first use, as a subset is) with a ToUnicode map and per-glyph widths, every run of
  text placed at its column, pages of 40 lines, so that tables break across pages. Its
  truth is data/sample-gold/layout_2021.gold.json (tests/pdf.rs). The font program is not
  embedded: text extraction reads codes, widths and the ToUnicode map, never glyphs.

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


def cid_report_pdf(text, lines_per_page=40, size=10.0):
    """Draw layout text (columns as in `pdftotext -layout`: a CJK character two columns
    wide, anything else one) as positioned runs in a Type0/CIDFontType2 font."""
    codes = {}

    def code(ch):
        return codes.setdefault(ch, len(codes) + 1)

    def wide(ch):
        return ord(ch) >= 0x2E80

    lines = text.split("\n")
    pages = [lines[i:i + lines_per_page] for i in range(0, len(lines), lines_per_page)]
    unit = size / 2  # one column
    width = 72 + max(sum(2 if wide(c) else 1 for c in l) for l in lines) * unit + 72
    height = 72 + lines_per_page * size * 1.5 + 72
    contents = []
    for page in pages:
        ops = [b"BT /F1 %.1f Tf" % size]
        for row, line in enumerate(page):
            y = height - 72 - row * size * 1.5
            col = 0
            run, run_col = "", 0
            for ch in line + " ":
                if ch == " ":
                    if run:
                        hexcodes = "".join("%04X" % code(c) for c in run)
                        ops.append(b"1 0 0 1 %.2f %.2f Tm <%s> Tj" % (72 + run_col * unit, y, hexcodes.encode()))
                        run = ""
                    col += 1
                    continue
                if not run:
                    run_col = col
                run += ch
                col += 2 if wide(ch) else 1
        ops.append(b"ET")
        contents.append(b"\n".join(ops))
    n = len(pages)
    # Objects: 1 catalog, 2 pages, 3 Type0 font, 4 CIDFont, 5 descriptor, 6 ToUnicode,
    # then a page and its content stream for each page.
    kids = b" ".join(b"%d 0 R" % (7 + 2 * i) for i in range(n))
    widths = b" ".join(b"%d [%d]" % (c, 1000 if wide(ch) else 500) for ch, c in codes.items())
    cmap = [b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange"]
    items = list(codes.items())
    for i in range(0, len(items), 100):
        chunk = items[i:i + 100]
        cmap.append(b"%d beginbfchar" % len(chunk))
        for ch, c in chunk:
            cmap.append(b"<%04X> <%s>" % (c, ch.encode("utf-16-be").hex().upper().encode()))
        cmap.append(b"endbfchar")
    cmap.append(b"endcmap CMapName currentdict /CMap defineresource pop end end")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SimSun /Encoding /Identity-H "
        b"/DescendantFonts [4 0 R] /ToUnicode 6 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+SimSun "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor 5 0 R /CIDToGIDMap /Identity /DW 1000 /W [%s] >>" % widths,
        b"<< /Type /FontDescriptor /FontName /ABCDEF+SimSun /Flags 4 /FontBBox [-8 -145 1000 859] "
        b"/ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 683 /StemV 80 >>",
        stream(zlib.compress(b"\n".join(cmap)), b"/Filter /FlateDecode "),
    ]
    for i, content in enumerate(contents):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.0f %.0f] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>" % (width, height, 8 + 2 * i))
        objects.append(stream(zlib.compress(content), b"/Filter /FlateDecode "))
    return pdf(objects)


def main():
    os.makedirs(OUT, exist_ok=True)
    lines = [b"Annual report 2023", b"Section 2", b"Regulations 1 0 11", b"Licensing 447228"]
    full = text_pdf(lines)
    files = {
        "scanned.pdf": scanned_pdf(),
        "truncated.pdf": full[: len(full) // 2],
        "disguised.html": full,
    }
    sample = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "sample", "layout_2021.txt")
    with open(sample, encoding="utf-8") as f:
        files["report/layout_2021.pdf"] = cid_report_pdf(f.read())
    os.makedirs(os.path.join(OUT, "report"), exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    print(f"wrote {len(files)} files to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
