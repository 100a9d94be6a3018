//! Messages above the panes: storage failures, unreadable share links, import results. Each has a
//! key, so a newer message of the same kind replaces the older one.

use std::rc::Rc;

use yew::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub key: &'static str,
    pub error: bool,
    pub text: String,
}

impl Notice {
    pub fn error(key: &'static str, text: impl Into<String>) -> Notice {
        Notice { key, error: true, text: text.into() }
    }

    pub fn info(key: &'static str, text: impl Into<String>) -> Notice {
        Notice { key, error: false, text: text.into() }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct NoticeList(pub Vec<Notice>);

pub enum NoticeAction {
    Show(Notice),
    Dismiss(&'static str),
}

impl Reducible for NoticeList {
    type Action = NoticeAction;

    fn reduce(self: Rc<Self>, action: NoticeAction) -> Rc<Self> {
        let mut list = self.0.clone();
        match action {
            NoticeAction::Show(n) => {
                if self.0.contains(&n) {
                    return self;
                }
                list.retain(|m| m.key != n.key);
                list.push(n);
            }
            NoticeAction::Dismiss(key) => {
                if !self.0.iter().any(|m| m.key == key) {
                    return self;
                }
                list.retain(|m| m.key != key);
            }
        }
        Rc::new(NoticeList(list))
    }
}

#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub notices: NoticeList,
    pub on_dismiss: Callback<&'static str>,
}

#[component]
pub fn Notices(props: &NoticesProps) -> Html {
    if props.notices.0.is_empty() {
        return html! {};
    }
    html! {
        <div class="notices">
            { for props.notices.0.iter().map(|n| {
                let key = n.key;
                html! {
                    <div key={key} class={classes!("notice", n.error.then_some("notice-error"))}
                        role={if n.error { "alert" } else { "status" }} data-testid="notice" data-key={key}>
                        <span>{ &n.text }</span>
                        <button class="icon" aria-label="Dismiss" title="Dismiss"
                            onclick={props.on_dismiss.reform(move |_| key)}>{ "×" }</button>
                    </div>
                }
            }) }
        </div>
    }
}
