//! Wall-clock guards on every HiGHS solve, so that `--time-limit` holds
//! whatever the solver does. HiGHS checks its own `time_limit` at points of
//! its choosing, and a program it cannot make sense of (a NaN coefficient)
//! was seen to spin inside one dual simplex iteration for ever.
//!
//! - [`Guard`]: HiGHS calls its interrupt callbacks from the simplex,
//!   interior-point and branch-and-bound loops; the guard asks it to stop
//!   once the deadline has passed.
//! - [`Overseer`]: a thread that watches the solve; if it is still running
//!   [`hard_grace`] after the deadline (stuck where no callback is called),
//!   it calls the hook the program installed with [`on_overrun`]. A library
//!   cannot stop a thread stuck in C++; the command line can end the process.

use highs_sys::{
    Highs_setCallback, Highs_startCallback, HighsCallbackDataIn, HighsCallbackDataOut,
    kHighsCallbackIpmInterrupt, kHighsCallbackMipInterrupt, kHighsCallbackSimplexInterrupt,
};
use std::os::raw::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// What to do when a solve is stuck past its deadline; gets the time limit.
static OVERRUN: OnceLock<fn(f64)> = OnceLock::new();

/// Install the hook called when a solve overruns its deadline by
/// [`hard_grace`] (once per process; later calls are ignored).
pub fn on_overrun(hook: fn(f64)) {
    let _ = OVERRUN.set(hook);
}

/// How long past its deadline a solve may run before the overrun hook is
/// called: 10 s and a tenth of the limit.
pub fn hard_grace(time_limit: f64) -> Duration {
    Duration::from_secs_f64(10.0 + time_limit.max(0.0) / 10.0)
}

/// Watches one solve from a thread of its own (see the module doc); stops
/// watching when dropped.
pub struct Overseer {
    done: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Overseer {
    /// Watch a solve due to end at `deadline`, given `time_limit` seconds.
    pub fn watch(deadline: Instant, time_limit: f64) -> Overseer {
        let done = Arc::new(AtomicBool::new(false));
        let thread = OVERRUN.get().copied().map(|hook| {
            let done = Arc::clone(&done);
            let alarm = deadline + hard_grace(time_limit);
            std::thread::spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    if Instant::now() >= alarm {
                        hook(time_limit);
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
            })
        });
        Overseer { done, thread }
    }
}

impl Drop for Overseer {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Grace beyond the solve's own time limit before the guard interrupts:
/// HiGHS normally stops by itself well within it.
pub const GRACE_SECONDS: f64 = 2.0;

/// The deadline a model's callback reads. Boxed so that its address stays
/// fixed while HiGHS holds it.
pub struct Guard {
    /// Only held: HiGHS reads it through the callback's pointer.
    _deadline: Box<Instant>,
}

impl Guard {
    /// Interrupt `model`'s solves after `deadline`. The guard must outlive
    /// every solve of the model (HiGHS keeps a pointer to it).
    pub fn install(model: &mut highs::Model, deadline: Instant) -> Guard {
        let deadline = Box::new(deadline);
        let data = (&*deadline as *const Instant).cast_mut().cast::<c_void>();
        // SAFETY: the pointer is the live HiGHS instance owned by `model`;
        // `data` points to the boxed deadline, which the returned guard
        // keeps alive (callers hold it for as long as they solve the model),
        // and `interrupt` only reads it.
        unsafe {
            let highs = model.as_mut_ptr();
            Highs_setCallback(highs, Some(interrupt), data);
            for kind in [
                kHighsCallbackSimplexInterrupt,
                kHighsCallbackIpmInterrupt,
                kHighsCallbackMipInterrupt,
            ] {
                Highs_startCallback(highs, kind);
            }
        }
        Guard {
            _deadline: deadline,
        }
    }
}

unsafe extern "C" fn interrupt(
    kind: c_int,
    _message: *const c_char,
    _out: *const HighsCallbackDataOut,
    data_in: *mut HighsCallbackDataIn,
    user: *mut c_void,
) {
    let interrupting = [
        kHighsCallbackSimplexInterrupt,
        kHighsCallbackIpmInterrupt,
        kHighsCallbackMipInterrupt,
    ]
    .contains(&kind);
    if !interrupting || data_in.is_null() || user.is_null() {
        return;
    }
    // SAFETY: `user` is the boxed deadline of a live `Guard` (see
    // `install`); `data_in` is HiGHS's input block for this call.
    unsafe {
        if Instant::now() >= *user.cast::<Instant>() {
            (*data_in).user_interrupt = 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    static CALLS: AtomicUsize = AtomicUsize::new(0);

    fn count(_limit: f64) {
        CALLS.fetch_add(1, Ordering::SeqCst);
    }

    #[test]
    fn the_hook_is_called_once_a_solve_overruns_and_not_before() {
        on_overrun(count);
        // A solve that ended in time: no call.
        drop(Overseer::watch(
            Instant::now() + Duration::from_secs(60),
            1.0,
        ));
        assert_eq!(CALLS.load(Ordering::SeqCst), 0);
        // A solve still running long after its deadline.
        let late = Instant::now() - hard_grace(1.0) - Duration::from_secs(1);
        let o = Overseer::watch(late, 1.0);
        let until = Instant::now() + Duration::from_secs(10);
        while CALLS.load(Ordering::SeqCst) == 0 && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(20));
        }
        drop(o);
        assert_eq!(CALLS.load(Ordering::SeqCst), 1);
    }
}
