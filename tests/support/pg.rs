//! A throwaway PostgreSQL server for integration tests (std only, no crates).
//!
//! `TempPostgres::start()` runs `initdb` in a fresh directory under /tmp and
//! starts a server on 127.0.0.1 on a free port (fsync off, trust auth, user
//! `postgres`, UTF8, locale C.UTF-8, TimeZone UTC). Dropping it stops the
//! server (`pg_ctl stop -m immediate`) and removes the directory.
//!
//! When the process runs as root (PostgreSQL refuses to), server commands run
//! as the `postgres` user via `runuser -u postgres --`. The psql client runs as
//! the current user and connects over TCP as `-U postgres`.
//!
//! Missing server binaries are a hard failure with a message naming the
//! package: a test that needs a server must never pass without one.
//!
//! The server binaries are those of the newest /usr/lib/postgresql/*/bin that
//! has initdb and pg_ctl; set PG_BIN to a bin directory to use another one.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::fs;
use std::io::ErrorKind;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// Where Debian/Ubuntu install the server binaries, one directory per major version.
const PG_LIB_DIR: &str = "/usr/lib/postgresql";
/// How many times a start is tried (each time on a newly chosen free port).
const START_ATTEMPTS: usize = 3;
/// How long to wait for the server to accept connections after pg_ctl returned.
const READY_TIMEOUT: Duration = Duration::from_secs(30);

static DIR_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// What one psql run printed. `stdout` is exactly what psql wrote to its pipe.
#[derive(Debug, Clone)]
pub struct PsqlOutput {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// A running throwaway PostgreSQL server; stopped and deleted on drop.
pub struct TempPostgres {
    /// Directory holding everything: `data/` (the cluster), `server.log`, `initdb.log`
    /// and the server's unix socket.
    base_dir: PathBuf,
    data_dir: PathBuf,
    port: u16,
    /// The server binaries: initdb, pg_ctl, postgres (and usually psql).
    bin_dir: PathBuf,
    psql: PathBuf,
    /// Run server commands through `runuser -u postgres --` (we are root).
    as_postgres: bool,
    /// pg_ctl start succeeded (or may have): stop the server on drop.
    started: bool,
}

impl TempPostgres {
    /// Finds the newest /usr/lib/postgresql/*/bin with initdb and pg_ctl (or
    /// $PG_BIN); runs initdb as the postgres user when running as root (via
    /// `runuser -u postgres --`), otherwise as the current user; starts the
    /// server on 127.0.0.1 on a free port with fsync=off; waits until it
    /// accepts connections. Panics with a loud message naming the package to
    /// install (`apt-get install postgresql`) if the binaries are missing.
    pub fn start() -> TempPostgres {
        let bin_dir = find_bin_dir();
        let psql = find_psql(&bin_dir);
        let as_postgres = running_as_root();
        if as_postgres {
            check_postgres_user();
        }
        let base_dir = make_base_dir(as_postgres);
        let data_dir = base_dir.join("data");

        // From here on `pg` owns base_dir: a panic drops it, which cleans up.
        let mut pg = TempPostgres { base_dir, data_dir, port: 0, bin_dir, psql, as_postgres, started: false };
        pg.initdb();

        let mut failures = Vec::new();
        for attempt in 1..=START_ATTEMPTS {
            pg.port = free_port();
            match pg.try_start() {
                Ok(()) => {
                    pg.wait_until_ready();
                    return pg;
                }
                Err(why) => {
                    // Make sure nothing half-started lingers before the next try.
                    pg.stop_server();
                    failures.push(format!("attempt {attempt} on port {}: {why}", pg.port));
                    let port_clash = why.contains("Address already in use")
                        || why.contains("could not bind")
                        || why.contains("could not create any TCP/IP sockets");
                    if !port_clash {
                        break;
                    }
                }
            }
        }
        panic!(
            "\n\nTempPostgres: could not start a PostgreSQL server (bin dir {}, data dir {}):\n{}\n",
            pg.bin_dir.display(),
            pg.data_dir.display(),
            failures.join("\n")
        );
    }

    /// The TCP port the server listens on (host 127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The directory of the server binaries in use.
    pub fn bin_dir(&self) -> &Path {
        &self.bin_dir
    }

    /// The psql client in use.
    pub fn psql_path(&self) -> &Path {
        &self.psql
    }

    /// Creates a fresh database (from template0) and returns its name.
    /// Panics if it cannot be created (e.g. it already exists).
    pub fn create_database(&self, name: &str) -> String {
        assert!(!name.is_empty(), "TempPostgres::create_database: empty database name");
        let sql = format!("CREATE DATABASE \"{}\" TEMPLATE template0", name.replace('"', "\"\""));
        let out = self.run_psql("postgres", ["-q", "-v", "ON_ERROR_STOP=1", "-c", sql.as_str()].map(OsStr::new));
        assert!(out.success, "TempPostgres: CREATE DATABASE {name:?} failed:\n{}", out.stderr);
        name.to_string()
    }

    /// Drops a database made by [`TempPostgres::create_database`], closing any session still on it.
    /// Tests that make a database per case drop each one when the case is done: a fresh database takes
    /// about 7.5 MB of data and as much write-ahead log, and a few hundred of them fill a small disk.
    pub fn drop_database(&self, name: &str) {
        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", name.replace('"', "\"\""));
        let out = self.run_psql("postgres", ["-q", "-v", "ON_ERROR_STOP=1", "-c", sql.as_str()].map(OsStr::new));
        assert!(out.success, "TempPostgres: DROP DATABASE {name:?} failed:\n{}", out.stderr);
    }

    /// Runs `psql -X -q -v ON_ERROR_STOP=1 [-1] -f FILE` against `db`.
    pub fn psql_file(&self, db: &str, file: &Path, single_transaction: bool) -> PsqlOutput {
        let mut args: Vec<&OsStr> = vec![OsStr::new("-q"), OsStr::new("-v"), OsStr::new("ON_ERROR_STOP=1")];
        if single_transaction {
            args.push(OsStr::new("-1"));
        }
        args.push(OsStr::new("-f"));
        args.push(file.as_os_str());
        self.run_psql(db, args)
    }

    /// Runs `psql -X -c COMMAND` (e.g. `"\\d users"`) against `db`; `stdout` is
    /// exactly what psql prints to a pipe (no pager).
    pub fn psql_command(&self, db: &str, command: &str) -> PsqlOutput {
        self.run_psql(db, ["-c", command].map(OsStr::new))
    }

    /// Runs one SQL query with `psql -X -A -t -v ON_ERROR_STOP=1 -c SQL`
    /// (unaligned, tuples only: one row per line, columns separated by `|`).
    pub fn psql_query(&self, db: &str, sql: &str) -> PsqlOutput {
        self.run_psql(db, ["-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql].map(OsStr::new))
    }

    // ----- internals -----

    fn run_psql<'a>(&self, db: &str, args: impl IntoIterator<Item = &'a OsStr>) -> PsqlOutput {
        let port = self.port.to_string();
        let mut cmd = Command::new(&self.psql);
        cmd.args(["-X", "-P", "pager=off", "-h", "127.0.0.1", "-p", &port, "-U", "postgres", "-d", db])
            .args(args)
            .stdin(Stdio::null());
        // A predictable client environment: nothing from the caller's PG*
        // variables, no pager, no translations, UTF-8 width computations.
        for var in [
            "PGHOST",
            "PGHOSTADDR",
            "PGPORT",
            "PGUSER",
            "PGDATABASE",
            "PGPASSWORD",
            "PGPASSFILE",
            "PGSERVICE",
            "PGSERVICEFILE",
            "PGOPTIONS",
            "PGSSLMODE",
            "PGAPPNAME",
            "PGTZ",
            "PGDATESTYLE",
            "PSQLRC",
            "PSQL_PAGER",
            "PSQL_HISTORY",
            "LANGUAGE",
            "LANG",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("PGCONNECT_TIMEOUT", "10")
            .env("PGCLIENTENCODING", "UTF8")
            .env("PGTZ", "UTC")
            .env("LC_ALL", "C.UTF-8")
            .env("PAGER", "");
        let out = cmd.output().unwrap_or_else(|e| panic!("TempPostgres: cannot run {}: {e}", self.psql.display()));
        PsqlOutput { success: out.status.success(), stdout: into_string(out.stdout), stderr: into_string(out.stderr) }
    }

    /// A command for a server binary, run as postgres when we are root, in the
    /// base directory (postgres may not be allowed into the caller's cwd).
    fn server_cmd(&self, program: &str) -> Command {
        let path = self.bin_dir.join(program);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        };
        cmd.current_dir(&self.base_dir)
            .stdin(Stdio::null())
            .env("LC_ALL", "C.UTF-8")
            .env_remove("LANGUAGE")
            .env_remove("PGDATA")
            .env_remove("PGPORT")
            .env_remove("PGOPTIONS");
        cmd
    }

    fn initdb(&self) {
        let out = run(
            self.server_cmd("initdb")
                .arg("-D")
                .arg(&self.data_dir)
                .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"])
                .args(["--no-sync", "--no-instructions"]),
            "initdb",
        );
        let log = format!("{}{}", into_string(out.stdout), into_string(out.stderr));
        let _ = fs::write(self.base_dir.join("initdb.log"), &log);
        assert!(
            out.status.success(),
            "\n\nTempPostgres: initdb failed in {} ({}):\n{log}\n",
            self.data_dir.display(),
            out.status
        );
    }

    fn try_start(&mut self) -> Result<(), String> {
        let log = self.base_dir.join("server.log");
        let _ = fs::remove_file(&log);
        // A checkpoint every 64 MB of write-ahead log keeps the log small: each CREATE DATABASE writes
        // the whole template to it.
        let opts = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k {} -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c TimeZone=UTC -c max_connections=20 -c shared_buffers=16MB \
             -c min_wal_size=32MB -c max_wal_size=64MB",
            self.port,
            self.base_dir.display()
        );
        self.started = true;
        let out = run(
            self.server_cmd("pg_ctl")
                .arg("-D")
                .arg(&self.data_dir)
                .arg("-l")
                .arg(&log)
                .args(["-w", "-t", "60", "-o", &opts, "start"]),
            "pg_ctl start",
        );
        if out.status.success() {
            return Ok(());
        }
        Err(format!(
            "pg_ctl start failed ({}):\n{}{}\nserver log:\n{}",
            out.status,
            into_string(out.stdout),
            into_string(out.stderr),
            fs::read_to_string(&log).unwrap_or_default()
        ))
    }

    fn wait_until_ready(&self) {
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            let out = self.psql_query("postgres", "SELECT 1");
            if out.success && out.stdout.trim() == "1" {
                return;
            }
            if Instant::now() >= deadline {
                panic!(
                    "\n\nTempPostgres: server on 127.0.0.1:{} does not accept connections after {:?}:\n{}\nserver log:\n{}\n",
                    self.port,
                    READY_TIMEOUT,
                    out.stderr,
                    fs::read_to_string(self.base_dir.join("server.log")).unwrap_or_default()
                );
            }
            sleep(Duration::from_millis(100));
        }
    }

    /// Stops the server if it may be running; never panics.
    fn stop_server(&mut self) {
        if !self.started {
            return;
        }
        self.started = false;
        let _ = self
            .server_cmd("pg_ctl")
            .arg("-D")
            .arg(&self.data_dir)
            .args(["-m", "immediate", "-w", "-t", "30", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        self.stop_server();
        let _ = fs::remove_dir_all(&self.base_dir);
    }
}

// ----- helpers -----

fn into_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn run(cmd: &mut Command, what: &str) -> Output {
    cmd.output().unwrap_or_else(|e| panic!("\n\nTempPostgres: cannot run {what} ({cmd:?}): {e}\n"))
}

fn missing_binaries(detail: &str) -> ! {
    panic!(
        "\n\n\
         ************************************************************************\n\
         TempPostgres: PostgreSQL server binaries not found.\n\
         {detail}\n\
         These tests need a real PostgreSQL server (initdb, pg_ctl, postgres, psql).\n\
         Install it with:   apt-get install postgresql\n\
         (or point PG_BIN at a directory holding initdb and pg_ctl)\n\
         ************************************************************************\n"
    );
}

fn has_server_binaries(dir: &Path) -> bool {
    dir.join("initdb").is_file() && dir.join("pg_ctl").is_file()
}

/// $PG_BIN, else the newest /usr/lib/postgresql/<version>/bin with initdb and pg_ctl.
fn find_bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("PG_BIN").filter(|v| !v.is_empty()) {
        let dir = PathBuf::from(dir);
        if !has_server_binaries(&dir) {
            missing_binaries(&format!("PG_BIN={} has no initdb and pg_ctl.", dir.display()));
        }
        return dir;
    }
    let entries = match fs::read_dir(PG_LIB_DIR) {
        Ok(entries) => entries,
        Err(e) => missing_binaries(&format!("Cannot read {PG_LIB_DIR}: {e}.")),
    };
    let mut candidates: Vec<(Vec<u32>, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            // Version directories: "15", "16", "9.6".
            let version: Option<Vec<u32>> = name.split('.').map(|p| p.parse().ok()).collect();
            let bin = e.path().join("bin");
            match version {
                Some(v) if has_server_binaries(&bin) => Some((v, bin)),
                _ => None,
            }
        })
        .collect();
    candidates.sort();
    match candidates.pop() {
        Some((_, bin)) => bin,
        None => missing_binaries(&format!("No {PG_LIB_DIR}/<version>/bin directory has initdb and pg_ctl.")),
    }
}

/// The bin dir's psql (same version as the server), else /usr/bin/psql.
fn find_psql(bin_dir: &Path) -> PathBuf {
    for candidate in [bin_dir.join("psql"), PathBuf::from("/usr/bin/psql")] {
        if candidate.is_file() {
            return candidate;
        }
    }
    missing_binaries(&format!(
        "No psql client in {} or /usr/bin (apt-get install postgresql-client).",
        bin_dir.display()
    ))
}

fn running_as_root() -> bool {
    match Command::new("id").arg("-u").stdin(Stdio::null()).output() {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim() == "0",
        Ok(out) => panic!("TempPostgres: `id -u` failed ({})", out.status),
        Err(e) => panic!("TempPostgres: cannot run `id -u`: {e}"),
    }
}

fn check_postgres_user() {
    let ok = Command::new("id")
        .args(["-u", "postgres"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        missing_binaries(
            "Running as root, but there is no `postgres` user to run the server as \
             (PostgreSQL refuses to run as root; the postgresql package creates that user).",
        );
    }
}

/// A new, empty, uniquely named directory under /tmp, owned by postgres when
/// we are root.
fn make_base_dir(as_postgres: bool) -> PathBuf {
    let pid = std::process::id();
    let dir = loop {
        let n = DIR_COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = PathBuf::from(format!("/tmp/schema-playground-pg-{pid}-{n}"));
        match fs::create_dir(&dir) {
            Ok(()) => break dir,
            // Left over from an earlier process with the same pid: try the next name.
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => panic!("TempPostgres: cannot create {}: {e}", dir.display()),
        }
    };
    let _ = fs::set_permissions(&dir, fs::Permissions::from_mode(0o700));
    if as_postgres {
        let status = Command::new("chown").arg("postgres:postgres").arg(&dir).stdin(Stdio::null()).status();
        if !matches!(status, Ok(s) if s.success()) {
            let _ = fs::remove_dir_all(&dir);
            panic!("TempPostgres: chown postgres:postgres {} failed: {status:?}", dir.display());
        }
    }
    dir
}

/// A port that was free a moment ago: bind 127.0.0.1:0, read the port, release it.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0")
        .unwrap_or_else(|e| panic!("TempPostgres: cannot bind 127.0.0.1:0 to find a free port: {e}"));
    let port =
        listener.local_addr().unwrap_or_else(|e| panic!("TempPostgres: local_addr of a bound listener: {e}")).port();
    drop(listener);
    port
}
