//! For the unit tests: the migration folders every engine-wide test reads, the example and the corpus
//! sets.

use std::path::{Path, PathBuf};

use crate::SourceFile;

/// The example (`migrations/`) and every corpus set (`tests/corpus/*/`), each with its `.sql` files in
/// name order.
pub(crate) fn sample_folders() -> Vec<(PathBuf, Vec<SourceFile>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("migrations")];
    let corpus = std::fs::read_dir(root.join("tests/corpus")).expect("the corpus is there");
    let mut sets: Vec<PathBuf> = corpus.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()).collect();
    sets.sort();
    dirs.extend(sets);
    dirs.into_iter()
        .map(|dir| {
            let mut files: Vec<SourceFile> = std::fs::read_dir(&dir)
                .expect("a folder")
                .filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "sql"))
                .map(|e| {
                    let text = std::fs::read_to_string(e.path()).expect("a text file");
                    SourceFile::new(e.file_name().to_string_lossy().into_owned(), text)
                })
                .collect();
            files.sort_by(|a, b| a.name.cmp(&b.name));
            (dir, files)
        })
        .collect()
}
