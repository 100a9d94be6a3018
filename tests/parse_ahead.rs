//! `analysis::parse_ahead` parses what `analyze` parses, in the order it parses it: the CLI relies on it
//! to parse on a second thread.

use std::cell::RefCell;

use schema_playground::analysis::{self, Memory, Options};
use schema_playground::sql::parse;
use schema_playground::{Runner, SourceFile};

mod support;

/// A statement: its file and byte range.
type Key = (u32, usize, usize);

/// The statements `analyze` asks for, in order, and those `parse_ahead` gives, in order.
fn orders(files: &[SourceFile], options: &Options) -> (Vec<Key>, Vec<Key>) {
    let asked = RefCell::new(Vec::new());
    let parse = |file: u32, text: &str, start: usize, end: usize| {
        asked.borrow_mut().push((file, start, end));
        parse::parse(text, start, end)
    };
    let analysis = analysis::analyze_with_parser(files.to_vec(), options, &mut Memory::default(), &parse);
    assert_eq!(analysis.diagnostics, schema_playground::analyze(files.to_vec(), options).diagnostics);
    let mut given = Vec::new();
    analysis::parse_ahead(files, options, |(key, _)| {
        given.push(key);
        true
    });
    (asked.into_inner(), given)
}

#[test]
fn the_example_and_the_corpus_are_parsed_in_the_order_analyze_asks() {
    let mut statements = 0;
    for dir in support::folder::example_and_corpus() {
        let files = support::folder::sql_files(&dir);
        for runner in [Runner::Transaction, Runner::Psql] {
            let (asked, given) = orders(&files, &Options { runner, ..Options::default() });
            // After the migrations, folder rules may run rollbacks: those are parsed where they run.
            assert_eq!(given, asked[..given.len().min(asked.len())], "{}", dir.display());
            statements += given.len();
        }
    }
    assert!(statements > 1000, "{statements}");
}

#[test]
fn a_prelude_goose_sections_and_numeric_order() {
    let files = vec![
        SourceFile::new("001_a.sql", "CREATE TABLE a (id int PRIMARY KEY);\nCREATE INDEX ON a (id);"),
        SourceFile::new("010_c.sql", "ALTER TABLE a ADD COLUMN c text;\nDO $$ BEGIN NULL; END $$;"),
        SourceFile::new("002_b.sql", "ALTER TABLE a ADD COLUMN b text;\nCREATE TABLE (;\nSELECT 1"),
        SourceFile::new("002_b_rollback.sql", "ALTER TABLE a DROP COLUMN b;"),
    ];
    let prelude = SourceFile::new("platform.sql", "CREATE SCHEMA auth;\nCREATE TABLE auth.users (id uuid);");
    for options in [Options::default(), Options { prelude: Some(prelude), ..Options::default() }] {
        let (asked, given) = orders(&files, &options);
        assert!(given.len() >= 7, "{given:?}");
        assert_eq!(given, asked[..given.len()]);
    }
    let goose = vec![SourceFile::new(
        "20240101120000_a.sql",
        "-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\nDROP TABLE a;\n",
    )];
    let (asked, given) = orders(&goose, &Options::default());
    assert_eq!(given.len(), 1);
    assert_eq!(given, asked[..1]);
}
