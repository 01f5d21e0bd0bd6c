//! Field diagnostics at the edge: reads what the pure report (`crate::diagnostics`) needs off the
//! page and the browser, and writes the copied text. What may be copied is decided there; here
//! only plain data is read (never a field's value).

use super::ext;
use crate::diagnostics::{self as report, Environment};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Where the report comes from: version, engine, browser, languages.
pub fn environment(engine: &str) -> Environment {
    let window = web_sys::window();
    let navigator = window.as_ref().map(web_sys::Window::navigator);
    let page_language = window
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"))
        .unwrap_or_default();
    Environment {
        extension_version: ext::extension_version(),
        engine: engine.to_string(),
        browser: navigator.as_ref().and_then(|n| n.user_agent().ok()).map(|ua| report::browser_name(&ua)).unwrap_or_default(),
        ui_language: navigator.as_ref().and_then(web_sys::Navigator::language).unwrap_or_default(),
        messages_language: ext::message("popup_lang", &[]),
        page_language: report::clean_text(&page_language),
    }
}

/// The copied text: the header, then the report's JSON.
pub fn text<T: Serialize>(header: &str, value: &T) -> Result<String, JsValue> {
    let json = report::json(value).map_err(|e| JsValue::from(e.to_string()))?;
    Ok(report::document(header, &json))
}

/// Starts writing `text` to the clipboard: call it inside the admin's click, which allows it.
pub fn copy(text: &str) -> Result<js_sys::Promise, JsValue> {
    Ok(web_sys::window().ok_or("no window")?.navigator().clipboard().write_text(text))
}

#[cfg(feature = "guide")]
pub use page::*;

#[cfg(feature = "guide")]
mod page {
    use super::super::page;
    use crate::diagnostics::{self as report, CandidateExtra, FactsReport, Location, Outline, RawNode, TargetReport};
    use crate::locator::{Candidate, Target};
    use crate::roadmap::{self, probes, StepId};
    use wasm_bindgen::JsCast;
    use web_sys::Element;

    /// Elements read into the region outline at most: the pure outline keeps ~30 KB of them.
    const MAX_RAW_NODES: usize = 2_500;

    /// The screen probes, by site, with the names the report gives them.
    fn probes_for(microsoft: bool) -> &'static [(&'static str, Target)] {
        const OKTA: &[(&str, Target)] = &[
            ("probe:test-api", roadmap::TEST_API),
            ("probe:reauthenticate", roadmap::REAUTHENTICATE),
            ("probe:save", roadmap::SAVE),
            ("probe:provisioning-tab", roadmap::PROVISIONING_TAB),
            ("probe:integration-setting", roadmap::INTEGRATION_SETTING),
            ("probe:edit", roadmap::EDIT),
            ("probe:provisioning-settings", probes::PROVISIONING_SETTINGS),
            ("probe:configure-api", probes::CONFIGURE_API),
        ];
        const MICROSOFT: &[(&str, Target)] = &[
            ("probe:ms-account", roadmap::MS_ACCOUNT),
            ("probe:ms-password", roadmap::MS_PASSWORD),
            ("probe:ms-code", roadmap::MS_CODE),
            ("probe:ms-permissions", probes::MS_PERMISSIONS),
            ("probe:ms-need-admin", probes::MS_NEED_ADMIN),
        ];
        if microsoft { MICROSOFT } else { OKTA }
    }

    /// What the locator reads of an element (its name: cheap enough for every element).
    type Read = (Element, Candidate, Option<CandidateExtra>);

    /// What the report adds, read only for the candidates it lists (each costs a layout read):
    /// visibility, whether it is clickable, where it is.
    fn read_more(read: &mut Read) {
        let (e, c, extra) = read;
        if extra.is_some() {
            return;
        }
        c.visible = page::is_visible(e) && !page::hidden_from_people(e);
        let r = page::viewport_rect(e);
        let disabled = e.has_attribute("disabled") || e.get_attribute("aria-disabled").as_deref() == Some("true");
        *extra = Some(CandidateExtra {
            input_type: e.get_attribute("type").unwrap_or_default().to_ascii_lowercase(),
            clickable: c.visible && !disabled && e.matches(roadmap::CLICKABLE).unwrap_or(false),
            rect: (r.x, r.y, r.width, r.height),
        });
    }

    /// Elements read once per query: most targets and probes share the query of everything
    /// clickable.
    #[derive(Default)]
    struct Reads(Vec<(String, Vec<Read>)>);

    impl Reads {
        fn query(&mut self, query: &str, typed: &[Element]) -> usize {
            if let Some(at) = self.0.iter().position(|(q, _)| q == query) {
                return at;
            }
            let read_all = page::root_element()
                .map(|root| page::gather(&root, query).into_iter().map(|e| { let c = page::candidate_unseen(&e, typed); (e, c, None) }).collect())
                .unwrap_or_default();
            self.0.push((query.to_string(), read_all));
            self.0.len() - 1
        }

        /// The target's best candidates by what its signals give them (at most ten, fully read),
        /// and how many candidates any signal matched.
        fn candidates(&mut self, target: &Target, typed: &[Element]) -> (Vec<(Element, Candidate, CandidateExtra)>, usize) {
            let mut spots = vec![(self.query(target.query, typed), usize::MAX)];
            if !target.ids.is_empty() {
                let by_id: Vec<String> = target.ids.iter().map(|id| format!("[id=\"{id}\"]")).collect();
                spots[0].1 = self.query(&by_id.join(","), typed);
            }
            // (signals' sum, order found, query, index) of every element a signal matched, ids'
            // hits not already gathered.
            let mut matched: Vec<(u32, usize, usize, usize)> = Vec::new();
            let (main, ids) = spots[0];
            for (i, (_, c, _)) in self.0[main].1.iter().enumerate() {
                let parts = crate::locator::score_parts(target, c).sum();
                if parts > 0 {
                    matched.push((parts, matched.len(), main, i));
                }
            }
            if ids != usize::MAX {
                for (i, (e, c, _)) in self.0[ids].1.iter().enumerate() {
                    let parts = crate::locator::score_parts(target, c).sum();
                    if parts > 0 && !self.0[main].1.iter().any(|(m, _, _)| m == e) {
                        matched.push((parts, matched.len(), ids, i));
                    }
                }
            }
            // Ties keep the order found, as a stable sort would; the stable sort's 64-bit
            // arithmetic costs the JS engine (which emulates it) a millisecond per copy.
            matched.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let total = matched.len();
            let listed = matched
                .into_iter()
                .take(report::TOP_CANDIDATES)
                .map(|(_, _, q, i)| {
                    let read = &mut self.0[q].1[i];
                    read_more(read);
                    (read.0.clone(), read.1.clone(), read.2.clone().unwrap_or_default())
                })
                .collect();
            (listed, total)
        }
    }

    /// Reads one element and its children (to `depth`, at most `left` elements): tags, ids,
    /// classes, roles, hooks, own text where the outline may keep it (`in_text_kind`: inside a
    /// button, link, heading or label). Never a value.
    fn raw_node(element: &Element, depth: usize, in_text_kind: bool, left: &mut usize) -> RawNode {
        *left = left.saturating_sub(1);
        let attr = |name: &str| element.get_attribute(name).unwrap_or_default();
        let tag = element.tag_name().to_ascii_lowercase();
        let role = attr("role");
        // Text the outline would drop is not read at all (and the walk over text nodes is spared).
        let in_text_kind = in_text_kind || report::keeps_text(&tag, &role);
        let mut own = String::new();
        let nodes = if in_text_kind { Some(element.child_nodes()) } else { None };
        for i in 0..nodes.as_ref().map_or(0, web_sys::NodeList::length) {
            if let Some(node) = nodes.as_ref().and_then(|n| n.item(i)).filter(|n| n.node_type() == web_sys::Node::TEXT_NODE) {
                own.push_str(&node.text_content().unwrap_or_default());
                own.push(' ');
            }
            if own.len() > 400 {
                break;
            }
        }
        let mut node = RawNode {
            id: element.id(),
            class: attr("class"),
            role,
            data_se: format!("{} {}", attr("data-se"), attr("data-testid")).trim().to_string(),
            input_type: attr("type"),
            name_attr: attr("name"),
            href: attr("href"),
            aria_label: attr("aria-label"),
            placeholder: attr("placeholder"),
            // A button input's label lives in its value; no other input's value is read.
            button_label: if report::is_button_input(&tag, &attr("type")) {
                element.unchecked_ref::<web_sys::HtmlInputElement>().value()
            } else {
                String::new()
            },
            // Only what the page itself wrote between its tags; scripts and styles are not text.
            text: if matches!(tag.as_str(), "script" | "style" | "template" | "noscript" | "textarea" | "select") { String::new() } else { own },
            visible: page::is_visible(element),
            marked: element.has_attribute(crate::contract::STEP_ATTR),
            children: Vec::new(),
            tag,
        };
        // An icon's paths and the page's scripts say nothing of its structure.
        let leaf = matches!(node.tag.as_str(), "svg" | "script" | "style" | "template" | "noscript" | "select" | "iframe");
        if depth > 0 && !leaf {
            let children = element.children();
            for i in 0..children.length() {
                if *left == 0 {
                    break;
                }
                if let Some(child) = children.item(i).filter(|c| c.id() != crate::contract::ROOT_ID) {
                    node.children.push(raw_node(&child, depth - 1, in_text_kind, left));
                }
            }
        }
        node
    }

    /// The form or panel around `element`, else the page's main area, else its body.
    fn region_of(element: Option<&Element>) -> Option<Element> {
        const PANELS: &str = "form, [role=form], .o-form, [role=dialog], dialog, [role=main], main";
        let document = page::document();
        element
            .and_then(|e| e.closest(PANELS).ok().flatten())
            .or_else(|| document.query_selector("main, [role=main]").ok().flatten())
            .or_else(|| document.body().map(Into::into))
    }

    fn region_name(element: &Element) -> String {
        let mut name = element.tag_name().to_ascii_lowercase();
        if !element.id().is_empty() {
            name = format!("{name}#{}", element.id());
        }
        name
    }

    /// What the guide holds that the report needs.
    pub struct Snapshot<'a> {
        pub engine: &'a str,
        pub org: Option<&'a str>,
        pub step: Option<StepId>,
        pub state: &'a str,
        pub screen: &'static str,
        /// What the last look gave the recognizer.
        pub facts: &'a page::Facts,
        pub transitions: Vec<report::Transition>,
        pub typed: &'a [Element],
    }

    /// Reads the page into the report and returns the text to copy.
    /// The step's targets and the screen probes, each with its top candidates and scores; and
    /// the best-scoring element (it names the outline's region when nothing is marked).
    fn target_reports(s: &Snapshot, microsoft: bool) -> (Vec<TargetReport>, Option<(u32, Element)>) {
        let step_targets: &[Target] = s.step.map(StepId::targets).unwrap_or(&[]);
        let mut targets: Vec<TargetReport> = Vec::new();
        let mut best: Option<(u32, Element)> = None;
        let mut reads = Reads::default();
        for target in step_targets {
            let (found, matched) = reads.candidates(target, s.typed);
            for (e, c, _) in &found {
                let score = crate::locator::score(target, c);
                if score >= crate::locator::MIN_SCORE && best.as_ref().is_none_or(|(b, _)| score > *b) {
                    best = Some((score, e.clone()));
                }
            }
            let plain: Vec<(Candidate, CandidateExtra)> = found.into_iter().map(|(_, c, x)| (c, x)).collect();
            targets.push(report::target_report(target.label, "target", target, &plain, matched));
        }
        for (name, probe) in probes_for(microsoft) {
            if step_targets.contains(probe) {
                continue;
            }
            let (found, matched) = reads.candidates(probe, s.typed);
            let plain: Vec<(Candidate, CandidateExtra)> = found.into_iter().map(|(_, c, x)| (c, x)).collect();
            targets.push(report::target_report(name, "probe", probe, &plain, matched));
        }
        (targets, best)
    }

    /// The query's name–value pairs (the report keeps the names, and only the OAuth errors' values).
    fn query_pairs(search: &str) -> Vec<(String, String)> {
        web_sys::UrlSearchParams::new_with_str(search)
            .ok()
            .map(|params| {
                js_sys::try_iter(&params)
                    .ok()
                    .flatten()
                    .into_iter()
                    .flatten()
                    .filter_map(|pair| {
                        let pair: js_sys::Array = pair.ok()?.dyn_into().ok()?;
                        Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn page_text(s: &Snapshot) -> Result<String, wasm_bindgen::JsValue> {
        let document = page::document();
        let location = document.location().ok_or("no location")?;
        let host = location.hostname().unwrap_or_default();
        let microsoft = host == page::MICROSOFT_HOST;
        let pairs = query_pairs(&location.search().unwrap_or_default());
        let location = Location::new(&host, &location.pathname().unwrap_or_default(), &location.hash().unwrap_or_default(), &pairs);

        let (targets, best) = target_reports(s, microsoft);
        // The marked element, else the best candidate, names the region.
        let marked = document.query_selector(&format!("[{}]", crate::contract::STEP_ATTR)).ok().flatten();
        let outline: Option<Outline> = region_of(marked.as_ref().or(best.as_ref().map(|(_, e)| e))).map(|region| {
            let mut left = MAX_RAW_NODES;
            let raw = raw_node(&region, report::OUTLINE_DEPTH, false, &mut left);
            report::outline(&region_name(&region), &raw, report::OUTLINE_DEPTH, report::OUTLINE_BYTES)
        });

        let facts = match s.facts {
            page::Facts::Okta(f) => report::okta_facts(f),
            page::Facts::Microsoft(f) => report::microsoft_facts(f),
            // Not looked at yet (paused, another tab guides): Microsoft's page id is still read.
            page::Facts::None if microsoft => {
                let (pgid, error_code) = page::ms_config(&document);
                report::microsoft_facts(&crate::recognize::MicrosoftFacts { pgid, error_code, ..Default::default() })
            }
            page::Facts::None => FactsReport::NONE,
        };
        let environment = super::environment(s.engine);
        let header = report::header(&environment, s.org, s.step, s.state, Some(&location));
        let value = report::PageReport {
            format: report::FORMAT,
            kind: "page",
            environment,
            org: s.org.map(report::clean_text),
            step: s.step,
            state: s.state.to_string(),
            screen: s.screen,
            location,
            facts,
            targets,
            outline,
            transitions: s.transitions.clone(),
        };
        super::text(&header, &value)
    }
}
