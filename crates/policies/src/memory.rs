//! The memory limit of policy evaluations.
//!
//! Regorus checks, while it evaluates (in its interpreter loop and inside builtins that
//! build large values, such as `numbers.range`), the bytes allocated through its own
//! build of mimalloc against a ceiling, and stops the evaluation with an error when they
//! exceed it. The count is only real when that allocator is the program's: regorus
//! installs it as the global allocator when built with `allocator-memory-limits`, so
//! every program that links this crate counts its allocations.
//!
//! The ceiling is process-wide, so a policy's limit is enforced as "the bytes allocated
//! beyond what the process held when the evaluation started": a [`Budget`] takes that
//! baseline and sets the ceiling above it. Policies evaluated in parallel share the
//! ceiling; one that hits it while others ran beside it is run again alone under a fresh
//! baseline (see [`crate::eval`]), so a policy only fails for what it needs itself.

use std::sync::{Mutex, MutexGuard};

/// How many bytes one policy may allocate beyond the model by default (1 GiB).
pub const DEFAULT_MEMORY_LIMIT: u64 = 1 << 30;

/// Held by the one [`Budget`] alive at a time: the ceiling is process-wide.
static CEILING: Mutex<()> = Mutex::new(());

/// The bytes the process has allocated now.
pub fn allocated() -> u64 {
    regorus::flush_thread_memory_counters();
    regorus_mimalloc::global_allocation_stats_snapshot().allocated as u64
}

/// While alive, evaluations may allocate at most its budget beyond the baseline taken
/// when it was made (or last [`Budget::rebase`]d). Dropping it lifts the ceiling.
pub struct Budget {
    _held: MutexGuard<'static, ()>,
    bytes: u64,
}

impl Budget {
    /// A ceiling of `bytes` beyond what the process holds now.
    pub fn new(bytes: u64) -> Budget {
        let held = CEILING
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let budget = Budget { _held: held, bytes };
        budget.rebase();
        budget
    }

    /// Takes the baseline again: the ceiling is `bytes` beyond what the process holds now.
    pub fn rebase(&self) {
        regorus::set_global_memory_limit(Some(allocated().saturating_add(self.bytes)));
    }
}

impl Drop for Budget {
    fn drop(&mut self) {
        regorus::set_global_memory_limit(None);
    }
}

/// Whether `e` is regorus stopping an evaluation at the memory ceiling.
pub(crate) fn exceeded(e: &anyhow::Error) -> bool {
    format!("{e:#}").contains("exceeded memory limit")
}

/// `bytes` in MiB, for messages.
pub(crate) fn mib(bytes: u64) -> u64 {
    bytes >> 20
}
