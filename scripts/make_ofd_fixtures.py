#!/usr/bin/env python3
"""Write tests/fixtures/ofd/: OFD packages (GB/T 33190) drawn from real PDFs' glyphs.

Each PDF of ../shared/gold/pdf and tests/fixtures/pdf/report is redrawn as an OFD the way
PDF-to-OFD converters write one: every character keeps its page position (its origin,
taken from the PDF by PyMuPDF), and is written in one of four shapes of text object,
so that the reader is tested on each:

- `runs`:  one TextObject per span of a line, a DeltaX list of the real advances
           (the common converter output);
- `chars`: one TextObject per character (what some converters and printers to OFD write);
- `scaled`: runs whose equal advances use OFD's run-length form (`g 5 3.5`), with the
           Boundary origin at the run and a CTM that scales a font twice the size by half;
- `rotated`: runs drawn a quarter turn round (CTM `0 1 -1 0`), as a virtual OFD printer
           prints a landscape page onto portrait paper.

Positions are in millimetres (OFD's unit), y downwards as in the PDF. The OFD packages
carry no font programs: the reader reads the Unicode text, never the glyphs.

`scan.ofd` is a package of two pages holding an image each and no text: a scan.

The packages are committed; this script needs PyMuPDF (`pip install pymupdf`) only to
make them again. Usage: python3 scripts/make_ofd_fixtures.py
"""
import os
import zipfile

import pymupdf

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
OUT = os.path.join(ROOT, "tests", "fixtures", "ofd")
SOURCES = [
    (os.path.join(ROOT, "..", "shared", "gold", "pdf", f"{n}.pdf"), "real", n)
    for n in ("c001", "c003", "c004")
] + [(os.path.join(ROOT, "tests", "fixtures", "pdf", "report", "layout_2021.pdf"), "report", "layout_2021")]
NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'
MM = 25.4 / 72.0


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def num(v):
    return f"{v:.3f}".rstrip("0").rstrip(".")


def spans(page):
    """(size_mm, [(x_mm, y_mm, char)]) for each span of the page, in the PDF's order."""
    out = []
    raw = page.get_text("rawdict")
    for block in raw["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                chars = [(c["origin"][0] * MM, c["origin"][1] * MM, c["c"]) for c in span["chars"]]
                if chars:
                    out.append((span["size"] * MM, chars))
    return out


def deltas(chars):
    return [chars[i + 1][0] - chars[i][0] for i in range(len(chars) - 1)]


def run_length(values):
    """OFD's `g count value` form for runs of equal advances."""
    out, i = [], 0
    while i < len(values):
        j = i
        while j < len(values) and abs(values[j] - values[i]) < 1e-3:
            j += 1
        if j - i >= 3:
            out.append(f"g {j - i} {num(values[i])}")
        else:
            out.extend(num(v) for v in values[i:j])
        i = j
    return " ".join(out)


def objects(page_spans, shape, page_width):
    out, ident = [], 100
    for size, chars in page_spans:
        if shape == "chars":
            for x, y, c in chars:
                ident += 1
                out.append(
                    f'<ofd:TextObject ID="{ident}" Boundary="{num(x)} {num(y - size)} {num(size)} {num(size * 1.2)}" '
                    f'Font="3" Size="{num(size)}"><ofd:TextCode X="0" Y="{num(size)}">{esc(c)}</ofd:TextCode></ofd:TextObject>'
                )
            continue
        x0, y0 = chars[0][0], chars[0][1]
        # A run's characters share its baseline; a character off it starts its own code.
        codes, current = [], [chars[0]]
        for ch in chars[1:]:
            if abs(ch[1] - current[0][1]) > 0.05:
                codes.append(current)
                current = [ch]
            else:
                current.append(ch)
        codes.append(current)
        ident += 1
        width = chars[-1][0] - x0 + size
        # `scaled`: object space at twice the scale, a CTM halving it, run-length DeltaX.
        k, ctm, spacing = (1, "", lambda ds: " ".join(num(d) for d in ds))
        if shape == "scaled":
            k, ctm, spacing = (2, 'CTM="0.5 0 0 0.5 0 0" ', run_length)
        body = "".join(
            f'<ofd:TextCode X="{num(k * (c[0][0] - x0))}" Y="{num(k * (c[0][1] - y0 + size))}"'
            + (f' DeltaX="{spacing([k * d for d in deltas(c)])}"' if len(c) > 1 else "")
            + f">{esc(''.join(ch[2] for ch in c))}</ofd:TextCode>"
            for c in codes
        )
        box = f"{num(x0)} {num(y0 - size)} {num(width)} {num(size * 1.5)}"
        if shape == "rotated":
            # The page turned a quarter: a reading position (x, y) drawn at (W - y, x),
            # the object's text along the page's height.
            ctm = 'CTM="0 1 -1 0 0 0" '
            box = f"{num(page_width - (y0 - size))} {num(x0)} {num(size * 1.5)} {num(width)}"
        out.append(
            f'<ofd:TextObject ID="{ident}" Boundary="{box}" '
            f'{ctm}Font="3" Size="{num(k * size)}">{body}</ofd:TextObject>'
        )
    return "".join(out)


def package(path, pdf, shape):
    doc = pymupdf.open(pdf)
    width, height = doc[0].rect.width * MM, doc[0].rect.height * MM
    pages = "".join(
        f'<ofd:Page ID="{i + 2}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(doc.page_count)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        def put(name, text):
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))

        put(
            "OFD.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {NS} Version="1.1" DocType="OFD"><ofd:DocBody>'
            f"<ofd:DocInfo><ofd:DocID>{os.path.basename(path)}</ofd:DocID><ofd:Creator>nianbao fixtures</ofd:Creator></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        put(
            "Doc_0/Document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {NS}><ofd:CommonData><ofd:MaxUnitID>999999</ofd:MaxUnitID>'
            f"<ofd:PageArea><ofd:PhysicalBox>0 0 {num(width)} {num(height)}</ofd:PhysicalBox></ofd:PageArea>"
            f'<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages>{pages}</ofd:Pages></ofd:Document>',
        )
        put(
            "Doc_0/PublicRes.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res {NS} BaseLoc="Res"><ofd:Fonts>'
            '<ofd:Font ID="3" FontName="SimSun" FamilyName="SimSun"/></ofd:Fonts></ofd:Res>',
        )
        for i, page in enumerate(doc):
            put(
                f"Doc_0/Pages/Page_{i}/Content.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {NS}><ofd:Content><ofd:Layer ID="{i + 50}" Type="Body">'
                + objects(spans(page), shape, width)
                + "</ofd:Layer></ofd:Content></ofd:Page>",
            )


def scan(path):
    """Two pages of one image each (the image itself left out: it is never read)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        def put(name, text):
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), text.encode("utf-8"))

        put("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {NS} Version="1.1" DocType="OFD">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>scan</ofd:DocID></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
        put("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {NS}><ofd:CommonData>'
            "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages>"
            '<ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/><ofd:Page ID="2" BaseLoc="Pages/Page_1/Content.xml"/>'
            "</ofd:Pages></ofd:Document>")
        for i in range(2):
            put(f"Doc_0/Pages/Page_{i}/Content.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {NS}><ofd:Content>'
                f'<ofd:Layer ID="{i + 10}"><ofd:ImageObject ID="{i + 20}" Boundary="0 0 210 297" CTM="210 0 0 297 0 0" ResourceID="5"/>'
                "</ofd:Layer></ofd:Content></ofd:Page>")


def main():
    os.makedirs(OUT, exist_ok=True)
    scan(os.path.join(OUT, "scan.ofd"))
    for pdf, folder, name in SOURCES:
        for shape in ("runs", "chars", "scaled", "rotated"):
            out = os.path.join(OUT, shape, folder)
            os.makedirs(out, exist_ok=True)
            package(os.path.join(out, f"{name}.ofd"), pdf, shape)


if __name__ == "__main__":
    main()
