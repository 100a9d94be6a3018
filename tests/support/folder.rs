//! Migration folders on disk, read as the engine takes them.
#![allow(dead_code)] // each test binary uses part of it

use std::fs;
use std::path::{Path, PathBuf};

use schema_playground::SourceFile;

/// The `.sql` files of `dir`, in name order.
pub fn sql_files(dir: &Path) -> Vec<SourceFile> {
    let mut files: Vec<SourceFile> = fs::read_dir(dir)
        .expect("a readable folder")
        .filter_map(|e| {
            let p = e.expect("a folder entry").path();
            (p.is_file() && p.extension().is_some_and(|x| x == "sql")).then(|| {
                let text = fs::read_to_string(&p).expect("a UTF-8 file");
                SourceFile::new(p.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(), text)
            })
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

/// The repository's example and every set of `tests/corpus`, in name order.
pub fn example_and_corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sets: Vec<PathBuf> = fs::read_dir(root.join("tests/corpus"))
        .expect("the corpus")
        .map(|e| e.expect("a corpus entry").path())
        .filter(|p| p.is_dir())
        .collect();
    sets.sort();
    sets.insert(0, root.join("migrations"));
    sets
}
