//! Progress of a live scan on stderr (service × region units done, resources seen), shown
//! only when stderr is a terminal.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar, or nothing when stderr is not a terminal or progress is off.
pub struct Progress {
    bar: Option<ProgressBar>,
    resources: AtomicU64,
}

impl Progress {
    /// A bar on stderr when `enabled` and stderr is a terminal; silent otherwise.
    pub fn new(enabled: bool) -> Self {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let b = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{spinner} AWS {pos}/{len} service×region · {msg} · {elapsed}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            b.set_style(style);
            b.enable_steady_tick(std::time::Duration::from_millis(200));
            b
        });
        Progress {
            bar,
            resources: AtomicU64::new(0),
        }
    }

    /// Announces `n` more units of work.
    pub fn add_units(&self, n: u64) {
        if let Some(b) = &self.bar {
            b.inc_length(n);
        }
    }

    /// One unit (a service in a region) is done, having seen `resources` resources.
    pub fn unit_done(&self, resources: usize) {
        let total = self
            .resources
            .fetch_add(resources as u64, Ordering::Relaxed)
            + resources as u64;
        if let Some(b) = &self.bar {
            b.set_message(format!("{total} resources"));
            b.inc(1);
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
