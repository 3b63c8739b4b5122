//! The install script finds the libclang that bindgen loads, and only that:
//! a fresh machine once failed to build because `libclang-cpp.so.14` (the
//! C++ interface, present without libclang) was taken for it.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn script(dir: &Path, arg: &str) -> Output {
    Command::new("bash")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/install-deps.sh"
        ))
        .arg(arg)
        .env("ITINERA_LIBCLANG_DIRS", dir)
        .env_remove("LIBCLANG_PATH")
        .output()
        .expect("bash runs")
}

fn touch(dir: &Path, name: &str) {
    fs::write(dir.join(name), b"").unwrap();
}

#[test]
fn look_alikes_are_not_libclang() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "libclang-cpp.so.14",
        "libclang-cpp.so",
        "libclangBasic.a",
        "libclang.a",
    ] {
        touch(dir.path(), name);
    }
    let out = script(dir.path(), "--find-libclang");
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let dry = script(dir.path(), "--dry-run");
    assert!(dry.status.success());
    assert!(
        String::from_utf8_lossy(&dry.stdout).contains("libclang-dev"),
        "a machine without libclang gets libclang-dev: {}",
        String::from_utf8_lossy(&dry.stdout)
    );
}

#[test]
fn every_name_bindgen_loads_is_found() {
    for name in [
        "libclang.so",
        "libclang.so.1",
        "libclang-14.so",
        "libclang-14.so.1",
        "libclang-14.0.6.so",
    ] {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "libclang-cpp.so.14");
        touch(dir.path(), name);
        let out = script(dir.path(), "--find-libclang");
        assert!(out.status.success(), "{name} not found");
        let found = String::from_utf8_lossy(&out.stdout);
        assert!(found.trim().ends_with(name), "{name}: found {found}");
        let dry = script(dir.path(), "--dry-run");
        assert!(
            !String::from_utf8_lossy(&dry.stdout).contains("libclang-dev"),
            "{name} present: nothing to install for it"
        );
    }
}
