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

/// Where the card goes: beside the targets (below, above, right, left), else at the viewport's
/// corners and edges, whichever covers neither the targets nor anything in `keep` (the form's
/// fields and actions, the outcome message, the check marks). When every place covers
/// something, the one covering least of `keep`, and never the targets if any place avoids them.
pub fn place_card(target: Option<Rect>, keep: &[Rect], card: (f64, f64), viewport: (f64, f64)) -> (f64, f64) {
    let (cw, ch) = card;
    let (vw, vh) = viewport;
    let clamp_x = |x: f64| x.min(vw - cw - MARGIN).max(MARGIN);
    let clamp_y = |y: f64| y.min(vh - ch - MARGIN).max(MARGIN);
    let target = target.filter(|t| t.on_screen(viewport)).map(|t| t.padded(PAD));
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
    let keep: Vec<Rect> = keep.iter().filter(|r| r.on_screen(viewport)).map(|r| r.padded(PAD)).collect();
    let cost = |&(x, y): &(f64, f64)| {
        let at = Rect { x, y, width: cw, height: ch };
        let on_target = target.map_or(0.0, |t| overlap_area(&at, &t));
        let on_keep: f64 = keep.iter().map(|k| overlap_area(&at, k)).sum();
        (on_target > 0.0, on_keep + on_target)
    };
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
}
