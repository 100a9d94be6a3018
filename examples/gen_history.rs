//! Writes a generated migration history (the one the benchmarks use) to a folder.
//!
//! Usage: `cargo run --release --example gen_history -- OUT_DIR [N] [SEED]`
//! (N defaults to 1000, SEED to the benchmarks' seed). The folder is created if missing; existing
//! `.sql` files in it are left alone, so give it an empty or fresh folder.

#[path = "../benches/support/history.rs"]
mod history;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next().map(PathBuf::from) else {
        eprintln!("usage: gen_history OUT_DIR [N] [SEED]");
        return ExitCode::from(2);
    };
    let n: usize = match args.next().map(|s| s.parse()) {
        None => 1000,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("gen_history: N must be a positive integer");
            return ExitCode::from(2);
        }
    };
    let seed: u64 = match args.next().map(|s| s.parse()) {
        None => history::DEFAULT_SEED,
        Some(Ok(s)) => s,
        Some(Err(_)) => {
            eprintln!("gen_history: SEED must be an unsigned integer");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("gen_history: cannot create {}: {e}", out.display());
        return ExitCode::from(2);
    }
    let files = history::generate_with_seed(n, seed);
    let mut bytes = 0;
    for (name, text) in &files {
        bytes += text.len();
        if let Err(e) = std::fs::write(out.join(name), text) {
            eprintln!("gen_history: cannot write {name}: {e}");
            return ExitCode::from(2);
        }
    }
    eprintln!("gen_history: {} files, {} bytes in {}", files.len(), bytes, out.display());
    ExitCode::SUCCESS
}
