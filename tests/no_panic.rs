//! Arbitrary and mutated SQL never panics the engine (a panic in wasm kills the page).

use proptest::prelude::*;
use schema_playground::{Options, Runner, SourceFile, analyze};

const EXAMPLE: &str = include_str!("../migrations/001_initial_schema.sql");

fn run(text: String) {
    for runner in [Runner::Transaction, Runner::Psql] {
        let files = vec![SourceFile::new("001_x.sql", text.clone()), SourceFile::new("002_y.sql", text.clone())];
        let a = analyze(files, &Options { runner, ..Options::default() });
        for d in &a.diagnostics {
            assert!(d.span.end as usize <= a.files[d.span.file as usize].text.len());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        run(text);
    }

    #[test]
    fn sql_like_soup_never_panics(parts in proptest::collection::vec(prop_oneof![
        Just("CREATE TABLE t (a int PRIMARY KEY, b text DEFAULT 'x' CHECK (b <> ''))"),
        Just("ALTER TABLE t ADD COLUMN c numeric(10,2) NOT NULL DEFAULT 0"),
        Just("CREATE INDEX ON t (lower(b)) WHERE a > 0"),
        Just("DROP TABLE t CASCADE"), Just("DO $$ BEGIN NULL; END $$"), Just("$$"), Just("'"), Just("("), Just(")"),
        Just(";"), Just("--"), Just("/*"), Just("*/"), Just("\\i x"), Just("CREATE TYPE e AS ENUM ('a')"),
        Just("CREATE TRIGGER g BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f()"), Just("E'\\''"),
        Just("CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql"),
    ], 0..24)) {
        run(parts.join(" "));
    }

    #[test]
    fn mutated_example_never_panics(cut in 0usize..EXAMPLE.len(), del in 0usize..40, insert in "[(),;'$\"]{0,3}") {
        let mut text = EXAMPLE.to_string();
        let mut at = cut.min(text.len());
        while !text.is_char_boundary(at) { at -= 1; }
        let mut end = (at + del).min(text.len());
        while !text.is_char_boundary(end) { end -= 1; }
        text.replace_range(at..end, &insert);
        run(text);
    }
}

#[test]
fn deeply_nested_expressions_are_a_diagnostic() {
    let sql = format!("CREATE TABLE t (a int CHECK ({}a > 0{}));", "(".repeat(5000), ")".repeat(5000));
    let a = analyze(vec![SourceFile::new("001_deep.sql", sql)], &Options::default());
    assert!(a.diagnostics.iter().any(|d| d.message.contains("nested too deeply")), "{:?}", a.diagnostics);
}
