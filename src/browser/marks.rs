//! The step marker on the page's own elements (`data-reauth-step`), and what the card must
//! keep clear of. Only the app writes marks; everything else reads them.

use wasm_bindgen::JsCast;
use web_sys::{Element, MutationRecord, Node};

use super::page;
use crate::contract::STEP_ATTR;
use crate::layout::Rect;
use crate::roadmap::StepId;

#[derive(Default)]
pub struct Marks {
    /// Elements carrying the step marker now.
    marked: Vec<Element>,
    /// What the card must not cover (the target's form, the step's evidence).
    keep: Vec<Element>,
    /// The step's evidence (the success message, the check marks at Save): ringed and left
    /// undimmed like a target, but not marked, since it is not what to click.
    evidence: Vec<Element>,
}

/// Where a page change happened, seen from the marks (`Marks::change`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// To a marked, kept or evidence element, or around them: the page must be looked at.
    AtMarks,
    /// Beside them, earlier in the document: they may have moved.
    BeforeMarks,
    /// Beside them, later in the document: in the page's flow they stay where they are.
    AfterMarks,
}

/// Where the marks are now, in viewport pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkRects {
    pub targets: Vec<Rect>,
    pub evidence: Vec<Rect>,
    pub keep: Vec<Rect>,
}

impl Marks {
    pub fn marked(&self) -> &[Element] {
        &self.marked
    }

    /// The page replaced a marked element: it must be found again.
    pub fn lost_one(&self) -> bool {
        self.marked.iter().any(|e| !e.is_connected())
    }

    /// Marks `elements` for `step`, unmarking what no longer is; a newly marked target is
    /// scrolled into view once (not at every look, which would fight the admin's scrolling).
    pub fn set(&mut self, elements: Vec<Element>, step: StepId, keep: Vec<Element>, evidence: Vec<Element>) {
        let fresh = elements.first().is_some_and(|e| !self.marked.contains(e));
        for old in &self.marked {
            if !elements.contains(old) {
                let _ = old.remove_attribute(STEP_ATTR);
            }
        }
        for element in &elements {
            // Rewriting an unchanged attribute would wake the page's own observers.
            if element.get_attribute(STEP_ATTR).as_deref() != Some(step.as_str()) {
                let _ = element.set_attribute(STEP_ATTR, step.as_str());
            }
        }
        if fresh {
            page::scroll_into_view(&elements[0]);
        }
        self.evidence = evidence.into_iter().filter(|e| !elements.contains(e)).collect();
        self.marked = elements;
        self.keep = keep;
    }

    /// Where a batch of the page's mutation records changed the page, as the marks see it: at
    /// them when a marked, kept or evidence element left the page, something changed inside one
    /// of them, or an attribute changed (which may hide or move them) on one of their ancestors;
    /// else before them (in document order, ancestors included: the change may have moved them)
    /// or after them. At them too when nothing is marked.
    pub fn change(&self, records: &js_sys::Array) -> Change {
        let region: Vec<&Element> = self.marked.iter().chain(&self.keep).chain(&self.evidence).collect();
        if self.marked.is_empty() || region.iter().any(|e| !e.is_connected()) {
            return Change::AtMarks;
        }
        let mut before = false;
        // A page changes one spot in many records (rows appended one by one): each spot once.
        let mut last: Option<Node> = None;
        for record in records.iter() {
            let record: MutationRecord = record.unchecked_into();
            let Some(spot) = record.target() else { return Change::AtMarks };
            if last.as_ref() == Some(&spot) {
                continue;
            }
            let inside = region.iter().any(|e| e.contains(Some(&spot)));
            let around = record.type_() == "attributes" && region.iter().any(|e| spot.contains(Some(e)));
            if inside || around {
                return Change::AtMarks;
            }
            before = before || region.iter().any(|e| spot.compare_document_position(e) & Node::DOCUMENT_POSITION_FOLLOWING != 0);
            last = Some(spot);
        }
        if before { Change::BeforeMarks } else { Change::AfterMarks }
    }

    pub fn clear(&mut self) {
        self.keep.clear();
        self.evidence.clear();
        for element in self.marked.drain(..) {
            let _ = element.remove_attribute(STEP_ATTR);
        }
    }

    pub fn rects(&self) -> MarkRects {
        let connected = |elements: &[Element]| elements.iter().filter(|e| e.is_connected()).map(page::viewport_rect).collect();
        MarkRects { targets: connected(&self.marked), evidence: connected(&self.evidence), keep: connected(&self.keep) }
    }
}
