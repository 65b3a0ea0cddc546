//! Running the built `schema-gen` binary with a deadline, so a command that hangs (e.g. on a
//! FIFO) fails its test instead of hanging the suite.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// How long any single command may take.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// The binary, with no database URL inherited from the developer's environment.
pub fn command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_schema-gen"));
    c.args(args).env_remove("DATABASE_URL").env_remove("PGCANON_DATABASE_URL").env_remove("PGCANON_DATE").env_remove("PGPASSWORD");
    c
}

/// Runs `args` (in `dir` when given) and returns its output, failing the test if it does not
/// finish within [`DEADLINE`] (the process is then killed by its pid).
pub fn run_in(dir: Option<&Path>, args: &[&str]) -> Output {
    let mut c = command(args);
    if let Some(d) = dir {
        c.current_dir(d);
    }
    finish(c.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn schema-gen"), args)
}

/// [`run_in`] in the current directory.
pub fn run(args: &[&str]) -> Output {
    run_in(None, args)
}

/// Waits for `child` up to [`DEADLINE`].
pub fn finish(child: std::process::Child, args: &[&str]) -> Output {
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(DEADLINE) {
        Ok(output) => output.expect("wait for schema-gen"),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("`schema-gen {}` did not finish within {DEADLINE:?} (it hung)", args.join(" "));
        }
    }
}

/// Stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fixture of `tests/fixtures/`, as a string path.
pub fn fixture_path(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}
