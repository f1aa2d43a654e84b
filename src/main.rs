//! The `gha-triage` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    gha_triage::cli::run()
}
