//! Progress bars for long work, drawn on stderr only when asked for and
//! stderr is a terminal (indicatif hides them otherwise).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

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

fn bar(show: bool, total: u64, template: &str) -> ProgressBar {
    if !show || total == 0 {
        return ProgressBar::hidden();
    }
    let b = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    b.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    b
}
