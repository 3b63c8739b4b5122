//! The `itinera` command line: wires the library's stages to subcommands and
//! is the only place that prints or chooses an exit code.

mod cli;

fn main() -> std::process::ExitCode {
    restore_sigpipe();
    itinera::output::install_signal_cleanup();
    itinera::optimize::on_overrun(overrun);
    cli::run()
}

/// A solve stuck in HiGHS past its time limit (see `optimize::watchdog`):
/// nothing has been written yet; say so and end with exit 4 (no plan in time).
fn overrun(time_limit: f64) {
    let grace = itinera::optimize::hard_grace(time_limit).as_secs_f64();
    eprintln!(
        "\n{}",
        cli::lang().fill(
            "error: el solver no se detuvo dentro de su límite de tiempo ({} s, y {} s más); \
             no se escribió ningún plan. Revise los números del escenario con `itinera validate`, \
             e informe el escenario si son correctos.",
            "error: the solver did not stop within its time limit ({} s, and {} s more); \
             no plan was written. Check the scenario's numbers with `itinera validate`, \
             and report the scenario if they are sound.",
            &[&time_limit.round(), &grace.round()]
        )
    );
    itinera::output::remove_pending();
    std::process::exit(4);
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`itinera … | head`)
/// would panic; like other command-line tools, end quietly instead.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing, before any thread starts; SIG_DFL is a
    // valid disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
