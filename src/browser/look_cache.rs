//! What one look has read of the page, kept for the rest of that look. The page cannot change
//! while the guide's code runs, and a look asks the same questions for several targets (every
//! clickable element, the page's whole text): on a page of thousands of links each was read
//! several times per look. Outside a look nothing is kept, so nothing can go stale.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::JsString;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

use crate::locator::Candidate;

/// Elements a query gathered, with what the locator needs of each (visibility read on demand).
pub(crate) struct Gathered {
    pub elements: Vec<Element>,
    /// Read with no typed fields: a field the page filled in counts as typed by its value.
    pub candidates: Vec<Candidate>,
    visible: Vec<Cell<Option<bool>>>,
}

impl Gathered {
    pub fn new(elements: Vec<Element>, candidates: Vec<Candidate>) -> Gathered {
        let visible = elements.iter().map(|_| Cell::new(None)).collect();
        Gathered { elements, candidates, visible }
    }

    /// Whether element `i` is visible, read once (it costs a layout).
    pub fn visible(&self, i: usize, read: impl FnOnce(&Element) -> bool) -> bool {
        let cell = &self.visible[i];
        cell.get().unwrap_or_else(|| {
            let visible = read(&self.elements[i]);
            cell.set(Some(visible));
            visible
        })
    }
}

#[derive(Default)]
struct Memo {
    texts: Vec<(Node, JsString)>,
    gathered: Kept<Gathered>,
    elements: Kept<[Element]>,
}

const MAX_TEXTS: usize = 64;

thread_local! {
    static MEMO: RefCell<Option<Memo>> = const { RefCell::new(None) };
}

/// Keeps what is read until it is dropped: held for one look (or one click's questions).
pub struct LookCache {
    owner: bool,
}

impl LookCache {
    /// Starts keeping reads; inside a look already, the outer one keeps them.
    pub fn begin() -> LookCache {
        let owner = MEMO.with(|m| {
            let mut memo = m.borrow_mut();
            memo.is_none().then(|| *memo = Some(Memo::default())).is_some()
        });
        LookCache { owner }
    }
}

impl Drop for LookCache {
    fn drop(&mut self) {
        if self.owner {
            MEMO.with(|m| *m.borrow_mut() = None);
        }
    }
}

type Kept<T> = Vec<(Node, String, Rc<T>)>;

/// What `key` names under `scope`: kept from earlier in this look, else read by `read`.
fn kept_or_read<T: ?Sized>(list: fn(&mut Memo) -> &mut Kept<T>, scope: &Node, key: &str, read: impl FnOnce() -> Rc<T>) -> Rc<T> {
    let kept = MEMO.with(|m| m.borrow_mut().as_mut().and_then(|memo| list(memo).iter().find(|(s, k, _)| s == scope && k == key).map(|(_, _, v)| v.clone())));
    if let Some(kept) = kept {
        return kept;
    }
    let fresh = read();
    MEMO.with(|m| {
        if let Some(memo) = m.borrow_mut().as_mut() {
            list(memo).push((scope.clone(), key.to_string(), fresh.clone()));
        }
    });
    fresh
}

/// The candidates `key` names under `scope`, read by `read` once per look.
pub(crate) fn gathered(scope: &Node, key: &str, read: impl FnOnce() -> Gathered) -> Rc<Gathered> {
    kept_or_read(|m| &mut m.gathered, scope, key, || Rc::new(read()))
}

/// What `query` gathers under `scope` (elements only), gathered by `read` once per look.
pub(crate) fn elements(scope: &Node, query: &str, read: impl FnOnce() -> Vec<Element>) -> Rc<[Element]> {
    kept_or_read(|m| &mut m.elements, scope, query, || read().into())
}

/// The text under `scope`, lower-cased by the browser, left in the browser: asking whether it
/// holds a word copies nothing into the engine.
pub(crate) fn lower_text(scope: &Node) -> JsString {
    let kept = MEMO.with(|m| m.borrow().as_ref().and_then(|memo| memo.texts.iter().find(|(s, _)| s == scope).map(|(_, t)| t.clone())));
    if let Some(kept) = kept {
        return kept;
    }
    let text = js_sys::Reflect::get(scope, &"textContent".into())
        .ok()
        .and_then(|t| t.dyn_into::<JsString>().ok())
        .map_or_else(|| JsString::from(""), |t| t.to_lower_case());
    MEMO.with(|m| {
        // The texts asked for again are the scopes' and the few elements on the way to a
        // target's words; a long list would cost more to search than to read again.
        if let Some(memo) = m.borrow_mut().as_mut().filter(|memo| memo.texts.len() < MAX_TEXTS) {
            memo.texts.push((scope.clone(), text.clone()));
        }
    });
    text
}
