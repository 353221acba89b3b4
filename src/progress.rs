//! Progress bars for long work, drawn on stderr only when asked for and
//! stderr is a terminal (indicatif hides them otherwise).

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar over `total` bytes (hashing, copying).
pub fn bytes(show: bool, total: u64, what: &str) -> ProgressBar {
    bar(
        show,
        total,
        &format!("{what} {{bar:30}} {{bytes}}/{{total_bytes}} {{bytes_per_sec}} {{eta}}"),
    )
}

/// A bar over `total` files (rendering), naming the last one written.
pub fn files(show: bool, total: u64, what: &str) -> ProgressBar {
    bar(
        show,
        total,
        &format!("{what} {{bar:30}} {{pos}}/{{len}} {{elapsed}} {{wide_msg}}"),
    )
}

/// Every bar is drawn through one `MultiProgress`, so that bars shown at
/// the same time (rendering and copying the evidence) each keep a line.
fn bars() -> &'static MultiProgress {
    static BARS: std::sync::OnceLock<MultiProgress> = std::sync::OnceLock::new();
    BARS.get_or_init(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()))
}

fn bar(show: bool, total: u64, template: &str) -> ProgressBar {
    if !show || total == 0 {
        return ProgressBar::hidden();
    }
    let b = bars().add(ProgressBar::new(total));
    b.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    b
}
