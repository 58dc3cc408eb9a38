//! The `tensorlings` binary: the command line over the library.

fn main() -> std::process::ExitCode {
    tensorlings::cli::main()
}
