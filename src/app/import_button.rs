//! Importing files from the user's disk through file inputs (several files, or a whole folder),
//! read locally: nothing is uploaded. Only `.sql` files are taken; huge, binary and non-UTF-8 files
//! are skipped with a reason.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use schema_playground::SourceFile;

use super::workspace::{MAX_FILE_BYTES, MAX_FILES};

/// What was read, and what was skipped and why.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Imported {
    pub files: Vec<SourceFile>,
    pub skipped: Vec<String>,
}

async fn read(files: Vec<web_sys::File>) -> Imported {
    let mut out = Imported::default();
    let mut not_sql = Vec::new();
    for file in files {
        let name = file.name();
        if !name.to_lowercase().ends_with(".sql") {
            not_sql.push(name);
            continue;
        }
        if out.files.len() >= MAX_FILES {
            out.skipped.push(format!("{name}: more than {MAX_FILES} files"));
            continue;
        }
        let size = file.size();
        if size > MAX_FILE_BYTES as f64 {
            out.skipped.push(format!(
                "{name} is too large ({:.1} MB, at most {} MB)",
                size / 1_048_576.0,
                MAX_FILE_BYTES / 1_048_576
            ));
            continue;
        }
        let bytes = match JsFuture::from(file.array_buffer()).await {
            Ok(buf) => js_sys::Uint8Array::new(&buf).to_vec(),
            Err(e) => {
                out.skipped.push(format!("{name} could not be read ({})", super::browser::js_error(&e)));
                continue;
            }
        };
        if bytes.contains(&0) {
            out.skipped.push(format!("{name} looks binary, not SQL text"));
            continue;
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").map(<[u8]>::to_vec).unwrap_or(bytes);
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                out.skipped.push(format!(
                    "{name} is not UTF-8 text (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ));
                continue;
            }
        };
        if let Some(prev) = out.files.iter_mut().find(|f| f.name == name) {
            out.skipped.push(format!("{name} appears twice (in different folders): the last one was kept"));
            prev.text = text.into();
        } else {
            out.files.push(SourceFile::new(name, text));
        }
    }
    match not_sql.len() {
        0 => {}
        1..=3 => out.skipped.push(format!("{} (not .sql)", not_sql.join(", "))),
        n => out.skipped.push(format!("{n} files that are not .sql")),
    }
    out
}

#[derive(Properties, PartialEq)]
pub struct ImportButtonProps {
    pub on_imported: Callback<Imported>,
}

#[component]
pub fn ImportButton(props: &ImportButtonProps) -> Html {
    let on_change = {
        let on_imported = props.on_imported.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(list) = input.files() else { return };
            let files: Vec<web_sys::File> =
                (0..list.length()).filter_map(|i| list.get(i)).filter_map(|f| f.dyn_into().ok()).collect();
            // Let the same files be chosen again later.
            input.set_value("");
            let on_imported = on_imported.clone();
            wasm_bindgen_futures::spawn_local(async move { on_imported.emit(read(files).await) });
        })
    };
    html! {
        <>
            <label class="button" title="Import .sql files from your disk (read locally, never uploaded)">
                { "Import files" }
                <input type="file" class="visually-hidden" multiple=true accept=".sql,text/plain,application/sql"
                    data-testid="import-files" onchange={on_change.clone()} />
            </label>
            <label class="button" title="Import every .sql file of a folder (read locally, never uploaded)">
                { "Import folder" }
                <input type="file" class="visually-hidden" multiple=true webkitdirectory=true data-testid="import-folder"
                    onchange={on_change} />
            </label>
        </>
    }
}
