// nianbao-pdftext: poppler's `pdftotext -layout -enc UTF-8` as a long-lived process that
// reads one PDF after another from stdin, for src/parse/read/pdf.rs.
//
// Why: a pdftotext process per file spends about 40 % of its CPU starting up (loading and
// relocating libpoppler, GlobalParams' tables, process exit) before it reads a byte; see
// docs/pdf.md. This program runs the same poppler code as pdftotext (same TextOutputDev
// settings, same page loop), so its text is byte-identical to pdftotext's — the tests hold
// it to that on every PDF they have — while a PDF that crashes or hangs poppler still only
// takes this process down, never nianbao.
//
// Protocol (all integers little-endian u64):
//   start:    the worker writes "nianbao-pdftext 1\n" (name and protocol version).
//   request:  length N, then the N bytes of the PDF.
//   response: status (0 read, 1 could not be opened, 2 text over the limit), length and
//             bytes of the text, length and bytes of the first error poppler reported
//             (formatted as pdftotext prints it on stderr; empty when none).
// The worker exits on end of input. Built by scripts/setup.sh (needs libpoppler-private-dev):
//   g++ -O2 -std=c++17 $(pkg-config --cflags poppler) src/parse/read/pdf_worker.cc \
//       -o nianbao-pdftext $(pkg-config --libs poppler)
// Usage: nianbao-pdftext MAX_TEXT_BYTES    (or -v: name, protocol and poppler version)

#include <poppler-config.h>
#include <poppler/Error.h>
#include <poppler/GlobalParams.h>
#include <poppler/PDFDoc.h>
#include <poppler/Stream.h>
#include <poppler/TextOutputDev.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace {

// pdftotext prints these names (poppler's Error.cc) before each message.
const char *const category_names[] = { "Syntax Warning",     "Syntax Error",    "Config Error", "Command Line Error",
                                       "I/O Error",          "Permission Error", "Unimplemented Feature", "Internal Error" };

std::string first_error;

void on_error(ErrorCategory category, Goffset pos, const char *msg)
{
    if (!first_error.empty()) {
        return;
    }
    const char *name = (category >= 0 && category < 8) ? category_names[category] : "Error";
    first_error = name;
    if (pos >= 0) {
        first_error += " (" + std::to_string(static_cast<long long>(pos)) + ")";
    }
    first_error += ": ";
    first_error += msg;
}

struct Sink
{
    std::string text;
    size_t limit;
    bool over = false;
};

void append(void *stream, const char *text, int len)
{
    auto *sink = static_cast<Sink *>(stream);
    if (sink->over) {
        return;
    }
    if (sink->text.size() + static_cast<size_t>(len) > sink->limit) {
        sink->over = true;
        return;
    }
    sink->text.append(text, static_cast<size_t>(len));
}

bool read_exact(void *buf, size_t n)
{
    return n == 0 || fread(buf, 1, n, stdin) == n;
}

bool read_u64(uint64_t &v)
{
    unsigned char b[8];
    if (!read_exact(b, 8)) {
        return false;
    }
    v = 0;
    for (int i = 7; i >= 0; i--) {
        v = (v << 8) | b[i];
    }
    return true;
}

void write_u64(uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++) {
        b[i] = static_cast<unsigned char>(v >> (8 * i));
    }
    fwrite(b, 1, 8, stdout);
}

void write_bytes(const std::string &s)
{
    write_u64(s.size());
    fwrite(s.data(), 1, s.size(), stdout);
}

} // namespace

int main(int argc, char **argv)
{
    if (argc == 2 && std::string(argv[1]) == "-v") {
        printf("nianbao-pdftext 1 (poppler %s)\n", POPPLER_VERSION);
        return 0;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: nianbao-pdftext MAX_TEXT_BYTES\n");
        return 2;
    }
    const size_t limit = strtoull(argv[1], nullptr, 10);
    // As pdftotext sets them up: default GlobalParams, UTF-8 text, errors to the callback.
    globalParams = std::make_unique<GlobalParams>();
    globalParams->setTextEncoding("UTF-8");
    setErrorCallback(on_error);
    fputs("nianbao-pdftext 1\n", stdout);
    fflush(stdout);

    std::vector<char> pdf;
    uint64_t n;
    while (read_u64(n)) {
        pdf.resize(n);
        if (!read_exact(pdf.data(), n)) {
            return 1;
        }
        first_error.clear();
        Sink sink;
        sink.limit = limit;
        unsigned char status = 0;
        {
            PDFDoc doc(new MemStream(pdf.data(), 0, static_cast<Goffset>(n), Object(objNull)));
            if (!doc.isOk()) {
                status = 1;
            } else if (doc.getNumPages() < 1) {
                // pdftotext's own refusal (exit code 99), so that both read the PDF alike.
                error(errCommandLine, -1, "Wrong page range given: the first page (1) can not be after the last page (0).");
                status = 1;
            } else {
                // pdftotext -layout: physical layout, no fixed pitch, not raw order, diagonal
                // text kept; pages at 72 dpi, media box, no crop; a form feed after each page.
                TextOutputDev dev(append, &sink, true, 0, false, false);
                dev.setTextEOL(eolUnix);
                dev.setTextPageBreaks(true);
                // Page by page so that a runaway PDF stops at the limit, not at its end.
                for (int page = 1; page <= doc.getNumPages() && !sink.over; page++) {
                    doc.displayPages(&dev, page, page, 72, 72, 0, true, false, false);
                }
                if (sink.over) {
                    status = 2;
                }
            }
        }
        fputc(status, stdout);
        write_bytes(sink.over ? std::string() : sink.text);
        write_bytes(first_error);
        if (fflush(stdout) != 0) {
            return 1;
        }
    }
    return 0;
}
