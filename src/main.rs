//! The `itinera` command line: wires the library's stages to subcommands and
//! is the only place that prints or chooses an exit code.

mod cli;

fn main() -> std::process::ExitCode {
    restore_sigpipe();
    cli::run()
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
