//! Build-time guard: `pg_query` (PostgreSQL's parser) runs bindgen, which needs libclang. Its
//! own failure is a long bindgen trace; this says what to install, before it gets there.

use std::path::Path;

fn has_libclang(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with("libclang") && (name.contains(".so") || name.ends_with(".dylib") || name.ends_with(".dll"))
                && !name.starts_with("libclang-cpp")
        })
    })
}

fn main() {
    println!("cargo:rerun-if-env-changed=LIBCLANG_PATH");
    println!("cargo:rerun-if-env-changed=PGCANON_SKIP_LIBCLANG_CHECK");
    if std::env::var_os("PGCANON_SKIP_LIBCLANG_CHECK").is_some() || std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("linux") {
        return;
    }
    let mut dirs: Vec<std::path::PathBuf> = Vec::new();
    if let Some(p) = std::env::var_os("LIBCLANG_PATH") {
        dirs.push(p.into());
    }
    if let Ok(out) = std::process::Command::new("llvm-config").arg("--libdir").output() {
        dirs.push(String::from_utf8_lossy(&out.stdout).trim().into());
    }
    for base in ["/usr/lib", "/usr/lib64", "/usr/local/lib"] {
        dirs.push(base.into());
        dirs.push(Path::new(base).join("x86_64-linux-gnu"));
        dirs.push(Path::new(base).join("aarch64-linux-gnu"));
        if let Ok(entries) = std::fs::read_dir(base) {
            dirs.extend(entries.flatten().filter(|e| e.file_name().to_string_lossy().starts_with("llvm")).map(|e| e.path().join("lib")));
        }
    }
    if !dirs.iter().any(|d| has_libclang(d)) {
        panic!(
            "schema-queries builds PostgreSQL's parser (the `pg_query` crate), whose bindgen step needs libclang, and none was found; \
             install it with `apt-get install -y libclang-dev` (Debian/Ubuntu; `dnf install clang-devel` on Fedora), \
             or point `LIBCLANG_PATH` at the directory holding libclang.so; \
             to build schema-gen without the query checker, use `--no-default-features --features cli`"
        );
    }
}
