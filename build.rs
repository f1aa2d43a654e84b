//! Embeds every `assets/rules/*.toml` file: writes the list `rules::builtin` includes.

use std::{env, fmt::Write as _, fs, path::Path};

fn main() {
    let dir = Path::new("assets/rules");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("assets/rules exists")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| Path::new(name).extension().is_some_and(|ext| ext == "toml"))
        .collect();
    names.sort();

    let mut list = String::from("&[\n");
    for name in &names {
        let path =
            Path::new(&env::var("CARGO_MANIFEST_DIR").expect("manifest dir")).join(dir).join(name);
        println!("cargo::rerun-if-changed={}", path.display());
        writeln!(list, "    ({name:?}, include_str!({:?})),", path.display().to_string())
            .expect("write to string");
    }
    list.push(']');
    let out = Path::new(&env::var("OUT_DIR").expect("out dir")).join("builtin_rules.rs");
    fs::write(out, list).expect("write builtin rule list");
}
