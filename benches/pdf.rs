//! The PDF layout and writer on a synthetic report of about 1,000 pages.
//!
//! `cargo bench --bench pdf` (release). Prints pages, bytes and the best and
//! median wall time of a few runs; plain `std::time`, no harness. Peak
//! memory: `/usr/bin/time -v` on the bench binary.

#![allow(clippy::disallowed_macros)] // a benchmark prints its figures

use auditpack::render::pdf::{write_markdown, ReportMeta};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::time::{Duration, Instant};

/// The digest and length of what is written, as a build writes a PDF to its
/// file: page by page, never the whole file in memory. The first bytes are
/// kept: the page tree, which counts the pages, is the first object.
#[derive(Default)]
struct Digesting {
    hash: Sha256,
    len: usize,
    head: Vec<u8>,
}

/// Bytes kept from the start of the file.
const HEAD: usize = 256 * 1024;

impl Write for Digesting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.hash.update(buf);
        self.len += buf.len();
        let room = HEAD.saturating_sub(self.head.len()).min(buf.len());
        self.head.extend_from_slice(&buf[..room]);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Render into a [`Digesting`] writer.
fn render(md: &str, meta: &ReportMeta) -> Digesting {
    let mut out = Digesting::default();
    write_markdown(md, meta, &mut out).expect("renders");
    out
}

/// A synthetic report of about `pages` pages: controls with narratives, and
/// a long matrix table that breaks across pages.
fn synthetic_markdown(pages: usize) -> String {
    let mut md = String::from("# Audit package — Synthetic System\n\n| | |\n| --- | --- |\n| System | Synthetic |\n\n## Contents\n\n- [Summary](#summary)\n\n");
    md.push_str("## Responsibility matrix\n\n| Requirement | Title | Control | Responsibility | Status | Evidence | Coverage |\n| --- | --- | --- | --- | --- | --- | --- |\n");
    let rows = pages * 14;
    for i in 0..rows {
        md.push_str(&format!(
            "| REQ-{i} | Requirement {i} on access reviews and logging | [CTL-{c}](#control-CTL-{c}) | customer | ✅ implemented | fresh | ✅ met |\n",
            c = i % 500
        ));
    }
    md.push_str("\n## Customer controls\n\n");
    for i in 0..pages * 2 {
        md.push_str(&format!(
            "<a id=\"control-CTL-{i}\"></a>\n\n### CTL-{i} — Synthetic control number {i}\n\n| | |\n| --- | --- |\n| Responsibility | **customer** |\n| Status | ◐ partially implemented |\n\n\
             The control is operated every quarter by the platform team; evidence is a signed export of the access review, \
             stored with its SHA-256 `9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08` and reviewed by Zoë Müller.\n\n"
        ));
    }
    md
}

fn main() {
    let target_pages: usize = std::env::args()
        .filter_map(|a| a.parse().ok())
        .next()
        .unwrap_or(1000);
    let md = synthetic_markdown(target_pages * 21 / 20);
    let meta = ReportMeta {
        header: "Synthetic System · SOC 2 · 2026-Q3".into(),
        footer: "As of 2026-09-30 · inputs 000000000000".into(),
        title: "Synthetic report".into(),
        author: "Synthetic Corp".into(),
        subject: "benchmark".into(),
        keywords: vec!["benchmark".into()],
        creator: "auditpack bench".into(),
        date: "D:20260930000000Z".into(),
        id_seed: b"bench".to_vec(),
    };
    // Warm-up: parses the fonts once, as a build does, and counts the
    // pages; the peak memory of the process is that of one render.
    let warm = render(&md, &meta);
    let pages = count_pages(&warm.head);
    let (size, first) = (warm.len, warm.hash.finalize().to_vec());
    let mut times: Vec<Duration> = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let out = render(&md, &meta);
        times.push(t.elapsed());
        let (digest, len) = (out.hash.finalize().to_vec(), out.len);
        assert!(digest == first && len == size, "same input, same bytes");
    }
    times.sort();
    println!(
        "pdf: {pages} pages, {} KiB, {} bytes of Markdown: best {:.3} s, median {:.3} s ({:.2} ms/page)",
        size / 1024,
        md.len(),
        times[0].as_secs_f64(),
        times[times.len() / 2].as_secs_f64(),
        times[times.len() / 2].as_secs_f64() * 1000.0 / pages.max(1) as f64
    );
}

/// Pages of a PDF, from its first bytes: the /Count of its page tree.
fn count_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type/Pages")
        .chain(text.match_indices("/Type /Pages"))
        .filter_map(|(i, _)| {
            let rest = &text[i..(i + 200).min(text.len())];
            let c = rest.find("/Count")?;
            rest[c + 6..]
                .trim_start()
                .split(|ch: char| !ch.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        })
        .max()
        .unwrap_or(0)
}
