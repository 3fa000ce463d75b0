#!/usr/bin/env bash
# Writes tests/fixtures/doc/: Word 97-2003 (.doc), RTF, Word 2003 XML and OpenDocument copies of DOCX
# reports with known answers, saved by LibreOffice — a real writer of these formats, with its own ways of
# recording merged cells (vertical merges, cells spanning grid columns), tracked deletions
# and text boxes. Each copy gets its source's gold file, so the tests hold the .doc and RTF
# readers to the answers the DOCX reader is held to.
#
#   - wusu_stats_2023_{doc,rtf,xml,odt}: tests/fixtures/docx/gold/wusu_stats_2023.docx (the seed
#     report 004 as Word writes it: gridSpan, vMerge, a deleted run, a text box), and
#     wusu_stats_2023_flat.xml, the same DOCX as one flat OPC XML file;
#   - synth_NNNNNN_{doc,rtf}: reports of `nianbao synth --seed 7 --reports 300 --formats docx
#     --defect-rate 0.2`: a missing and an extra number, a broken balance, traditional
#     characters, full-width digits, spaced and renumbered headings.
#
# Needs LibreOffice (Debian: libreoffice-writer-nogui) and a built nianbao; the fixtures
# are committed, so the tests do not. Usage: scripts/make_doc_fixtures.sh [NIANBAO]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/nianbao}"
out=tests/fixtures/doc/gold
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out" "$work/src"
"$bin" synth --out "$work/synth" --reports 300 --seed 7 --formats docx --defect-rate 0.2 >/dev/null
convert() { # convert SOURCE.docx GOLD.json NAME FORMAT(doc|rtf|xml|odt)
    local filter=$4
    [ "$4" = doc ] && filter='doc:MS Word 97'
    [ "$4" = xml ] && filter='xml:MS Word 2003 XML'
    cp "$1" "$work/src/$3.docx"
    soffice --headless --convert-to "$filter" --outdir "$work/out" "$work/src/$3.docx" >/dev/null 2>&1
    cp "$work/out/$3.$4" "$out/$3.$4"
    local code=$4
    [ "$4" = xml ] && code=word_xml
    sed -e "s/\"format\": \"docx\"/\"format\": \"$code\"/" -e "s/\"layout\": \"docx\"/\"layout\": \"$code\"/" \
        "$2" > "$out/$3.gold.json"
}
docx=tests/fixtures/docx/gold/wusu_stats_2023
for f in doc rtf xml odt; do
    convert "$docx.docx" "$docx.gold.json" "wusu_stats_2023_$f" "$f"
done
# Word 2007+'s single-file XML (flat OPC): the DOCX's parts inlined in a pkg:package.
python3 - "$docx.docx" "$out/wusu_stats_2023_flat.xml" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    parts = [(n, z.read(n).decode("utf-8")) for n in ("_rels/.rels", "word/document.xml")]
out = ['<?xml version="1.0" standalone="yes"?>\n<?mso-application progid="Word.Document"?>\n'
       '<pkg:package xmlns:pkg="http://schemas.microsoft.com/office/2006/xmlPackage">']
for name, xml in parts:
    if xml.startswith("<?xml"):
        xml = xml[xml.index("?>") + 2:]
    out.append(f'<pkg:part pkg:name="/{name}" pkg:contentType="application/xml"><pkg:xmlData>{xml}</pkg:xmlData></pkg:part>')
out.append("</pkg:package>\n")
open(sys.argv[2], "w", encoding="utf-8").write("".join(out))
PY
sed -e 's/"format": "docx"/"format": "word_xml"/' "$docx.gold.json" > "$out/wusu_stats_2023_flat.gold.json"
for n in 000000 000213 000243; do
    convert "$work/synth/000/${n}_docx.docx" "$work/synth/000/${n}_docx.gold.json" "synth_${n}_doc" doc
done
for n in 000031 000039 000102; do
    convert "$work/synth/000/${n}_docx.docx" "$work/synth/000/${n}_docx.gold.json" "synth_${n}_rtf" rtf
done
convert "$work/synth/000/000213_docx.docx" "$work/synth/000/000213_docx.gold.json" synth_000213_odt odt
ls -l "$out"
