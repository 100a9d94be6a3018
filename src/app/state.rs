//! The workspace state: the files and which one is open, changed only through [`Action`]s. The
//! analysis is derived from it (see `root.rs`), never stored here.

use std::rc::Rc;

use yew::Reducible;

use schema_playground::SourceFile;

use super::fix::Edit;
use super::workspace::Workspace;

/// Where the open workspace came from, which decides whether it is autosaved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The user's draft: autosaved to localStorage on every change.
    Draft,
    /// Opened from a share link: shown and editable, never saved over the draft unless the user
    /// keeps it.
    Shared,
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// Each file behind its own `Rc`: an edit copies the list of pointers and the edited file, not the
    /// text of every file (the analysis still holds the list before).
    pub files: Rc<Vec<Rc<SourceFile>>>,
    pub selected: Option<String>,
    pub source: Source,
    /// Bumped by every action; the autosave effect depends on it.
    pub rev: u64,
    /// The last change was typing in the editor (its analysis is debounced).
    pub typing: bool,
}

pub enum Action {
    Edit {
        name: String,
        text: String,
    },
    /// Makes a diagnostic's fix in the file, unless the text it was computed against changed since.
    ApplyFix {
        name: String,
        edit: Edit,
    },
    Select(String),
    Create {
        name: String,
        text: String,
    },
    Rename {
        from: String,
        to: String,
    },
    Delete(String),
    /// Adds the files (replacing those with the same name), or replaces the whole workspace.
    Import {
        files: Vec<SourceFile>,
        replace: bool,
    },
    Load {
        workspace: Workspace,
        source: Source,
    },
    /// The shared workspace becomes the user's draft.
    KeepShared,
}

impl State {
    pub fn new(workspace: Workspace, source: Source) -> State {
        let selected = workspace.selected.clone().or_else(|| workspace.files.first().map(|f| f.name.clone()));
        let files = workspace.files.into_iter().map(Rc::new).collect();
        State { files: Rc::new(files), selected, source, rev: 0, typing: false }
    }

    pub fn workspace(&self) -> Workspace {
        Workspace { files: self.files.iter().map(|f| SourceFile::clone(f)).collect(), selected: self.selected.clone() }
    }

    pub fn file(&self, name: &str) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.name == name).map(|f| &**f)
    }

    pub fn selected_file(&self) -> Option<&SourceFile> {
        self.selected.as_deref().and_then(|n| self.file(n))
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.rev += 1;
        next.typing = false;
        match action {
            Action::Edit { name, text } => {
                let files = Rc::make_mut(&mut next.files);
                let Some(file) = files.iter_mut().find(|f| f.name == name) else { return self };
                if *file.text == *text {
                    return self;
                }
                *file = Rc::new(SourceFile::new(file.name.clone(), text));
                next.typing = true;
            }
            Action::ApplyFix { name, edit } => {
                let files = Rc::make_mut(&mut next.files);
                let Some(file) = files.iter_mut().find(|f| f.name == name) else { return self };
                let Some(text) = edit.apply(&file.text) else { return self };
                // Saved and analysed again at once, as any change that is not typing.
                *file = Rc::new(SourceFile::new(file.name.clone(), text));
            }
            Action::Select(name) => {
                if self.selected.as_deref() == Some(name.as_str()) || self.file(&name).is_none() {
                    return self;
                }
                next.selected = Some(name);
            }
            Action::Create { name, text } => {
                if self.file(&name).is_some() {
                    return self;
                }
                Rc::make_mut(&mut next.files).push(Rc::new(SourceFile::new(name.clone(), text)));
                next.selected = Some(name);
            }
            Action::Rename { from, to } => {
                if self.file(&to).is_some() {
                    return self;
                }
                let files = Rc::make_mut(&mut next.files);
                let Some(file) = files.iter_mut().find(|f| f.name == from) else { return self };
                *file = Rc::new(SourceFile::new(to.clone(), file.text.clone()));
                if next.selected.as_deref() == Some(from.as_str()) {
                    next.selected = Some(to);
                }
            }
            Action::Delete(name) => {
                let files = Rc::make_mut(&mut next.files);
                let Some(at) = files.iter().position(|f| f.name == name) else { return self };
                files.remove(at);
                if next.selected.as_deref() == Some(name.as_str()) {
                    next.selected = files.get(at.min(files.len().saturating_sub(1))).map(|f| f.name.clone());
                }
            }
            Action::Import { files: imported, replace } => {
                let first = imported.first().map(|f| f.name.clone());
                let files = Rc::make_mut(&mut next.files);
                if replace {
                    files.clear();
                }
                for f in imported {
                    match files.iter_mut().find(|g| g.name == f.name) {
                        Some(existing) => *existing = Rc::new(f),
                        None => files.push(Rc::new(f)),
                    }
                }
                if first.is_some() {
                    next.selected = first;
                }
            }
            Action::Load { workspace, source } => {
                let rev = next.rev;
                next = State::new(workspace, source);
                next.rev = rev;
            }
            Action::KeepShared => next.source = Source::Draft,
        }
        Rc::new(next)
    }
}

/// Compares by pointer: for props and hook dependencies holding large derived data.
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}
