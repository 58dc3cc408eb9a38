//! The `tensorlings` binary: the command line over the library.

fn main() -> std::process::ExitCode {
    // The sandbox's hidden steps run before anything else: they are this same
    // binary, started by the runner to restrict a build or a test run.
    tensorlings::runner::sandbox::forget_inherited_descriptors();
    if let Some(code) = tensorlings::runner::sandbox::jail_main() {
        return code;
    }
    // Where the platform offers it outside the sandbox (Windows), everything
    // tensorlings starts ends with it.
    tensorlings::runner::sandbox::contain_this_process();
    tensorlings::runner::sandbox::Jail::install(
        tensorlings::runner::sandbox::Jail::of_this_binary(),
    );
    match tensorlings::cli::main() {
        tensorlings::cli::Outcome::Exit(code) => code,
        tensorlings::cli::Outcome::OpenApp(app) => {
            match tensorlings::tui::run(&app.course, &app.notes, app.poll) {
                Ok(()) => std::process::ExitCode::SUCCESS,
                Err(err) => tensorlings::cli::failed(&err),
            }
        }
    }
}
