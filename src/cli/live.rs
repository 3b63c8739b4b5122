//! The live progress line of `plan` and `replan` on a terminal: the stage,
//! the elapsed time, and the best plan, bound and gap known so far,
//! rewritten in place twice a second (HiGHS reports progress only now and
//! then, and the neighbourhood search only on improvements, so a line drawn
//! on reports alone stood still for most of a solve). Nothing is drawn when
//! stderr is not a terminal or `--quiet` is given.

use itinera::export::Lang;
use itinera::optimize::Progress;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// What the line shows.
struct State {
    latest: Option<Progress>,
}

/// Run `work` with a live line, handing it the progress callback to give
/// the solver (`None` when not `show`ing).
pub fn with_line<T>(
    show: bool,
    lang: Lang,
    work: impl FnOnce(Option<&(dyn Fn(Progress) + Sync)>) -> T,
) -> T {
    if !show {
        return work(None);
    }
    let state = Mutex::new(State { latest: None });
    let done = AtomicBool::new(false);
    let started = Instant::now();
    let report = |p: Progress| {
        state.lock().unwrap_or_else(|e| e.into_inner()).latest = Some(p);
    };
    let out = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                let latest = state.lock().unwrap_or_else(|e| e.into_inner()).latest;
                eprint!("\r{}", line(latest, started.elapsed().as_secs_f64(), lang));
                std::thread::sleep(Duration::from_millis(500));
            }
        });
        let out = work(Some(&report));
        done.store(true, Ordering::Relaxed);
        out
    });
    eprintln!();
    out
}

/// One state of the line: building until the solver first reports, then
/// solving with its figures.
fn line(latest: Option<Progress>, seconds: f64, lang: Lang) -> String {
    let f = |x: Option<f64>| x.map_or("-".to_string(), |v| lang.int(v));
    match latest {
        None => format!(
            "{}  {:>6} s   ",
            lang.pick("armando el programa…", "building the program…"),
            lang.decimal(seconds, 0)
        ),
        Some(p) => {
            let (known, parts) = p.parts;
            let share = if known < parts && known > 0 {
                lang.fill(
                    "  ({} de {} partes)",
                    "  ({} of {} parts)",
                    &[&known, &parts],
                )
            } else {
                String::new()
            };
            format!(
                "{}  {:>6} s  {} {:>16}  {} {:>16}  {} {:>8}{share}   ",
                lang.pick("resolviendo", "solving"),
                lang.decimal(seconds, 0),
                lang.pick("plan", "plan"),
                f(p.incumbent),
                lang.pick("cota", "bound"),
                f(p.bound),
                lang.pick("brecha", "gap"),
                p.gap_percent
                    .map_or("-".to_string(), |g| lang.percent(g / 100.0))
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_names_the_stage_and_the_figures() {
        let building = line(None, 3.0, Lang::Es);
        assert!(building.starts_with("armando el programa"), "{building}");
        let p = Progress {
            incumbent: Some(3_338_722_110.0),
            bound: Some(1_056_098_358.0),
            gap_percent: Some(68.37),
            seconds: 12.0,
            parts: (1, 1),
        };
        let solving = line(Some(p), 12.0, Lang::Es);
        assert!(solving.contains("resolviendo"), "{solving}");
        assert!(
            solving.contains("3.338.722.110") && solving.contains("68,37 %"),
            "{solving}"
        );
        assert!(line(Some(p), 12.0, Lang::En).contains("68.37 %"));
        let partial = Progress {
            parts: (2, 5),
            gap_percent: None,
            ..p
        };
        assert!(line(Some(partial), 12.0, Lang::Es).contains("(2 de 5 partes)"));
    }

    #[test]
    fn without_a_terminal_nothing_is_drawn_and_no_callback_is_given() {
        let given = with_line(false, Lang::Es, |cb| cb.is_some());
        assert!(!given);
    }
}
