//! The workspace (the user's migration files) as it is saved in localStorage and carried in share
//! links: versioned JSON, and for links deflate + base64url in the URL fragment (`#w1=…`).

use serde::{Deserialize, Serialize};

use schema_playground::SourceFile;

/// The JSON format's version. Bump it when the format changes, and keep reading the old one.
pub const VERSION: u32 = 1;
/// The fragment prefix of a share link; its number is the share format's version.
pub const SHARE_PREFIX: &str = "w1=";
/// Limits on what a saved workspace, a link or an import may hold.
pub const MAX_FILES: usize = 2000;
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;
pub const MAX_TOTAL_BYTES: usize = 16 * 1024 * 1024;

#[derive(Serialize, Deserialize)]
struct FileJson {
    name: String,
    text: String,
}

#[derive(Serialize, Deserialize)]
struct WorkspaceJson {
    format: String,
    version: u32,
    files: Vec<FileJson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    selected: Option<String>,
}

const FORMAT: &str = "schema-playground-workspace";

/// The files and which one is open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workspace {
    pub files: Vec<SourceFile>,
    pub selected: Option<String>,
}

impl Workspace {
    pub fn to_json(&self) -> String {
        let json = WorkspaceJson {
            format: FORMAT.into(),
            version: VERSION,
            files: self.files.iter().map(|f| FileJson { name: f.name.clone(), text: f.text.to_string() }).collect(),
            selected: self.selected.clone(),
        };
        serde_json::to_string(&json).unwrap_or_default()
    }

    pub fn from_json(json: &str) -> Result<Workspace, String> {
        let value: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("not valid JSON ({e})"))?;
        let format = value.get("format").and_then(|v| v.as_str());
        if format != Some(FORMAT) {
            return Err("not a Schema Playground workspace".into());
        }
        match value.get("version").and_then(|v| v.as_u64()) {
            Some(v) if v == u64::from(VERSION) => {}
            Some(v) if v > u64::from(VERSION) => {
                return Err(format!("written by a newer version of the app (format {v}); reload to update"));
            }
            _ => return Err("unknown workspace format version".into()),
        }
        let parsed: WorkspaceJson = serde_json::from_value(value).map_err(|e| format!("malformed workspace ({e})"))?;
        let files: Vec<SourceFile> = parsed.files.into_iter().map(|f| SourceFile::new(f.name, f.text)).collect();
        check_files(&files)?;
        let selected = parsed.selected.filter(|s| files.iter().any(|f| &f.name == s));
        Ok(Workspace { files, selected })
    }

    /// The fragment (without `#`) of a link that opens this workspace.
    pub fn to_fragment(&self) -> String {
        let json = self.to_json();
        let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
        format!("{SHARE_PREFIX}{}", base64url_encode(&packed))
    }

    /// Reads a fragment made by [`Workspace::to_fragment`] (the leading `#` is optional).
    pub fn from_fragment(fragment: &str) -> Result<Workspace, String> {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        let Some(payload) = fragment.strip_prefix(SHARE_PREFIX) else {
            return Err("the link's data is in a format this version does not know".into());
        };
        let packed =
            base64url_decode(payload.trim()).ok_or("the link's data is damaged (not base64url); was it cut short?")?;
        let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_TOTAL_BYTES + 1024 * 1024)
            .map_err(|_| "the link's data is damaged (cannot be decompressed); was it cut short?".to_string())?;
        let json = String::from_utf8(json).map_err(|_| "the link's data is not UTF-8 text".to_string())?;
        Workspace::from_json(&json)
    }
}

/// [`Workspace::to_json`] for the autosave, made from files behind `Rc`s: each file's JSON is kept with
/// its `Rc`, so a save after an edit serializes only the files that changed (the state copies the
/// edited file into a new `Rc` and keeps the others). The text is the same as `to_json`'s.
#[derive(Default)]
pub struct JsonCache {
    files: Vec<(std::rc::Rc<SourceFile>, String)>,
}

impl JsonCache {
    pub fn write(&mut self, files: &[std::rc::Rc<SourceFile>], selected: Option<&str>) -> String {
        let mut old: std::collections::HashMap<*const SourceFile, String> =
            self.files.drain(..).map(|(f, json)| (std::rc::Rc::as_ptr(&f), json)).collect();
        for f in files {
            let json = old.remove(&std::rc::Rc::as_ptr(f)).unwrap_or_else(|| {
                let file = FileJson { name: f.name.clone(), text: f.text.to_string() };
                serde_json::to_string(&file).unwrap_or_default()
            });
            self.files.push((f.clone(), json));
        }
        // The shell of `to_json`'s document, with a marker where the files go.
        let shell = WorkspaceJson {
            format: FORMAT.into(),
            version: VERSION,
            files: Vec::new(),
            selected: selected.map(str::to_string),
        };
        let shell = serde_json::to_string(&shell).unwrap_or_default();
        let (head, tail) = shell.split_once("\"files\":[]").unwrap_or((&shell, ""));
        let size = head.len() + tail.len() + 16 + self.files.iter().map(|(_, j)| j.len() + 1).sum::<usize>();
        let mut out = String::with_capacity(size);
        out.push_str(head);
        out.push_str("\"files\":[");
        for (i, (_, json)) in self.files.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(json);
        }
        out.push(']');
        out.push_str(tail);
        out
    }
}

/// Rejects workspaces the app cannot hold: too many or too large files, empty or duplicate names.
pub fn check_files(files: &[SourceFile]) -> Result<(), String> {
    if files.len() > MAX_FILES {
        return Err(format!("too many files ({}, at most {MAX_FILES})", files.len()));
    }
    let mut total = 0;
    let mut names = std::collections::BTreeSet::new();
    for f in files {
        if f.name.trim().is_empty() {
            return Err("a file has no name".into());
        }
        if !names.insert(f.name.as_str()) {
            return Err(format!("two files are named {}", f.name));
        }
        if f.text.len() > MAX_FILE_BYTES {
            return Err(format!("{} is too large ({} bytes, at most {MAX_FILE_BYTES})", f.name, f.text.len()));
        }
        total += f.text.len();
    }
    if total > MAX_TOTAL_BYTES {
        return Err(format!("the files are too large together ({total} bytes, at most {MAX_TOTAL_BYTES})"));
    }
    Ok(())
}

/// Why a file name is not acceptable, if it is not.
pub fn name_problem(name: &str) -> Option<&'static str> {
    if name.trim().is_empty() {
        return Some("The name is empty.");
    }
    if name.contains(['/', '\\']) {
        return Some("A name cannot contain / or \\.");
    }
    if name.chars().any(char::is_control) {
        return Some("A name cannot contain control characters.");
    }
    if name.len() > 255 {
        return Some("The name is too long (at most 255 bytes).");
    }
    None
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding (RFC 4648 §5).
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Decodes base64url with or without padding; `None` on any other character or a bad length.
pub fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = acc << 6 | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if s.len() % 4 == 1 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Workspace {
        Workspace {
            files: vec![
                SourceFile::new("001_init.sql", "CREATE TABLE t (id int);\n-- é ✓ 🐘\n"),
                SourceFile::new("002_more.sql", ""),
            ],
            selected: Some("002_more.sql".into()),
        }
    }

    #[test]
    fn json_round_trip() {
        let ws = sample();
        assert_eq!(Workspace::from_json(&ws.to_json()), Ok(ws));
    }

    #[test]
    fn json_cache_writes_what_to_json_writes() {
        use std::rc::Rc;
        let ws = sample();
        let mut files: Vec<Rc<SourceFile>> = ws.files.iter().cloned().map(Rc::new).collect();
        let mut cache = JsonCache::default();
        assert_eq!(cache.write(&files, ws.selected.as_deref()), ws.to_json());
        // An edit: a new Rc for the edited file, the others kept.
        files[1] = Rc::new(SourceFile::new("002_more.sql", "ALTER TABLE t ADD c text; -- \"quoted\"\n"));
        let edited = Workspace { files: files.iter().map(|f| SourceFile::clone(f)).collect(), selected: None };
        assert_eq!(cache.write(&files, None), edited.to_json());
        files.remove(0);
        files.push(Rc::new(SourceFile::new("003_new.sql", "\t")));
        let changed = Workspace {
            files: files.iter().map(|f| SourceFile::clone(f)).collect(),
            selected: Some("003_new.sql".into()),
        };
        assert_eq!(cache.write(&files, Some("003_new.sql")), changed.to_json());
        assert_eq!(cache.write(&[], None), Workspace { files: Vec::new(), selected: None }.to_json());
    }

    #[test]
    fn fragment_round_trip() {
        let ws = sample();
        let fragment = ws.to_fragment();
        assert!(fragment.starts_with("w1="));
        assert!(fragment.bytes().all(|b| b.is_ascii_alphanumeric() || b"=-_".contains(&b)));
        assert_eq!(Workspace::from_fragment(&format!("#{fragment}")), Ok(ws));
    }

    #[test]
    fn bad_inputs_are_clear_errors() {
        assert!(Workspace::from_fragment("#w9=abc").unwrap_err().contains("format"));
        assert!(Workspace::from_fragment("#w1=***").unwrap_err().contains("base64url"));
        assert!(Workspace::from_fragment("#w1=AAAA").unwrap_err().contains("decompressed"));
        let cut = sample().to_fragment();
        assert!(Workspace::from_fragment(&cut[..cut.len() / 2]).is_err());
        assert!(Workspace::from_json("{").unwrap_err().contains("JSON"));
        assert!(
            Workspace::from_json(r#"{"format":"schema-playground-workspace","version":7,"files":[]}"#)
                .unwrap_err()
                .contains("newer")
        );
        let dup = r#"{"format":"schema-playground-workspace","version":1,"files":[{"name":"a","text":""},{"name":"a","text":""}]}"#;
        assert!(Workspace::from_json(dup).unwrap_err().contains("two files"));
    }

    #[test]
    fn base64url_matches_rfc4648() {
        for (raw, enc) in
            [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE")]
        {
            assert_eq!(base64url_encode(raw.as_bytes()), enc);
            assert_eq!(base64url_decode(enc).as_deref(), Some(raw.as_bytes()));
        }
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("Z"), None);
    }

    proptest::proptest! {
        #[test]
        fn base64url_round_trips(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            proptest::prop_assert_eq!(base64url_decode(&base64url_encode(&bytes)), Some(bytes));
        }
    }
}
