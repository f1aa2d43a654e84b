//! Embeds the data under `assets/`: every `assets/rules/*.toml` file for `rules::builtin`, and
//! every file under `assets/demo/` for `demo`. Writes the two lists those modules include.

use std::{env, fmt::Write as _, fs, path::Path};

fn main() {
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("manifest dir")).to_path_buf();
    let out = Path::new(&env::var("OUT_DIR").expect("out dir")).to_path_buf();

    let rules = root.join("assets/rules");
    let mut rule_files = files_under(&rules);
    rule_files.retain(|path| path.extension().is_some_and(|ext| ext == "toml"));
    write_list(&out.join("builtin_rules.rs"), &rules, &rule_files, "include_str");

    let demo = root.join("assets/demo");
    let demo_files = files_under(&demo);
    write_list(&out.join("demo_files.rs"), &demo, &demo_files, "include_bytes");
}

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut found = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else { return found };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else if path.is_file() {
            println!("cargo::rerun-if-changed={}", path.display());
            found.push(path);
        }
    }
    found.sort();
    found
}

fn write_list(target: &Path, base: &Path, files: &[std::path::PathBuf], macro_name: &str) {
    let mut list = String::from("&[\n");
    for path in files {
        let name =
            path.strip_prefix(base).expect("under base").to_string_lossy().replace('\\', "/");
        let full = path.display().to_string();
        writeln!(list, "    ({name:?}, {macro_name}!({full:?})),").expect("write to string");
    }
    list.push(']');
    fs::write(target, list).expect("write embedded file list");
}
