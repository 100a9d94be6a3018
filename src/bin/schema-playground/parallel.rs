//! The two cores of a CI machine: statements are parsed on a second thread while the first simulates
//! them and runs the rules, and `check`'s report is rendered in as many pieces as there are cores.
//! The results are the same as a single thread's: the engine decides what is parsed and in which
//! order (`analysis::parse_ahead`), and any parse that does not arrive in that order is made again.

use std::cell::RefCell;
use std::sync::mpsc;

use schema_playground::analysis::{self, Memory, Parsing};
use schema_playground::sql::parse;
use schema_playground::{Analysis, Options, SourceFile};

/// How many parses the second thread may run ahead of the simulation.
const AHEAD: usize = 256;

/// [`schema_playground::analyze`], with the parsing on a second thread.
pub fn analyze(files: Vec<SourceFile>, options: &Options) -> Analysis {
    if cores() < 2 {
        return schema_playground::analyze(files, options);
    }
    let texts = files.clone();
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<Parsing>(AHEAD);
        let texts = &texts;
        scope.spawn(move || analysis::parse_ahead(texts, options, |parsing| tx.send(parsing).is_ok()));
        let next: RefCell<Option<Parsing>> = RefCell::new(None);
        let parse = |file: u32, text: &str, start: usize, end: usize| {
            let mut slot = next.borrow_mut();
            if slot.is_none() {
                *slot = rx.recv().ok();
            }
            match slot.take() {
                Some((key, parsed)) if key == (file, start, end) => parsed,
                other => {
                    // Not the one the second thread made next: parse it here and keep that one.
                    *slot = other;
                    parse::parse(text, start, end)
                }
            }
        };
        let analysis = analysis::analyze_with_parser(files, options, &mut Memory::default(), &parse);
        // Ends the second thread if it is still parsing (the scope waits for it).
        drop(rx);
        analysis
    })
}

/// Maps `items` with `f` on every core, in order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let chunk = items.len().div_ceil(cores()).max(64);
    if items.len() <= chunk {
        return items.iter().map(&f).collect();
    }
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> =
            items.chunks(chunk).map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>())).collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use schema_playground::Runner;

    use super::*;

    fn same(files: Vec<SourceFile>, options: &Options) {
        let one = schema_playground::analyze(files.clone(), options);
        let two = analyze(files, options);
        assert_eq!(one.diagnostics, two.diagnostics);
        assert_eq!(one.statements, two.statements);
        assert_eq!(one.catalog, two.catalog);
    }

    #[test]
    fn parsing_ahead_changes_nothing() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![root.join("migrations")];
        let corpus = std::fs::read_dir(root.join("tests/corpus")).expect("the corpus is there");
        dirs.extend(corpus.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()));
        assert!(dirs.len() > 20);
        for dir in dirs {
            let files = crate::read_folder(&dir).expect("a readable folder");
            for runner in [Runner::Transaction, Runner::Psql] {
                same(files.clone(), &Options { runner, ..Options::default() });
            }
        }
    }

    #[test]
    fn a_prelude_and_parses_out_of_order_change_nothing() {
        let files = vec![
            SourceFile::new("001_a.sql", "CREATE TABLE a (id int PRIMARY KEY);\nCREATE INDEX ON a (id);"),
            // The second thread parses in plan order: 002 before 010, whatever the folder's order.
            SourceFile::new("010_c.sql", "ALTER TABLE a ADD COLUMN c text;\nDO $$ BEGIN NULL; END $$;"),
            SourceFile::new("002_b.sql", "-- +goose Up\nALTER TABLE a ADD COLUMN b text;\nCREATE TABLE ("),
            SourceFile::new("003_b_rollback.sql", "ALTER TABLE a DROP COLUMN b;"),
            SourceFile::new("prelude.sql", "CREATE SCHEMA auth;\nCREATE TABLE auth.users (id uuid);"),
        ];
        let prelude = SourceFile::new("platform.sql", "CREATE SCHEMA extensions;");
        same(files.clone(), &Options { prelude: Some(prelude), ..Options::default() });
        let listed = files[4].clone();
        same(files, &Options { prelude: Some(listed), ..Options::default() });
    }

    #[test]
    fn map_keeps_the_order() {
        let items: Vec<u32> = (0..1000).collect();
        assert_eq!(map(&items, |i| i * 2), items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(map(&items[..3], |i| i + 1), vec![1, 2, 3]);
    }
}
