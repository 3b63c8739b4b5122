//! The `itinera` command line: wires the library's stages to subcommands and
//! is the only place that prints or chooses an exit code.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
