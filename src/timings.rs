//! Wall-clock time per pipeline stage, printed by `build --timings` and used
//! by the benchmarks. Timing never changes any output.

use std::sync::Mutex;
use std::time::{Duration, Instant};

static STAGES: Mutex<Vec<(&'static str, Duration)>> = Mutex::new(Vec::new());

/// Run `f` and record its duration under `stage` (durations add up).
pub fn time<T>(stage: &'static str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    record(stage, start.elapsed());
    out
}

/// Add `d` to `stage`.
pub fn record(stage: &'static str, d: Duration) {
    if let Ok(mut v) = STAGES.lock() {
        match v.iter_mut().find(|(s, _)| *s == stage) {
            Some((_, total)) => *total += d,
            None => v.push((stage, d)),
        }
    }
}

/// The stages recorded so far, in first-recorded order.
pub fn take() -> Vec<(&'static str, Duration)> {
    STAGES
        .lock()
        .map(|mut v| std::mem::take(&mut *v))
        .unwrap_or_default()
}
