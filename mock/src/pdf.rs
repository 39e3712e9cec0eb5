//! A minimal PDF 1.4 writer for the emulator's record reports
//! (`GET /reports/{id}`), with no dependencies.
//!
//! The output uses the standard Type 1 fonts Helvetica and Helvetica-Bold
//! (not embedded) with `WinAnsiEncoding`: printable ASCII is written as is,
//! Latin-1 and the other WinAnsi characters (€, curly quotes, dashes, …) as
//! octal escapes, and every other character (other scripts, emoji, control
//! characters) as `?`. Tabs become spaces and `\n` starts a new line.
//!
//! Layout: A4 portrait, 56 pt margins. The title is set in 16 pt bold, then
//! one entry per `(label, value)` pair as "**label:** value" in 10 pt,
//! wrapped at word boundaries (words wider than a line are split) using the
//! Helvetica character widths, with continuation lines indented. Pages are
//! added as needed and each page carries a "Page n of m" footer.
//!
//! The file has an exact cross-reference table, uncompressed content
//! streams with exact `/Length`s and an `/Info` dictionary with `/Title`
//! and `/Producer (signicat-dem-mock)`. It is deterministic (no dates, no
//! `/ID`).

use std::fmt::Write as _;

/// A4 width, in points.
const PAGE_WIDTH: u32 = 595;
/// A4 height, in points.
const PAGE_HEIGHT: u32 = 842;
/// Margin on every side, in points.
const MARGIN: u32 = 56;
/// Indent of wrapped continuation lines, in points.
const INDENT: u32 = 18;
/// Font size and leading of the title.
const TITLE_SIZE: u32 = 16;
const TITLE_LEADING: u32 = 22;
/// Font size and leading of the entries.
const BODY_SIZE: u32 = 10;
const BODY_LEADING: u32 = 14;
/// Extra space between the title and the first entry.
const TITLE_GAP: u32 = 10;
/// Font size and baseline of the page footer.
const FOOTER_SIZE: u32 = 8;
const FOOTER_Y: u32 = 30;
/// Value of `/Producer` in the `/Info` dictionary.
const PRODUCER: &str = "signicat-dem-mock";

/// Build a PDF report: a title line, then one "label: value" entry per pair.
///
/// Helvetica (a standard font, not embedded), A4, long titles, labels and
/// values wrapped, as many pages as needed (at least one). Characters
/// outside WinAnsiEncoding are shown as `?`.
pub fn record_report(title: &str, lines: &[(String, String)]) -> Vec<u8> {
    let pages = layout(title, lines);
    write_document(title, &pages)
}

/// The two fonts of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Font {
    Regular,
    Bold,
}

impl Font {
    /// Resource name in the page's `/Font` dictionary.
    fn resource(self) -> &'static str {
        match self {
            Self::Regular => "F1",
            Self::Bold => "F2",
        }
    }

    /// Advance width of a WinAnsi byte, in thousandths of the font size.
    fn width(self, byte: u8) -> u32 {
        let table = match self {
            Self::Regular => &HELVETICA_WIDTHS,
            Self::Bold => &HELVETICA_BOLD_WIDTHS,
        };
        match byte {
            32..=126 => u32::from(table[usize::from(byte - 32)]),
            // The WinAnsi extras (…, ‰, —, ™, Œ) are the widest glyphs.
            0x80..=0x9F => 1000,
            _ => 778,
        }
    }
}

/// Helvetica advance widths for the bytes 32..=126 (from the Adobe AFM).
const HELVETICA_WIDTHS: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' '../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0..?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @..O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P.._
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // `..o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p..~
];

/// Helvetica-Bold advance widths for the bytes 32..=126 (from the Adobe AFM).
const HELVETICA_BOLD_WIDTHS: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, // ' '../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, // 0..?
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, // @..O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, // P.._
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, // `..o
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, // p..~
];

/// Unicode characters with a WinAnsiEncoding code in 0x80..=0x9F.
const WIN_ANSI_EXTRAS: [(char, u8); 27] = [
    ('€', 0x80),
    ('‚', 0x82),
    ('ƒ', 0x83),
    ('„', 0x84),
    ('…', 0x85),
    ('†', 0x86),
    ('‡', 0x87),
    ('ˆ', 0x88),
    ('‰', 0x89),
    ('Š', 0x8A),
    ('‹', 0x8B),
    ('Œ', 0x8C),
    ('Ž', 0x8E),
    ('‘', 0x91),
    ('’', 0x92),
    ('“', 0x93),
    ('”', 0x94),
    ('•', 0x95),
    ('–', 0x96),
    ('—', 0x97),
    ('˜', 0x98),
    ('™', 0x99),
    ('š', 0x9A),
    ('›', 0x9B),
    ('œ', 0x9C),
    ('ž', 0x9E),
    ('Ÿ', 0x9F),
];

/// The WinAnsiEncoding byte for a character, `?` when it has none.
fn win_ansi(c: char) -> u8 {
    match u32::from(c) {
        0x20..=0x7E | 0xA0..=0xFF => u8::try_from(u32::from(c)).unwrap_or(b'?'),
        0x09 => b' ',
        _ => WIN_ANSI_EXTRAS
            .iter()
            .find(|(extra, _)| *extra == c)
            .map_or(b'?', |(_, byte)| *byte),
    }
}

/// A piece of text in one font, already WinAnsi-encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Run {
    font: Font,
    bytes: Vec<u8>,
}

/// One line of text placed on a page.
#[derive(Debug, Clone)]
struct PlacedLine {
    x: u32,
    y: u32,
    size: u32,
    runs: Vec<Run>,
}

/// One encoded character with its font.
type Glyph = (Font, u8);

/// Lines wrapped for the available widths, before placement on pages.
struct Block {
    size: u32,
    leading: u32,
    /// Each line with its indent from the left margin.
    lines: Vec<(u32, Vec<Glyph>)>,
}

/// Turn the report into pages of placed lines.
fn layout(title: &str, lines: &[(String, String)]) -> Vec<Vec<PlacedLine>> {
    let mut pager = Pager::default();
    pager.place(&title_block(title));
    pager.gap(TITLE_GAP);
    for (label, value) in lines {
        pager.place(&entry_block(label, value));
    }
    pager.finish()
}

/// Width available to text on a page, in points.
const TEXT_WIDTH: u32 = PAGE_WIDTH - 2 * MARGIN;

fn title_block(title: &str) -> Block {
    let glyphs = encode(Font::Bold, title);
    let lines = wrap_paragraphs(&glyphs, TITLE_SIZE, 0);
    Block {
        size: TITLE_SIZE,
        leading: TITLE_LEADING,
        lines,
    }
}

fn entry_block(label: &str, value: &str) -> Block {
    let mut glyphs = encode(Font::Bold, label);
    glyphs.extend(encode(Font::Bold, ":"));
    glyphs.extend(encode(Font::Regular, " "));
    glyphs.extend(encode(Font::Regular, value));
    let lines = wrap_paragraphs(&glyphs, BODY_SIZE, INDENT);
    Block {
        size: BODY_SIZE,
        leading: BODY_LEADING,
        lines,
    }
}

/// Encode text in one font; `\n` is kept (as byte 10) to mark hard breaks.
fn encode(font: Font, text: &str) -> Vec<Glyph> {
    text.chars()
        .filter(|c| *c != '\r')
        .map(|c| (font, if c == '\n' { b'\n' } else { win_ansi(c) }))
        .collect()
}

/// Wrap text with hard breaks; every line after the first gets `indent`.
fn wrap_paragraphs(glyphs: &[Glyph], size: u32, indent: u32) -> Vec<(u32, Vec<Glyph>)> {
    let mut out = Vec::new();
    for paragraph in glyphs.split(|(_, byte)| *byte == b'\n') {
        let indent_now = if out.is_empty() { 0 } else { indent };
        let first_width = (TEXT_WIDTH - indent_now) * 1000 / size;
        let rest_width = (TEXT_WIDTH - indent) * 1000 / size;
        for line in wrap(paragraph, first_width, rest_width) {
            let indent_line = if out.is_empty() { 0 } else { indent };
            out.push((indent_line, line));
        }
    }
    out
}

/// Greedy word wrap. Widths are in thousandths of the font size; the first
/// line may be `first` wide, the others `rest`. Always yields a line.
fn wrap(glyphs: &[Glyph], first: u32, rest: u32) -> Vec<Vec<Glyph>> {
    let mut wrapper = Wrapper {
        lines: vec![Vec::new()],
        used: 0,
        first,
        rest,
    };
    for word in words(glyphs) {
        wrapper.add_word(word);
    }
    wrapper.lines
}

/// State of [`wrap`]: the lines so far and the width used on the last one.
struct Wrapper {
    lines: Vec<Vec<Glyph>>,
    used: u32,
    first: u32,
    rest: u32,
}

impl Wrapper {
    fn limit(&self) -> u32 {
        if self.lines.len() == 1 {
            self.first
        } else {
            self.rest
        }
    }

    /// Would `width` more overflow a line that already holds text?
    fn overflows(&self, width: u32) -> bool {
        let has_text = self.lines.last().is_some_and(|line| !line.is_empty());
        has_text && self.used + width > self.limit()
    }

    fn new_line(&mut self) {
        self.lines.push(Vec::new());
        self.used = 0;
    }

    /// Add a word (or a single space), moving it to a new line when it does
    /// not fit but would fit a whole line (longer words are split where
    /// they stand); a space that would start a new line is dropped.
    fn add_word(&mut self, word: &[Glyph]) {
        let width = width_of(word);
        if width <= self.rest && self.overflows(width) {
            self.new_line();
            if is_space(word) {
                return;
            }
        }
        for glyph in word {
            self.add_glyph(*glyph);
        }
    }

    /// Add one glyph, splitting a word wider than a whole line.
    fn add_glyph(&mut self, glyph: Glyph) {
        let width = glyph.0.width(glyph.1);
        if self.overflows(width) {
            self.new_line();
        }
        if let Some(line) = self.lines.last_mut() {
            line.push(glyph);
        }
        self.used += width;
    }
}

/// Split into words and single spaces, keeping every glyph.
fn words(glyphs: &[Glyph]) -> Vec<&[Glyph]> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, glyph) in glyphs.iter().enumerate() {
        if glyph.1 == b' ' {
            if start < i {
                out.push(&glyphs[start..i]);
            }
            out.push(&glyphs[i..=i]);
            start = i + 1;
        }
    }
    if start < glyphs.len() {
        out.push(&glyphs[start..]);
    }
    out
}

fn is_space(word: &[Glyph]) -> bool {
    word.iter().all(|(_, byte)| *byte == b' ')
}

fn width_of(glyphs: &[Glyph]) -> u32 {
    glyphs.iter().map(|(font, byte)| font.width(*byte)).sum()
}

/// Group consecutive glyphs of the same font into runs.
fn runs(glyphs: &[Glyph]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for &(font, byte) in glyphs {
        match out.last_mut() {
            Some(run) if run.font == font => run.bytes.push(byte),
            _ => out.push(Run {
                font,
                bytes: vec![byte],
            }),
        }
    }
    out
}

/// Places blocks of lines top to bottom, starting new pages as needed.
struct Pager {
    pages: Vec<Vec<PlacedLine>>,
    /// Distance from the top margin to the next baseline's top.
    cursor: u32,
}

impl Default for Pager {
    fn default() -> Self {
        Self {
            pages: vec![Vec::new()],
            cursor: 0,
        }
    }
}

/// Height available to text on a page, in points.
const TEXT_HEIGHT: u32 = PAGE_HEIGHT - 2 * MARGIN;

impl Pager {
    fn place(&mut self, block: &Block) {
        for (indent, glyphs) in &block.lines {
            if self.cursor + block.leading > TEXT_HEIGHT && self.cursor > 0 {
                self.pages.push(Vec::new());
                self.cursor = 0;
            }
            self.cursor += block.leading;
            let line = PlacedLine {
                x: MARGIN + indent,
                y: PAGE_HEIGHT - MARGIN - self.cursor,
                size: block.size,
                runs: runs(glyphs),
            };
            if let Some(page) = self.pages.last_mut() {
                page.push(line);
            }
        }
    }

    fn gap(&mut self, points: u32) {
        self.cursor += points;
    }

    fn finish(self) -> Vec<Vec<PlacedLine>> {
        self.pages
    }
}

/// Escape bytes for a PDF literal string (without the parentheses).
fn escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &byte in bytes {
        match byte {
            b'\\' | b'(' | b')' => {
                out.push('\\');
                out.push(char::from(byte));
            }
            0x20..=0x7E => out.push(char::from(byte)),
            _ => {
                let _ = write!(out, "\\{byte:03o}");
            }
        }
    }
    out
}

/// The content stream of one page.
fn page_content(lines: &[PlacedLine], number: usize, count: usize) -> String {
    let mut out = String::new();
    for line in lines {
        let _ = write!(out, "BT\n{} {} Td\n", line.x, line.y);
        for run in &line.runs {
            let font = run.font.resource();
            let _ = writeln!(out, "/{font} {} Tf\n({}) Tj", line.size, escape(&run.bytes));
        }
        out.push_str("ET\n");
    }
    let footer = format!("Page {number} of {count}");
    let _ = write!(
        out,
        "BT\n/F1 {FOOTER_SIZE} Tf\n{MARGIN} {FOOTER_Y} Td\n({footer}) Tj\nET\n"
    );
    out
}

/// A text string for the `/Info` dictionary: literal when printable ASCII,
/// UTF-16BE with a byte order mark otherwise.
fn info_string(text: &str) -> String {
    if text.bytes().all(|b| (0x20..=0x7E).contains(&b)) {
        return format!("({})", escape(text.as_bytes()));
    }
    let mut out = String::from("<FEFF");
    for unit in text.encode_utf16() {
        let _ = write!(out, "{unit:04X}");
    }
    out.push('>');
    out
}

/// Object numbers: fixed objects first, then a page and its content stream
/// for every page.
const CATALOG: usize = 1;
const PAGES: usize = 2;
const FONT_REGULAR: usize = 3;
const FONT_BOLD: usize = 4;
const INFO: usize = 5;
const FIRST_PAGE: usize = 6;

fn page_object(index: usize) -> usize {
    FIRST_PAGE + 2 * index
}

/// Serialise the pages into a complete PDF file.
fn write_document(title: &str, pages: &[Vec<PlacedLine>]) -> Vec<u8> {
    let mut writer = Writer::new();
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", page_object(i)))
        .collect();
    writer.object(CATALOG, &format!("<< /Type /Catalog /Pages {PAGES} 0 R >>"));
    writer.object(
        PAGES,
        &format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        ),
    );
    writer.object(FONT_REGULAR, &font_dictionary("Helvetica"));
    writer.object(FONT_BOLD, &font_dictionary("Helvetica-Bold"));
    writer.object(
        INFO,
        &format!("<< /Title {} /Producer ({PRODUCER}) >>", info_string(title)),
    );
    for (index, lines) in pages.iter().enumerate() {
        let content = page_content(lines, index + 1, pages.len());
        writer.object(page_object(index), &page_dictionary(page_object(index) + 1));
        writer.stream(page_object(index) + 1, content.as_bytes());
    }
    writer.finish()
}

fn font_dictionary(base: &str) -> String {
    format!("<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding >>")
}

fn page_dictionary(content: usize) -> String {
    format!(
        "<< /Type /Page /Parent {PAGES} 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] \
         /Resources << /Font << /F1 {FONT_REGULAR} 0 R /F2 {FONT_BOLD} 0 R >> >> \
         /Contents {content} 0 R >>"
    )
}

/// Appends numbered objects and records their byte offsets.
struct Writer {
    buf: Vec<u8>,
    /// Byte offset of object `n` at index `n - 1`.
    offsets: Vec<usize>,
}

impl Writer {
    fn new() -> Self {
        // The second line holds bytes >= 128 so tools treat the file as binary.
        let mut buf = b"%PDF-1.4\n%".to_vec();
        buf.extend_from_slice(&[0xE2, 0xE3, 0xCF, 0xD3, b'\n']);
        Self {
            buf,
            offsets: Vec::new(),
        }
    }

    /// Start object `number`; objects must be written in order 1, 2, 3, ….
    fn begin(&mut self, number: usize) {
        debug_assert_eq!(number, self.offsets.len() + 1, "objects out of order");
        self.offsets.push(self.buf.len());
        self.buf
            .extend_from_slice(format!("{number} 0 obj\n").as_bytes());
    }

    fn object(&mut self, number: usize, body: &str) {
        self.begin(number);
        self.buf.extend_from_slice(body.as_bytes());
        self.buf.extend_from_slice(b"\nendobj\n");
    }

    fn stream(&mut self, number: usize, data: &[u8]) {
        self.begin(number);
        let header = format!("<< /Length {} >>\nstream\n", data.len());
        self.buf.extend_from_slice(header.as_bytes());
        self.buf.extend_from_slice(data);
        self.buf.extend_from_slice(b"\nendstream\nendobj\n");
    }

    /// Write the cross-reference table and trailer.
    fn finish(mut self) -> Vec<u8> {
        let xref_offset = self.buf.len();
        let size = self.offsets.len() + 1;
        let mut xref = format!("xref\n0 {size}\n0000000000 65535 f\r\n");
        for offset in &self.offsets {
            let _ = write!(xref, "{offset:010} 00000 n\r\n");
        }
        let _ = write!(
            xref,
            "trailer\n<< /Size {size} /Root {CATALOG} 0 R /Info {INFO} 0 R >>\n\
             startxref\n{xref_offset}\n%%EOF\n"
        );
        self.buf.extend_from_slice(xref.as_bytes());
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Document, Object};

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(l, v)| (l.to_string(), v.to_string()))
            .collect()
    }

    fn load(pdf: &[u8]) -> Document {
        Document::load_mem(pdf).expect("lopdf parses the report")
    }

    /// Text of every page, joined.
    fn text(pdf: &[u8]) -> String {
        let doc = load(pdf);
        let numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
        doc.extract_text(&numbers).expect("text extraction")
    }

    /// Text with all whitespace removed, so wrapped words join up again.
    fn squashed(pdf: &[u8]) -> String {
        text(pdf).chars().filter(|c| !c.is_whitespace()).collect()
    }

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }

    fn many_lines(n: usize) -> Vec<(String, String)> {
        (0..n)
            .map(|i| (format!("label{i}"), format!("value-{i}")))
            .collect()
    }

    #[test]
    fn short_report_has_one_page_with_title_and_values() {
        let lines = pairs(&[
            ("Record id", "123e4567-e89b"),
            ("Type", "GDPR"),
            ("Audit level", "SIMPLE"),
        ]);
        let pdf = record_report("DEM record report", &lines);
        assert_eq!(load(&pdf).get_pages().len(), 1);
        let text = text(&pdf);
        for needle in [
            "DEM record report",
            "Record id:",
            "123e4567-e89b",
            "Type:",
            "GDPR",
            "SIMPLE",
        ] {
            assert!(text.contains(needle), "{needle:?} missing from {text:?}");
        }
        assert!(text.contains("Page 1 of 1"), "{text:?}");
    }

    #[test]
    fn empty_report_is_a_valid_single_page() {
        let pdf = record_report("", &[]);
        assert_eq!(load(&pdf).get_pages().len(), 1);
    }

    #[test]
    fn long_reports_paginate() {
        for (count, pages) in [(40, 1), (70, 2), (200, 4)] {
            let pdf = record_report("Many", &many_lines(count));
            assert_eq!(load(&pdf).get_pages().len(), pages, "{count} lines");
            let text = text(&pdf);
            assert!(
                text.contains(&format!("value-{}", count - 1)),
                "{count} lines"
            );
            assert!(text.contains(&format!("Page {pages} of {pages}")));
        }
    }

    #[test]
    fn every_line_fits_the_page() {
        let pdf = record_report("Many", &many_lines(300));
        let doc = load(&pdf);
        let body = i64::from(MARGIN)..=i64::from(PAGE_HEIGHT - MARGIN);
        for (_, page_id) in doc.get_pages() {
            let content = doc.get_page_content(page_id);
            let ops = lopdf::content::Content::decode(&content)
                .expect("decode")
                .operations;
            let ys: Vec<i64> = ops
                .iter()
                .filter(|op| op.operator == "Td")
                .map(|op| op.operands[1].as_i64().expect("integer y"))
                .collect();
            assert!(ys.len() > 40, "page is well filled: {}", ys.len());
            for y in ys {
                assert!(y == i64::from(FOOTER_Y) || body.contains(&y), "y = {y}");
            }
        }
    }

    #[test]
    fn long_values_wrap_and_keep_every_word() {
        let words: Vec<String> = (0..120).map(|i| format!("word{i}")).collect();
        let value = words.join(" ");
        let unbroken = "x".repeat(400);
        let lines = vec![
            ("Long".to_string(), value),
            ("Unbroken".to_string(), unbroken.clone()),
        ];
        let pdf = record_report("Wrapping", &lines);
        let text = text(&pdf);
        for word in &words {
            assert!(text.contains(word.as_str()), "{word} missing");
        }
        let text_lines = text.lines().filter(|l| l.contains("word")).count();
        assert!(
            text_lines >= 5,
            "expected wrapping, got {text_lines} lines: {text:?}"
        );
        assert!(squashed(&pdf).contains(&unbroken));
        assert!(text.lines().all(|l| l.chars().count() < 130), "{text:?}");
    }

    #[test]
    fn wrapped_lines_respect_the_width() {
        let glyphs = encode(Font::Regular, &"abc def ".repeat(100));
        let limit = TEXT_WIDTH * 1000 / BODY_SIZE;
        let lines = wrap(&glyphs, limit, limit - 1000);
        assert!(lines.len() > 3);
        for line in &lines {
            let visible = line.strip_suffix(&[(Font::Regular, b' ')]).unwrap_or(line);
            let width = width_of(visible);
            assert!(width <= limit, "{width} > {limit}");
            assert_ne!(
                line.first().map(|g| g.1),
                Some(b' '),
                "line starts with a space"
            );
        }
    }

    #[test]
    fn hard_line_breaks_start_new_lines() {
        let lines = pairs(&[("Multi", "first line\nsecond line\r\nthird\tline")]);
        let pdf = record_report("Breaks", &lines);
        let text = text(&pdf);
        let idx = |s: &str| {
            text.find(s)
                .unwrap_or_else(|| panic!("{s:?} missing from {text:?}"))
        };
        assert!(idx("first line") < idx("second line"));
        assert!(idx("second line") < idx("third line"));
    }

    #[test]
    fn parentheses_and_backslashes_are_escaped() {
        let tricky = r"a (nested (paren)) \ back\slash ) ( \n";
        let pdf = record_report("Escapes (test) \\", &pairs(&[("Pa(ren", tricky)]));
        let text = text(&pdf);
        assert!(text.contains("Escapes (test) \\"), "{text:?}");
        assert!(text.contains("Pa(ren:"), "{text:?}");
        assert!(text.contains(tricky), "{text:?}");
        assert!(find(&pdf, br"\(nested \(paren\)\) \\ back\\slash \) \( \\n").is_some());
    }

    #[test]
    fn latin1_and_win_ansi_text_round_trips() {
        let pdf = record_report(
            "Rapport for Ærlig Øystein",
            &pairs(&[("Navn", "Bjørn Håkon Müller – “café” €5")]),
        );
        let text = text(&pdf);
        assert!(text.contains("Ærlig Øystein"), "{text:?}");
        assert!(text.contains("Bjørn Håkon Müller – “café” €5"), "{text:?}");
        assert!(find(&pdf, br"Bj\370rn").is_some());
    }

    #[test]
    fn unsupported_characters_become_question_marks() {
        let lines = pairs(&[
            ("Emoji 😀", "日本語 \u{7} ok"),
            ("Control", "\u{0}\u{1b}[31m"),
        ]);
        let pdf = record_report("Ünïcödé ✓", &lines);
        let text = text(&pdf);
        assert!(text.contains("Emoji ?:"), "{text:?}");
        assert!(text.contains("??? ? ok"), "{text:?}");
        assert!(text.contains("Ünïcödé ?"), "{text:?}");
        let content_start = find(&pdf, b"stream\n").unwrap_or(0);
        assert!(
            !pdf[content_start..].contains(&0),
            "raw NUL in the file body"
        );
    }

    #[test]
    fn info_dictionary_has_title_and_producer() {
        let doc = load(&record_report("Report (1)", &[]));
        let info_ref = doc
            .trailer
            .get(b"Info")
            .and_then(Object::as_reference)
            .expect("/Info");
        let info = doc.get_dictionary(info_ref).expect("info dict");
        let producer = info
            .get(b"Producer")
            .and_then(Object::as_str)
            .expect("/Producer");
        assert_eq!(producer, b"signicat-dem-mock");
        let title = info.get(b"Title").and_then(Object::as_str).expect("/Title");
        assert_eq!(title, b"Report (1)");
    }

    #[test]
    fn non_ascii_info_title_is_utf16() {
        assert_eq!(info_string("Å"), "<FEFF00C5>");
        assert_eq!(info_string("😀"), "<FEFFD83DDE00>");
        assert_eq!(info_string("a(b)"), r"(a\(b\))");
        let doc = load(&record_report("Søknad 😀", &[]));
        let info_ref = doc
            .trailer
            .get(b"Info")
            .and_then(Object::as_reference)
            .expect("/Info");
        let info = doc.get_dictionary(info_ref).expect("info dict");
        let title = info.get(b"Title").and_then(Object::as_str).expect("/Title");
        assert_eq!(&title[..2], &[0xFE, 0xFF]);
    }

    #[test]
    fn header_is_pdf_14_with_binary_comment() {
        let pdf = record_report("Header", &[]);
        assert!(pdf.starts_with(b"%PDF-1.4\n%"));
        assert!(pdf[10..14].iter().all(|b| *b >= 128));
        assert!(pdf.ends_with(b"%%EOF\n"));
    }

    /// Check the xref table by hand: every entry is 20 bytes and points at
    /// the start of its object, and startxref points at the table.
    #[test]
    fn xref_offsets_are_exact() {
        let pdf = record_report("Xref", &many_lines(100));
        let startxref = find(&pdf, b"startxref\n").expect("startxref");
        let tail = String::from_utf8_lossy(&pdf[startxref + 10..]);
        let xref_at: usize = tail
            .lines()
            .next()
            .and_then(|l| l.parse().ok())
            .expect("offset");
        assert!(pdf[xref_at..].starts_with(b"xref\n0 "));
        let section = xref_at + 5;
        let header_end = section + find(&pdf[section..], b"\n").expect("subsection") + 1;
        let subsection = String::from_utf8_lossy(&pdf[section..header_end - 1]);
        let size: usize = subsection
            .strip_prefix("0 ")
            .and_then(|s| s.parse().ok())
            .expect("size");
        let table = &pdf[header_end..header_end + 20 * size];
        assert_eq!(&table[..20], b"0000000000 65535 f\r\n");
        for (number, entry) in table.chunks(20).enumerate().skip(1) {
            assert_eq!(&entry[10..20], b" 00000 n\r\n");
            let offset: usize = String::from_utf8_lossy(&entry[..10])
                .parse()
                .expect("digits");
            assert!(
                pdf[offset..].starts_with(format!("{number} 0 obj\n").as_bytes()),
                "object {number}"
            );
        }
        assert!(
            pdf[header_end + 20 * size..]
                .starts_with(format!("trailer\n<< /Size {size} ").as_bytes())
        );
    }

    #[test]
    fn stream_lengths_are_exact() {
        let pdf = record_report("Lengths", &many_lines(80));
        let doc = load(&pdf);
        let mut streams = 0;
        for object in doc.objects.values() {
            if let Object::Stream(stream) = object {
                let length = stream
                    .dict
                    .get(b"Length")
                    .and_then(Object::as_i64)
                    .expect("/Length");
                assert_eq!(usize::try_from(length).ok(), Some(stream.content.len()));
                assert!(stream.content.ends_with(b"ET\n"));
                streams += 1;
            }
        }
        assert_eq!(streams, 2);
    }

    #[test]
    fn output_is_deterministic() {
        let lines = many_lines(10);
        assert_eq!(record_report("Same", &lines), record_report("Same", &lines));
    }

    #[test]
    fn win_ansi_mapping() {
        assert_eq!(win_ansi('A'), b'A');
        assert_eq!(win_ansi('é'), 0xE9);
        assert_eq!(win_ansi('€'), 0x80);
        assert_eq!(win_ansi('\t'), b' ');
        assert_eq!(win_ansi('\u{85}'), b'?');
        assert_eq!(win_ansi('\u{7f}'), b'?');
        assert_eq!(win_ansi('ł'), b'?');
        assert_eq!(escape(&[b'(', b'\\', 0xE9, b')', 0x80]), r"\(\\\351\)\200");
    }
}
