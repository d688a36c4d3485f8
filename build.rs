//! Names the sources this learn was built from (`LEARN_BUILD_ID`): a hash
//! of `src/`, `themes/`, `Cargo.toml` and `Cargo.lock`. `learn build`'s cache
//! is used only by a learn with the same name, so a learn built from other
//! sources starts clean while the same sources built again (as CI does) keep
//! their cache. Plain FNV-1a over sorted paths and bytes: no dependencies.

use std::path::{Path, PathBuf};

fn main() {
    let mut files = Vec::new();
    for top in ["src", "themes"] {
        collect(Path::new(top), &mut files);
        println!("cargo:rerun-if-changed={top}");
    }
    files.extend([PathBuf::from("Cargo.toml"), PathBuf::from("Cargo.lock")]);
    println!("cargo:rerun-if-changed=Cargo.toml");
    println!("cargo:rerun-if-changed=Cargo.lock");
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut add = |bytes: &[u8]| {
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for f in &files {
        add(f.to_string_lossy().as_bytes());
        add(&std::fs::read(f).unwrap_or_default());
    }
    println!("cargo:rustc-env=LEARN_BUILD_ID={hash:016x}");
}

/// Every file under `dir`.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}
