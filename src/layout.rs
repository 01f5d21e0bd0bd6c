//! Geometry of the overlay, in viewport coordinates: the spotlight's cut-outs and where the step
//! card goes so that it never covers what it points at.

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }

    /// Grown by `by` on every side.
    pub fn padded(&self, by: f64) -> Rect {
        Rect { x: self.x - by, y: self.y - by, width: self.width + 2.0 * by, height: self.height + 2.0 * by }
    }

    /// The smallest rectangle holding all of `rects`.
    pub fn union(rects: &[Rect]) -> Option<Rect> {
        let first = rects.first()?;
        let (mut x0, mut y0, mut x1, mut y1) = (first.x, first.y, first.right(), first.bottom());
        for r in &rects[1..] {
            x0 = x0.min(r.x);
            y0 = y0.min(r.y);
            x1 = x1.max(r.right());
            y1 = y1.max(r.bottom());
        }
        Some(Rect { x: x0, y: y0, width: x1 - x0, height: y1 - y0 })
    }

    /// Overlaps the viewport at all.
    pub fn on_screen(&self, viewport: (f64, f64)) -> bool {
        self.right() > 0.0 && self.bottom() > 0.0 && self.x < viewport.0 && self.y < viewport.1
    }
}

/// Space kept between the highlighted element and the ring, and between ring and card.
pub const PAD: f64 = 6.0;
const GAP: f64 = 12.0;
const MARGIN: f64 = 8.0;

/// Whole CSS pixels: sub-pixel precision buys nothing here, and integer formatting keeps the
/// float formatter out of the binary.
pub fn px(value: f64) -> i32 {
    value.round() as i32
}

/// SVG path of a full-viewport veil with one hole per target (even-odd fill).
pub fn spotlight_path(viewport: (f64, f64), holes: &[Rect]) -> String {
    let (w, h) = (px(viewport.0), px(viewport.1));
    let mut d = format!("M0 0H{w}V{h}H0Z");
    for hole in holes {
        let r = hole.padded(PAD);
        let (x, y, width, height) = (px(r.x), px(r.y), px(r.width), px(r.height));
        d.push_str(&format!("M{x} {y}h{width}v{height}h{}Z", -width));
    }
    d
}

fn overlap_area(a: &Rect, b: &Rect) -> f64 {
    let w = a.right().min(b.right()) - a.x.max(b.x);
    let h = a.bottom().min(b.bottom()) - a.y.max(b.y);
    if w > 0.0 && h > 0.0 { w * h } else { 0.0 }
}

/// The targets and the keep-clear rectangles as the card must avoid them: on screen, padded.
fn avoid(target: Option<Rect>, keep: &[Rect], viewport: (f64, f64)) -> (Option<Rect>, Vec<Rect>) {
    let target = target.filter(|t| t.on_screen(viewport)).map(|t| t.padded(PAD));
    (target, keep.iter().filter(|r| r.on_screen(viewport)).map(|r| r.padded(PAD)).collect())
}

/// What a card at `at` covers: whether it touches the target, and how much it covers in all.
fn cost(at: Rect, target: Option<Rect>, keep: &[Rect]) -> (bool, f64) {
    let on_target = target.map_or(0.0, |t| overlap_area(&at, &t));
    let on_keep: f64 = keep.iter().map(|k| overlap_area(&at, k)).sum();
    (on_target > 0.0, on_keep + on_target)
}

/// Where the card goes: beside the targets (below, above, right, left), else at the viewport's
/// corners and edges, whichever covers neither the targets nor anything in `keep` (the form's
/// fields and actions, the outcome message, the check marks). When every place covers
/// something, the one covering least of `keep`, and never the targets if any place avoids them.
pub fn place_card(target: Option<Rect>, keep: &[Rect], card: (f64, f64), viewport: (f64, f64)) -> (f64, f64) {
    let (cw, ch) = card;
    let (vw, vh) = viewport;
    let clamp_x = |x: f64| x.min(vw - cw - MARGIN).max(MARGIN);
    let clamp_y = |y: f64| y.min(vh - ch - MARGIN).max(MARGIN);
    let (target, keep) = avoid(target, keep, viewport);
    let mut places = Vec::with_capacity(16);
    if let Some(t) = target {
        if t.bottom() + GAP + ch + MARGIN <= vh {
            places.push((clamp_x(t.x), t.bottom() + GAP));
            places.push((clamp_x(t.right() - cw), t.bottom() + GAP));
        }
        if t.y - GAP - ch >= MARGIN {
            places.push((clamp_x(t.x), t.y - GAP - ch));
            places.push((clamp_x(t.right() - cw), t.y - GAP - ch));
        }
        if t.right() + GAP + cw + MARGIN <= vw {
            places.push((t.right() + GAP, clamp_y(t.y)));
        }
        if t.x - GAP - cw >= MARGIN {
            places.push((t.x - GAP - cw, clamp_y(t.y)));
        }
    }
    let (left, top, right, bottom) = (clamp_x(MARGIN), clamp_y(MARGIN), clamp_x(vw - cw - 16.0), clamp_y(vh - ch - 16.0));
    places.extend([(right, bottom), (right, top), (left, bottom), (left, top), (right, clamp_y((vh - ch) / 2.0)), (left, clamp_y((vh - ch) / 2.0))]);
    let cost = |&(x, y): &(f64, f64)| cost(Rect { x, y, width: cw, height: ch }, target, &keep);
    let mut best = places[0];
    let mut best_cost = cost(&best);
    for place in &places[1..] {
        let c = cost(place);
        if c < best_cost {
            best = *place;
            best_cost = c;
        }
    }
    best
}

/// Where the card is drawn, and whether it is collapsed to its title (it opens on hover or
/// focus, where it then covers what the admin chose to uncover).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    pub x: f64,
    pub y: f64,
    pub collapsed: bool,
}

/// The collapsed card's box: one line of title.
pub const PILL: (f64, f64) = (260.0, 40.0);
/// The step of the search for a free area when no place beside the target is free.
const GRID: f64 = 24.0;

/// The card's place: beside the target where that covers nothing (`place_card`), else the free
/// area of the viewport nearest the target, else (`may_collapse`: not while the admin reads
/// something they opened on it) a pill where it covers least. The pill's box is
/// the top-left corner of the card's, so that opened it stays on screen.
pub fn placement(target: Option<Rect>, keep: &[Rect], card: (f64, f64), viewport: (f64, f64), may_collapse: bool) -> Placement {
    let open = |(x, y): (f64, f64)| Placement { x, y, collapsed: false };
    let (x, y) = place_card(target, keep, card, viewport);
    let (on_screen_target, avoided) = avoid(target, keep, viewport);
    let (cw, ch) = card;
    let (vw, vh) = viewport;
    if cost(Rect { x, y, width: cw, height: ch }, on_screen_target, &avoided).1 == 0.0 {
        return open((x, y));
    }
    let centre = on_screen_target.map_or((vw, vh), |t| (t.x + t.width / 2.0, t.y + t.height / 2.0));
    let mut nearest: Option<((f64, f64), f64)> = None;
    let (mut gy, max_x, max_y) = (MARGIN, vw - cw - MARGIN, vh - ch - MARGIN);
    while gy <= max_y {
        let mut gx = MARGIN;
        while gx <= max_x {
            if cost(Rect { x: gx, y: gy, width: cw, height: ch }, on_screen_target, &avoided).1 == 0.0 {
                let (dx, dy) = (gx + cw / 2.0 - centre.0, gy + ch / 2.0 - centre.1);
                let distance = dx * dx + dy * dy;
                if nearest.is_none_or(|(_, d)| distance < d) {
                    nearest = Some(((gx, gy), distance));
                }
            }
            gx += GRID;
        }
        gy += GRID;
    }
    if let Some((place, _)) = nearest {
        return open(place);
    }
    if !may_collapse {
        return open((x, y));
    }
    let (x, y) = place_card(target, keep, PILL, viewport);
    Placement { x, y, collapsed: true }
}

/// How the collapsed card is anchored: by the pill's edges nearest the viewport's edges, so
/// that opened it grows toward the middle. `(left or right, top or bottom)` distances, and the
/// room it has to grow into.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PillAnchor {
    pub left: Option<f64>,
    pub right: Option<f64>,
    pub top: Option<f64>,
    pub bottom: Option<f64>,
    pub max_width: f64,
    pub max_height: f64,
}

pub fn pill_anchor(place: Placement, viewport: (f64, f64)) -> PillAnchor {
    let (vw, vh) = viewport;
    let (w, h) = PILL;
    let from_right = place.x + w / 2.0 > vw / 2.0;
    let from_bottom = place.y + h / 2.0 > vh / 2.0;
    PillAnchor {
        left: (!from_right).then_some(place.x),
        right: from_right.then(|| vw - place.x - w),
        top: (!from_bottom).then_some(place.y),
        bottom: from_bottom.then(|| vh - place.y - h),
        max_width: if from_right { place.x + w } else { vw - place.x } - MARGIN,
        max_height: if from_bottom { place.y + h } else { vh - place.y } - MARGIN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIEW: (f64, f64) = (1280.0, 800.0);
    const CARD: (f64, f64) = (340.0, 200.0);

    fn overlaps(a: Rect, b: Rect) -> bool {
        a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom()
    }

    #[test]
    fn the_card_never_covers_the_target() {
        let targets = [
            Rect { x: 100.0, y: 100.0, width: 120.0, height: 30.0 },
            Rect { x: 1200.0, y: 760.0, width: 70.0, height: 30.0 },
            Rect { x: 10.0, y: 300.0, width: 200.0, height: 300.0 },
            Rect { x: 600.0, y: 5.0, width: 600.0, height: 700.0 },
        ];
        for t in targets {
            let (x, y) = place_card(Some(t), &[], CARD, VIEW);
            let card = Rect { x, y, width: CARD.0, height: CARD.1 };
            assert!(!overlaps(card, t.padded(PAD)), "{t:?} -> {card:?}");
            assert!(x >= 0.0 && y >= 0.0 && card.right() <= VIEW.0 && card.bottom() <= VIEW.1, "{card:?}");
        }
    }

    #[test]
    fn without_a_visible_target_the_card_sits_in_the_corner() {
        let corner = place_card(None, &[], CARD, VIEW);
        assert_eq!(corner, (1280.0 - 340.0 - 16.0, 800.0 - 200.0 - 16.0));
        let off_screen = Rect { x: 100.0, y: 2000.0, width: 10.0, height: 10.0 };
        assert_eq!(place_card(Some(off_screen), &[], CARD, VIEW), corner);
    }

    #[test]
    fn the_spotlight_has_one_hole_per_target() {
        let d = spotlight_path(VIEW, &[Rect { x: 10.0, y: 20.0, width: 30.0, height: 40.0 }]);
        assert!(d.starts_with("M0 0H1280V800H0Z"));
        assert!(d.contains("M4 14h42v52h-42Z"), "{d}");
        assert_eq!(spotlight_path(VIEW, &[]).matches('M').count(), 1);
    }

    #[test]
    fn union_covers_all() {
        let u = Rect::union(&[Rect { x: 0.0, y: 0.0, width: 10.0, height: 10.0 }, Rect { x: 20.0, y: 5.0, width: 5.0, height: 20.0 }]).unwrap();
        assert_eq!(u, Rect { x: 0.0, y: 0.0, width: 25.0, height: 25.0 });
        assert_eq!(Rect::union(&[]), None);
    }

    /// Rectangles measured on the replica pages: Microsoft's sign-in box (password field, Sign in,
    /// "Forgot my password") and Okta's Integration form (credentials fields, Test, Save, message).
    fn pages(scale: f64) -> Vec<(&'static str, Rect, Vec<Rect>)> {
        let r = |x: f64, y: f64, w: f64, h: f64| Rect { x: x * scale, y: y * scale, width: w * scale, height: h * scale };
        vec![
            ("microsoft password", r(420.0, 250.0, 440.0, 36.0), vec![r(420.0, 300.0, 200.0, 20.0), r(760.0, 360.0, 108.0, 32.0), r(420.0, 200.0, 440.0, 30.0)]),
            ("okta reauthenticate", r(260.0, 300.0, 330.0, 32.0), vec![r(260.0, 350.0, 500.0, 34.0), r(260.0, 400.0, 500.0, 34.0), r(260.0, 470.0, 160.0, 32.0), r(900.0, 560.0, 80.0, 34.0)]),
            ("okta save", r(900.0, 560.0, 80.0, 34.0), vec![r(260.0, 200.0, 600.0, 40.0), r(600.0, 300.0, 16.0, 16.0), r(600.0, 470.0, 16.0, 16.0), r(260.0, 470.0, 160.0, 32.0)]),
            // Dialect A's "Stay signed in?" (tests/e2e/card.test.mjs): Yes; the heading, the
            // "Don't show this again" checkbox, No.
            ("microsoft stay signed in", r(708.0, 467.0, 108.0, 32.0), vec![r(464.0, 323.0, 352.0, 28.0), r(464.0, 420.0, 170.0, 19.0), r(596.0, 467.0, 108.0, 32.0)]),
            // Dialect A's consent page: Accept; the title, the permission list, the checkbox, Cancel.
            ("microsoft consent", r(708.0, 687.0, 108.0, 32.0), vec![r(464.0, 120.0, 352.0, 28.0), r(464.0, 287.0, 352.0, 217.0), r(464.0, 520.0, 286.0, 19.0), r(596.0, 687.0, 108.0, 32.0)]),
        ]
    }

    #[test]
    fn the_card_covers_neither_the_target_nor_what_must_stay_visible_at_any_common_viewport() {
        for (vw, vh) in [(1024.0_f64, 640.0_f64), (1280.0, 800.0), (1366.0, 768.0), (1440.0, 900.0), (1920.0, 1080.0)] {
            for zoom in [1.0, 2.0] {
                // At 200 % the page's pixels double; the card is counter-zoomed, its size stays.
                let scale = zoom * (vw / 1280.0).min(1.0);
                for (name, target, keep) in pages(scale) {
                    if !target.on_screen((vw, vh)) {
                        continue;
                    }
                    let (x, y) = place_card(Some(target), &keep, CARD, (vw, vh));
                    let card = Rect { x, y, width: CARD.0, height: CARD.1 };
                    assert!(!overlaps(card, target.padded(PAD)), "{name} at {vw}x{vh} {zoom}x: card on the target");
                    let free = (x, y) != (0.0, 0.0);
                    assert!(free && card.right() <= vw && card.bottom() <= vh, "{name} at {vw}x{vh}: off screen");
                    if zoom == 1.0 {
                        for k in keep.iter().filter(|k| k.on_screen((vw, vh))) {
                            assert!(!overlaps(card, k.padded(PAD)), "{name} at {vw}x{vh}: card covers {k:?}");
                        }
                    }
                }
            }
        }
    }

    /// Measured in the e2e walk at 1280×800 with the real card (340×310): sitting above Yes, the
    /// card covered the question "Stay signed in?" until the form's headings joined `keep`.
    #[test]
    fn the_card_leaves_microsofts_question_visible() {
        let yes = Rect { x: 708.0, y: 467.0, width: 108.0, height: 32.0 };
        let heading = Rect { x: 464.0, y: 323.0, width: 352.0, height: 28.0 };
        let keep = [heading, Rect { x: 464.0, y: 420.0, width: 170.0, height: 19.0 }, Rect { x: 596.0, y: 467.0, width: 108.0, height: 32.0 }];
        let size = (340.0, 310.0);
        let (x, y) = place_card(Some(yes), &keep, size, VIEW);
        let card = Rect { x, y, width: size.0, height: size.1 };
        for k in keep.iter().chain([&yes]) {
            assert!(!overlaps(card, k.padded(PAD)), "{card:?} covers {k:?}");
        }
        assert!(card.right() <= VIEW.0 && card.bottom() <= VIEW.1, "{card:?}");
    }

    /// Measured in the Dutch e2e walk at 1024×640 (Microsoft's account screen): a 340 px card
    /// fits on no side of the email field (330 px free left and right) and covered its start; at
    /// the width the overlay's style gives it there (half of what the 440 px box leaves: 292 px)
    /// it fits beside the box.
    #[test]
    fn in_a_small_viewport_the_narrower_card_fits_beside_microsofts_box() {
        let view = (1024.0, 640.0);
        let email = Rect { x: 336.0, y: 252.0, width: 352.0, height: 36.0 };
        let keep = [Rect { x: 336.0, y: 208.0, width: 352.0, height: 28.0 }, Rect { x: 580.0, y: 374.0, width: 108.0, height: 32.0 }];
        let size = (view.0 / 2.0 - 220.0, 349.0);
        let (x, y) = place_card(Some(email), &keep, size, view);
        let card = Rect { x, y, width: size.0, height: size.1 };
        for k in keep.iter().chain([&email]) {
            assert!(!overlaps(card, k.padded(PAD)), "{card:?} covers {k:?}");
        }
        assert!(card.x >= 0.0 && card.right() <= view.0 && card.bottom() <= view.1, "{card:?}");
    }

    #[test]
    fn when_nothing_fits_the_card_covers_least() {
        // A small pop-up window: everything is the form.
        let view = (500.0, 600.0);
        let target = Rect { x: 30.0, y: 200.0, width: 440.0, height: 36.0 };
        let keep = [Rect { x: 30.0, y: 250.0, width: 440.0, height: 30.0 }, Rect { x: 360.0, y: 330.0, width: 108.0, height: 32.0 }];
        let (x, y) = place_card(Some(target), &keep, CARD, view);
        let card = Rect { x, y, width: CARD.0, height: CARD.1 };
        assert!(!overlaps(card, target.padded(PAD)));
        assert!(!overlaps(card, keep[1].padded(PAD)), "the primary action stays clickable: {card:?}");
    }

    #[test]
    fn where_nothing_beside_the_target_is_free_the_card_takes_the_nearest_free_area() {
        // A form over the left two thirds, boxes in the right-hand corners and at the right edge's
        // middle: every place place_card tries covers something; a free area remains between.
        let target = Rect { x: 100.0, y: 380.0, width: 200.0, height: 30.0 };
        let keep = [
            Rect { x: 0.0, y: 0.0, width: 860.0, height: 800.0 },
            Rect { x: 930.0, y: 0.0, width: 350.0, height: 220.0 },
            Rect { x: 930.0, y: 580.0, width: 350.0, height: 220.0 },
            Rect { x: 1250.0, y: 390.0, width: 20.0, height: 20.0 },
        ];
        let (x, y) = place_card(Some(target), &keep, CARD, VIEW);
        let first = Rect { x, y, width: CARD.0, height: CARD.1 };
        assert!(keep.iter().any(|k| overlaps(first, k.padded(PAD))), "the fixed places are all taken: {first:?}");
        let p = placement(Some(target), &keep, CARD, VIEW, true);
        assert!(!p.collapsed);
        let card = Rect { x: p.x, y: p.y, width: CARD.0, height: CARD.1 };
        assert!(keep.iter().all(|k| !overlaps(card, k.padded(PAD))) && !overlaps(card, target.padded(PAD)), "{card:?}");
        assert!(card.right() <= VIEW.0);
    }

    #[test]
    fn where_nothing_is_free_the_card_collapses_to_a_pill_that_opens_on_screen() {
        let target = Rect { x: 600.0, y: 380.0, width: 80.0, height: 30.0 };
        // Keep-clear boxes everywhere but a strip too thin for the card.
        let keep = [Rect { x: 0.0, y: 0.0, width: 1280.0, height: 340.0 }, Rect { x: 0.0, y: 450.0, width: 1280.0, height: 350.0 }];
        let p = placement(Some(target), &keep, CARD, VIEW, true);
        assert!(p.collapsed, "{p:?}");
        let pill = Rect { x: p.x, y: p.y, width: PILL.0, height: PILL.1 };
        assert!(!overlaps(pill, target.padded(PAD)), "the pill leaves the target free: {pill:?}");
        // Opened, it grows from the pill toward the middle, within the viewport.
        let a = pill_anchor(p, VIEW);
        let left = a.left.unwrap_or_else(|| VIEW.0 - a.right.unwrap() - a.max_width.min(CARD.0));
        let top = a.top.unwrap_or_else(|| VIEW.1 - a.bottom.unwrap() - a.max_height.min(CARD.1));
        assert!(left >= 0.0 && top >= 0.0 && a.max_width >= PILL.0 && a.max_height >= PILL.1, "{a:?}");
        // And where the card fits beside the target, it stays open there.
        assert!(!placement(Some(target), &keep, CARD, VIEW, false).collapsed, "the diagnostics box open: never collapsed");
        assert_eq!(placement(Some(target), &[], CARD, VIEW, true), Placement { x: place_card(Some(target), &[], CARD, VIEW).0, y: place_card(Some(target), &[], CARD, VIEW).1, collapsed: false });
    }
}
