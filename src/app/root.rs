//! The app: the workspace reducer, the derived analysis (recomputed on every change, debounced
//! while typing), autosave, and the three panes with their dialogs.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use schema_playground::catalog::model::QualName;
use schema_playground::catalog::names::relation_name;
use schema_playground::migrations::{self, PlanOptions};
use schema_playground::{Analysis, Diagnostic, Memory, Options, Simulated, SourceFile, analyze_with, simulate_with};

use super::autosave::Autosave;
use super::boot::{self, Boot};
use super::browser;
use super::confirm_dialog::ConfirmDialog;
use super::divider::Divider;
use super::editor::{Editor, Goto};
use super::example;
use super::import_button::Imported;
use super::migration_list::MigrationList;
use super::notices::{Notice, NoticeAction, NoticeList, Notices};
use super::problems::Problems;
use super::prompt_dialog::PromptDialog;
use super::rule_doc::RuleDoc;
use super::schema_pane::SchemaPane;
use super::share_dialog::ShareDialog;
use super::state::{Action, Shared, Source, State};
use super::toolbar::Toolbar;
use super::view::{self, MigrationItem};
use super::workspace::{self, Workspace};

/// How long typing must pause before the analysis runs again.
const DEBOUNCE_MS: u32 = 150;

/// The analysis and what the panes show of it, computed together once per change.
pub struct Derived {
    pub analysis: Analysis,
    /// How long `analyze` took, in milliseconds (for a staged first analysis: its simulation, the rules'
    /// slices and the finish, without the waits between them).
    pub ms: f64,
    /// When the analysis started (`performance.now()`): the page reports how long analysis and
    /// re-render took together once the new view is in the DOM (`data-render-ms`).
    pub started: f64,
    pub problems: view::ProblemList,
    pub items: Rc<Vec<MigrationItem>>,
    /// The options the analysis ran with (the folder's project file applied).
    pub options: Options,
    /// The rules have not run yet: the schema is final, the problems are the simulator's alone.
    pub checking: bool,
}

/// Analyses `files`. `memory` keeps each migration's run for the next call: after an edit, only the
/// edited migration and those after it run again.
pub fn derive(files: &[SourceFile], memory: &mut Memory) -> Derived {
    derive_with(files, memory, &mut view::ProblemCache::default())
}

/// [`derive`], with the problem rows of the analysis before kept in `cache` ([`view::problems_with`]).
pub fn derive_with<F: std::borrow::Borrow<SourceFile>>(
    files: &[F],
    memory: &mut Memory,
    cache: &mut view::ProblemCache,
) -> Derived {
    let t0 = browser::now_ms();
    let (files, options, config_problems) = prepare(files);
    let analysis = analyze_with(files, &options, memory);
    conclude(analysis, Checked { options, config_problems, started: t0, spent: 0.0 }, memory, cache)
}

/// The engine's input: the files (the engine takes the texts it analyses, and its `Analysis` keeps them:
/// the one copy of them), and the options of the folder's schema-playground.toml (and .squawk.toml), which
/// apply here as in the CLI, with what was wrong in them.
fn prepare<F: std::borrow::Borrow<SourceFile>>(files: &[F]) -> (Vec<SourceFile>, Options, Vec<Diagnostic>) {
    let files: Vec<SourceFile> = files.iter().map(|f| f.borrow().clone()).collect();
    let mut options = Options::default();
    let config_problems = schema_playground::config::ProjectConfig::apply_from(&files, &mut options);
    (files, options, config_problems)
}

/// What an analysis ran with, to make a [`Derived`] of it.
struct Checked {
    options: Options,
    config_problems: Vec<Diagnostic>,
    /// `performance.now()` when it started.
    started: f64,
    /// Milliseconds it took before that, in earlier tasks (a staged analysis's simulation and rules).
    spent: f64,
}

/// The view types of a whole analysis (the rules' findings in it).
fn conclude(mut analysis: Analysis, with: Checked, memory: &Memory, cache: &mut view::ProblemCache) -> Derived {
    analysis.diagnostics.splice(0..0, with.config_problems);
    let ms = browser::now_ms() - with.started + with.spent;
    if browser::debug() {
        web_sys::console::debug_1(&format!("analyze: {ms:.1} ms for {} files", analysis.files.len()).into());
    }
    // The cache follows the same analyses as `memory`: the files it says are unchanged keep their text.
    let problems = view::problems_with(&analysis, cache, |i| memory.unchanged(i));
    let items = Rc::new(view::migration_items(&analysis));
    mark_first();
    Derived { analysis, ms, started: with.started, problems, items, options: with.options, checking: false }
}

fn mark_first() {
    if FIRST.replace(false) {
        browser::mark("sp:analysed");
    }
}

/// The first analysis of a page, whose rules run after its schema is on screen: the simulation alone
/// shows the schema sooner, and the rules ([`RulesLater::step`]) follow a few migrations per task.
pub struct RulesLater {
    simulated: Simulated,
    with: Checked,
}

/// Projects larger than this are analysed at once even on the first load: a staged analysis keeps the
/// schemas before and after every statement until the rules have run.
const STAGED_MAX_BYTES: usize = 256 * 1024;

/// [`derive_with`] for the first analysis of a page: without the rules when the project is small
/// ([`STAGED_MAX_BYTES`]), with what they need to run later.
fn derive_first(
    files: &[Rc<SourceFile>],
    memory: &mut Memory,
    cache: &mut view::ProblemCache,
) -> (Derived, Option<RulesLater>) {
    let size: usize = files.iter().map(|f| f.text.len()).sum();
    if size > STAGED_MAX_BYTES {
        return (derive_with(files, memory, cache), None);
    }
    let t0 = browser::now_ms();
    let (files, options, config_problems) = prepare(files);
    let simulated = simulate_with(files, &options, memory);
    let mut analysis = simulated.analysis().clone();
    analysis.diagnostics.splice(0..0, config_problems.iter().cloned());
    let ms = browser::now_ms() - t0;
    // Its own cache: the shared one follows the analyses `memory` keeps, and this one it does not keep.
    let problems = view::problems_with(&analysis, &mut view::ProblemCache::default(), |_| false);
    let items = Rc::new(view::migration_items(&analysis));
    mark_first();
    let derived = Derived { analysis, ms, started: t0, problems, items, options: options.clone(), checking: true };
    (derived, Some(RulesLater { simulated, with: Checked { options, config_problems, started: t0, spent: ms } }))
}

/// The workspace's files, compared by pointer.
type Files = Shared<Vec<Rc<SourceFile>>>;

/// The task that runs the first analysis's rules a slice at a time, then hands the whole analysis to the
/// render (`analysed`, `rules_done`). A change of the files cancels it: the analysis of the new files
/// starts afresh.
struct Later {
    rules_later: Rc<std::cell::RefCell<Option<RulesLater>>>,
    memory: Rc<std::cell::RefCell<Memory>>,
    problem_cache: Rc<std::cell::RefCell<view::ProblemCache>>,
    analysed: Rc<std::cell::RefCell<Option<(Files, Derived)>>>,
    files: Files,
    cancelled: Rc<std::cell::Cell<bool>>,
    rules_done: UseStateSetter<u32>,
}

/// How long one slice of the first analysis's rules may hold the page.
const RULES_SLICE_MS: f64 = 8.0;

impl Later {
    fn run(self) {
        if self.cancelled.get() {
            self.rules_later.borrow_mut().take();
            return;
        }
        let done = match self.rules_later.borrow_mut().as_mut() {
            Some(later) => later.step(RULES_SLICE_MS),
            None => return,
        };
        if !done {
            Timeout::new(0, move || self.run()).forget();
            return;
        }
        let Some(later) = self.rules_later.borrow_mut().take() else { return };
        let derived = later.finish(&mut self.memory.borrow_mut(), &mut self.problem_cache.borrow_mut());
        browser::mark("sp:rules");
        *self.analysed.borrow_mut() = Some((self.files, derived));
        // Any new value: the memo runs again and takes the analysis from `analysed`.
        self.rules_done.set(RULES_GENERATION.with(|g| {
            g.set(g.get() + 1);
            g.get()
        }));
    }
}

thread_local! {
    static RULES_GENERATION: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

impl RulesLater {
    /// Runs the rules on a few more migrations, for about `budget_ms`. Returns whether every migration
    /// has been judged.
    fn step(&mut self, budget_ms: f64) -> bool {
        let t0 = browser::now_ms();
        let done = loop {
            if self.simulated.check_some(1) {
                break true;
            }
            if browser::now_ms() - t0 >= budget_ms {
                break false;
            }
        };
        self.with.spent += browser::now_ms() - t0;
        done
    }

    fn finish(self, memory: &mut Memory, cache: &mut view::ProblemCache) -> Derived {
        let analysis = self.simulated.finish(memory);
        let mut with = self.with;
        with.started = browser::now_ms();
        conclude(analysis, with, memory, cache)
    }
}

thread_local! {
    /// Whether no analysis has run yet: the first one marks the start-up phase `sp:analysed`.
    static FIRST: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// The file name `next_name` proposes for `description` in the current folder.
fn next_file_name(files: &[Rc<SourceFile>], description: &str) -> String {
    let refs: Vec<(&str, &str)> = files.iter().map(|f| (f.name.as_str(), f.text.as_ref())).collect();
    let plan = migrations::plan(&refs, &PlanOptions::default());
    migrations::next_name(&plan, description, &browser::utc_timestamp())
}

#[derive(Clone, PartialEq)]
enum Dialog {
    NewMigration,
    Rename(String),
    Delete(String),
    Reset,
    Share { url: String, embed: String },
    Import(Rc<Imported>),
    Rule(&'static str),
}

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub boot: Shared<Boot>,
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let boot = props.boot.clone();
    let state = {
        let boot = boot.clone();
        use_reducer(move || State::new(boot.workspace.clone(), boot.source))
    };
    let notices = {
        let boot = boot.clone();
        use_reducer(move || NoticeList(boot.notices.clone()))
    };
    let dialog = use_state(|| None::<Dialog>);
    let as_of = use_state_eq(|| None::<usize>);
    let table = {
        let boot = boot.clone();
        use_state_eq(move || boot.table.clone().unwrap_or_else(|| example::FIRST_TABLE.to_string()))
    };
    let goto = use_state_eq(|| None::<Goto>);
    let goto_seq = use_mut_ref(|| 0u32);
    let widths = use_state_eq(|| {
        // The schema pane gets a little more than half of what the migrations list leaves: `\d` is wide.
        let window = browser::window().inner_width().ok().and_then(|w| w.as_f64()).unwrap_or(1280.0) as i32;
        (240, ((window - 240) * 11 / 20).clamp(420, 1000))
    });
    let panes_ref = use_node_ref();

    // Derived state: the analysis of the files, debounced while typing. The files are compared by
    // pointer (each change makes a new list): comparing them by value compared every text, 4 MB in a
    // long history, several times per render.
    let settled = {
        let files = Shared(state.files.clone());
        use_state_eq(move || files)
    };
    let timer = use_mut_ref(|| None::<Timeout>);
    let memory = use_mut_ref(Memory::default);
    let problem_cache = use_mut_ref(view::ProblemCache::default);
    // The analysis the debounce timer made, for the render it starts. Analysing in the timer rather than
    // in the render keeps the render short: Yew's scheduler yields to the browser once a render has run
    // for 16 ms, and a render that analysed was always past that, so the browser drew a frame (and ran any
    // other task) between the app's render and its panes', before the new view was complete.
    let analysed = use_mut_ref(|| None::<(Files, Derived)>);
    {
        let settled = settled.setter();
        let timer = timer.clone();
        let typing = state.typing;
        let memory = memory.clone();
        let problem_cache = problem_cache.clone();
        let analysed = analysed.clone();
        use_effect_with(Shared(state.files.clone()), move |files| {
            let files = files.clone();
            if typing {
                let run = move || {
                    let derived = derive_with(&files, &mut memory.borrow_mut(), &mut problem_cache.borrow_mut());
                    *analysed.borrow_mut() = Some((files.clone(), derived));
                    settled.set(files);
                };
                *timer.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, run));
            } else {
                timer.borrow_mut().take();
                settled.set(files);
            }
        });
    }
    let input = if state.typing { (*settled).clone() } else { Shared(state.files.clone()) };
    // The first analysis leaves its rules for after the first paint (`RulesLater`); when they are done,
    // `rules_done` counts up and the whole analysis, left in `analysed`, replaces it.
    let rules_later = use_mut_ref(|| None::<RulesLater>);
    let rules_done = use_state_eq(|| 0u32);
    let first = use_mut_ref(|| true);
    let derived = {
        let memory = memory.clone();
        let problem_cache = problem_cache.clone();
        let analysed = analysed.clone();
        let rules_later = rules_later.clone();
        Shared(use_memo((input.clone(), *rules_done), move |(files, _)| match analysed.borrow_mut().take() {
            Some((done, derived)) if done == *files => derived,
            _ if first.replace(false) => {
                let (derived, later) = derive_first(files, &mut memory.borrow_mut(), &mut problem_cache.borrow_mut());
                *rules_later.borrow_mut() = later;
                derived
            }
            _ => derive_with(files, &mut memory.borrow_mut(), &mut problem_cache.borrow_mut()),
        }))
    };
    let pending = !Rc::ptr_eq(&input.0, &state.files) || derived.checking;
    {
        let rules_later = rules_later.clone();
        let rules_done = rules_done.setter();
        let memory = memory.clone();
        let problem_cache = problem_cache.clone();
        let analysed = analysed.clone();
        use_effect_with((derived.clone(), input.clone()), move |(derived, files)| {
            let cancelled = Rc::new(std::cell::Cell::new(false));
            if derived.checking {
                let later = Later {
                    rules_later,
                    memory,
                    problem_cache,
                    analysed,
                    files: files.clone(),
                    cancelled: cancelled.clone(),
                    rules_done,
                };
                browser::after_next_paint(move || later.run());
            }
            move || cancelled.set(true)
        });
    }
    // Analysis + re-render: measured when the new view has reached the DOM.
    let app_ref = use_node_ref();
    // The analysis on screen, held here so that the one it replaces is freed after the new view is
    // shown, in a task of its own: freeing a long history's analysis takes milliseconds.
    let shown = use_mut_ref(|| None::<Shared<Derived>>);
    {
        let app_ref = app_ref.clone();
        use_effect_with(derived.clone(), move |derived| {
            if let Some(el) = app_ref.cast::<web_sys::Element>() {
                let _ = el.set_attribute("data-render-ms", &format!("{:.2}", browser::now_ms() - derived.0.started));
            }
            if let Some(old) = shown.replace(Some(derived.clone())) {
                Timeout::new(0, move || drop(old)).forget();
            }
        });
    }

    // Autosave the draft: every change, typing once it pauses (see `autosave.rs`).
    let autosave = {
        let notices = notices.dispatcher();
        use_memo((), move |_| {
            Autosave::new(Rc::new(move |saved: Result<(), String>| match saved {
                Ok(()) => notices.dispatch(NoticeAction::Dismiss("storage")),
                Err(e) => notices.dispatch(NoticeAction::Show(Notice::error(
                    "storage",
                    format!("Your work could not be saved in this browser ({e}). Use Share to keep a copy."),
                ))),
            }))
        })
    };
    {
        let state = state.clone();
        use_effect_with((state.rev, state.source), move |(rev, source)| {
            if *source == Source::Draft && *rev == 0 {
                // The workspace the app opened with: saved when the page is idle, not before it is shown.
                autosave.opened(state.files.clone(), state.selected.clone());
            } else if *source == Source::Draft {
                autosave.change(state.files.clone(), state.selected.clone(), state.typing);
            } else {
                // A shared workspace replaced the draft: the draft's last keystrokes are saved now.
                autosave.flush();
            }
        });
    }

    // A share link pasted into the address bar of the open app changes only the fragment.
    {
        let state = state.dispatcher();
        let notices = notices.dispatcher();
        let as_of = as_of.setter();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn()>::new(move || {
                let u = browser::url();
                match boot::share_part(&u.hash).map(Workspace::from_fragment) {
                    Some(Ok(workspace)) => {
                        notices.dispatch(NoticeAction::Dismiss("share"));
                        as_of.set(None);
                        state.dispatch(Action::Load { workspace, source: Source::Shared });
                    }
                    Some(Err(why)) => notices.dispatch(NoticeAction::Show(boot::share_error(&why, false))),
                    None => {}
                }
            });
            let window = browser::window();
            let _ = window.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
            move || {
                let _ = window.remove_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
            }
        });
    }

    // Pane widths, set through the CSSOM (the CSP allows no inline style attributes).
    {
        let panes_ref = panes_ref.clone();
        use_effect_with(*widths, move |(left, right)| {
            if let Some(el) = panes_ref.cast::<web_sys::HtmlElement>() {
                let style = el.style();
                let _ = style.set_property("--left", &format!("{left}px"));
                let _ = style.set_property("--right", &format!("{right}px"));
            }
        });
    }

    // The same callback on every render: the migration rows compare it.
    let on_select_file = {
        let state = state.dispatcher();
        let goto = goto.setter();
        use_callback((), move |name: String, _| {
            // A jump already made must not happen again when its file is opened later.
            goto.set(None);
            state.dispatch(Action::Select(name));
        })
    };
    // The callbacks the panes get are the same on every render (`use_callback`), so that a pane whose
    // data did not change is not rendered again; those that need the state or the analysis of the
    // moment read it here.
    let latest = use_mut_ref(|| None::<(Rc<State>, Shared<Derived>)>);
    *latest.borrow_mut() = Some((Rc::new((*state).clone()), derived.clone()));
    let on_edit = {
        let selected = state.selected.clone();
        let state = state.dispatcher();
        use_callback(selected, move |text: String, selected: &Option<String>| {
            if let Some(name) = selected.clone() {
                state.dispatch(Action::Edit { name, text });
            }
        })
    };
    let on_open_problem = {
        let state = state.dispatcher();
        let latest = latest.clone();
        let goto = goto.setter();
        let goto_seq = goto_seq.clone();
        use_callback((), move |idx: usize, _| {
            let Some((current_state, derived)) = latest.borrow().clone() else { return };
            let Some(p) = derived.problems.get(idx) else { return };
            let Some(current) = current_state.file(&p.file) else { return };
            let analyzed = derived.analysis.files.iter().find(|f| f.name == p.file).map_or("", |f| f.text.as_ref());
            let start = view::remap_offset(analyzed, &current.text, p.start);
            let end = view::remap_offset(analyzed, &current.text, p.end).max(start);
            *goto_seq.borrow_mut() += 1;
            goto.set(Some(Goto {
                file: p.file.clone(),
                start: view::utf16_offset(&current.text, start),
                end: view::utf16_offset(&current.text, end),
                line: view::line_of(&current.text, start),
                seq: *goto_seq.borrow(),
            }));
            state.dispatch(Action::Select(p.file.clone()));
        })
    };
    let on_fix = {
        let state = state.dispatcher();
        let latest = latest.clone();
        use_callback((), move |idx: usize, _| {
            let Some((_, derived)) = latest.borrow().clone() else { return };
            let Some(p) = derived.problems.get(idx) else { return };
            let Some(fix) = &p.fix else { return };
            state.dispatch(Action::ApplyFix { name: p.file.clone(), edit: fix.edit.clone() });
        })
    };
    let open_dialog = |d: Dialog| {
        let dialog = dialog.clone();
        Callback::from(move |_| dialog.set(Some(d.clone())))
    };
    let close_dialog = {
        let dialog = dialog.clone();
        Callback::from(move |_| dialog.set(None))
    };
    let on_share = {
        let dialog = dialog.clone();
        let state = state.clone();
        Callback::from(move |_| {
            let u = browser::url();
            let fragment = state.workspace().to_fragment();
            let base = format!("{}{}", u.origin, u.pathname);
            let url = format!("{base}#{fragment}");
            let embed = format!(
                "<iframe src=\"{base}?embed#{fragment}\" title=\"Database schema\" width=\"900\" height=\"520\" loading=\"lazy\"></iframe>"
            );
            dialog.set(Some(Dialog::Share { url, embed }));
        })
    };
    let on_imported = {
        let dialog = dialog.clone();
        let notices = notices.dispatcher();
        Callback::from(move |imported: Imported| {
            if imported.files.is_empty() {
                let why = if imported.skipped.is_empty() {
                    "no files were chosen".to_string()
                } else {
                    imported.skipped.join("; ")
                };
                notices.dispatch(NoticeAction::Show(Notice::error("import", format!("Nothing was imported: {why}."))));
                return;
            }
            dialog.set(Some(Dialog::Import(Rc::new(imported))));
        })
    };
    let on_table = {
        let table = table.setter();
        use_callback((), move |name: QualName, _| table.set(relation_name(&name)))
    };
    let on_table_name = {
        let table = table.setter();
        use_callback((), move |name: String, _| table.set(name))
    };
    let on_as_of = {
        let as_of = as_of.setter();
        use_callback((), move |v: Option<usize>, _| as_of.set(v))
    };
    let on_rule = {
        let dialog = dialog.setter();
        use_callback((), move |id: &'static str, _| dialog.set(Some(Dialog::Rule(id))))
    };
    let (on_rename, on_delete) = {
        let open = |make: fn(String) -> Dialog| {
            let dialog = dialog.setter();
            move |_: MouseEvent, name: &Option<String>| {
                if let Some(name) = name {
                    dialog.set(Some(make(name.clone())));
                }
            }
        };
        (
            use_callback(state.selected.clone(), open(Dialog::Rename)),
            use_callback(state.selected.clone(), open(Dialog::Delete)),
        )
    };
    let on_dismiss = {
        let notices = notices.dispatcher();
        Callback::from(move |key: &'static str| notices.dispatch(NoticeAction::Dismiss(key)))
    };
    let on_left = {
        let widths = widths.clone();
        Callback::from(move |dx: i32| widths.set(((widths.0 + dx).clamp(160, 640), widths.1)))
    };
    let on_right = {
        let widths = widths.clone();
        Callback::from(move |dx: i32| widths.set((widths.0, (widths.1 - dx).clamp(280, 1000))))
    };

    let dialog_html = match (*dialog).clone() {
        None => html! {},
        Some(Dialog::NewMigration) => {
            let files = state.files.clone();
            let preview = {
                let files = files.clone();
                Callback::from(move |d: String| format!("Creates {}", next_file_name(&files, &d)))
            };
            let validate = Callback::from(|d: String| {
                d.trim().is_empty().then(|| "Describe what the migration does.".to_string())
            });
            let on_ok = {
                let state = state.dispatcher();
                let dialog = dialog.clone();
                let notices = notices.dispatcher();
                Callback::from(move |d: String| {
                    let name = next_file_name(&files, &d);
                    if files.iter().any(|f| f.name == name) {
                        notices.dispatch(NoticeAction::Show(Notice::error("new", format!("{name} already exists."))));
                        return;
                    }
                    let text = schema_playground::migrations::template(&d);
                    state.dispatch(Action::Create { name, text });
                    dialog.set(None);
                })
            };
            html! {
                <PromptDialog title="New migration" label="What does it do?" initial="" placeholder="add notifications table"
                    ok_label="Create" testid="new-migration-dialog" {preview} {validate} {on_ok} on_cancel={close_dialog.clone()} />
            }
        }
        Some(Dialog::Rename(from)) => {
            let validate = {
                let files = state.files.clone();
                let from = from.clone();
                Callback::from(move |to: String| {
                    if let Some(p) = workspace::name_problem(&to) {
                        return Some(p.to_string());
                    }
                    (to != from && files.iter().any(|f| f.name == to)).then(|| format!("{to} already exists."))
                })
            };
            let on_ok = {
                let state = state.dispatcher();
                let dialog = dialog.clone();
                let from = from.clone();
                Callback::from(move |to: String| {
                    if to != from {
                        state.dispatch(Action::Rename { from: from.clone(), to });
                    }
                    dialog.set(None);
                })
            };
            html! {
                <PromptDialog title={format!("Rename {from}")} label="New name" initial={from.clone()} placeholder=""
                    ok_label="Rename" testid="rename-dialog" preview={Callback::from(|_| String::new())} {validate} {on_ok}
                    on_cancel={close_dialog.clone()} />
            }
        }
        Some(Dialog::Delete(name)) => {
            let on_ok = {
                let state = state.dispatcher();
                let dialog = dialog.clone();
                let name = name.clone();
                Callback::from(move |_| {
                    state.dispatch(Action::Delete(name.clone()));
                    dialog.set(None);
                })
            };
            html! {
                <ConfirmDialog title={format!("Delete {name}?")} message="The file is removed from this workspace; this cannot be undone."
                    ok_label="Delete" testid="delete-dialog" {on_ok} on_cancel={close_dialog.clone()} />
            }
        }
        Some(Dialog::Reset) => {
            let on_ok = {
                let state = state.dispatcher();
                let dialog = dialog.clone();
                let as_of = as_of.clone();
                Callback::from(move |_| {
                    browser::clear_hash();
                    state.dispatch(Action::Load { workspace: boot::example(), source: Source::Draft });
                    as_of.set(None);
                    dialog.set(None);
                })
            };
            html! {
                <ConfirmDialog title="Reset to the example?"
                    message="All files of this workspace are replaced by the example project. Your changes are lost unless you shared them."
                    ok_label="Reset" testid="reset-dialog" {on_ok} on_cancel={close_dialog.clone()} />
            }
        }
        Some(Dialog::Rule(id)) => html! {
            <RuleDoc rule={id} on_close={close_dialog.clone()} />
        },
        Some(Dialog::Share { url, embed }) => html! {
            <ShareDialog {url} {embed} on_close={close_dialog.clone()} />
        },
        Some(Dialog::Import(imported)) => {
            let import = |replace: bool| {
                let state = state.dispatcher();
                let dialog = dialog.clone();
                let notices = notices.dispatcher();
                let imported = imported.clone();
                Callback::from(move |_| {
                    let mut text = format!("Imported {} file(s).", imported.files.len());
                    if !imported.skipped.is_empty() {
                        text.push_str(&format!(" Skipped: {}.", imported.skipped.join("; ")));
                    }
                    state.dispatch(Action::Import { files: imported.files.clone(), replace });
                    notices.dispatch(NoticeAction::Show(Notice::info("import", text)));
                    dialog.set(None);
                })
            };
            let mut message = format!(
                "{} file(s) read: {}.",
                imported.files.len(),
                imported.files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", ")
            );
            if !imported.skipped.is_empty() {
                message.push_str(&format!(" Skipped: {}.", imported.skipped.join("; ")));
            }
            html! {
                <ConfirmDialog title="Import files" {message} ok_label="Add to workspace" testid="import-dialog"
                    on_ok={import(false)} alt_label="Replace all files" on_alt={import(true)}
                    on_cancel={close_dialog.clone()} />
            }
        }
    };

    let selected = state.selected_file().cloned();
    let shared_banner = (state.source == Source::Shared).then(|| {
        let keep = {
            let state = state.dispatcher();
            Callback::from(move |_| {
                browser::clear_hash();
                state.dispatch(Action::KeepShared);
            })
        };
        let back = {
            let state = state.dispatcher();
            let notices = notices.dispatcher();
            let as_of = as_of.clone();
            Callback::from(move |_| {
                browser::clear_hash();
                let mut found = Vec::new();
                let workspace = boot::draft(&mut found);
                for n in found {
                    notices.dispatch(NoticeAction::Show(n));
                }
                as_of.set(None);
                state.dispatch(Action::Load { workspace, source: Source::Draft });
            })
        };
        html! {
            <div class="shared-banner" role="status" data-testid="shared-banner">
                <span>{ format!("You are looking at a shared workspace ({} files). Changes to it are not saved.", state.files.len()) }</span>
                <button onclick={keep} data-testid="keep-shared">{ "Keep it as my draft" }</button>
                <button onclick={back} data-testid="open-draft">{ "Back to my draft" }</button>
            </div>
        }
    });

    html! {
        <div class="app" ref={app_ref} data-testid="app" data-pending={pending.to_string()} data-checking={derived.checking.to_string()} data-analyze-ms={format!("{:.2}", derived.ms)}
            data-source={if state.source == Source::Draft { "draft" } else { "shared" }}>
            <Toolbar on_new={open_dialog(Dialog::NewMigration)} on_share={on_share} on_reset={open_dialog(Dialog::Reset)}
                {on_imported} />
            <Notices notices={(*notices).clone()} {on_dismiss} />
            { shared_banner.unwrap_or_default() }
            <main class="panes" ref={panes_ref}>
                <section class="pane pane-migrations" aria-label="Migrations">
                    <MigrationList items={derived.items.clone()} selected={state.selected.clone()} on_select={on_select_file}
                        scheme={derived.analysis.plan.scheme.map(|s| s.name()).unwrap_or("no scheme")} />
                </section>
                <Divider label="Resize the migrations pane" on_move={on_left} />
                <section class="pane pane-editor" aria-label="Editor">
                    {
                        match &selected {
                            Some(file) => html! {
                                <Editor name={file.name.clone()} text={file.text.clone()} derived={derived.clone()}
                                    goto={(*goto).clone().filter(|g| g.file == file.name)} {on_edit} {on_rename} {on_delete} />
                            },
                            None => html! {
                                <div class="empty" data-testid="no-file">
                                    <p>{ "No file is open." }</p>
                                    <button onclick={open_dialog(Dialog::NewMigration)}>{ "New migration" }</button>
                                </div>
                            },
                        }
                    }
                    <Problems derived={derived.clone()} on_open={on_open_problem} {on_fix} {on_rule} />
                </section>
                <Divider label="Resize the schema pane" on_move={on_right} />
                <section class="pane pane-schema" aria-label="Schema">
                    <SchemaPane derived={derived.clone()} as_of={*as_of} {on_as_of} table={(*table).clone()}
                        on_table={on_table_name} on_link={on_table} />
                </section>
            </main>
            { dialog_html }
        </div>
    }
}
