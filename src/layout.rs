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

/// Top-left corner for a card of `card` size: below the target if it fits, else above, else
/// beside it, else the bottom-right corner; always inside the viewport.
pub fn place_card(target: Option<Rect>, card: (f64, f64), viewport: (f64, f64)) -> (f64, f64) {
    let (cw, ch) = card;
    let (vw, vh) = viewport;
    let clamp_x = |x: f64| x.min(vw - cw - MARGIN).max(MARGIN);
    let clamp_y = |y: f64| y.min(vh - ch - MARGIN).max(MARGIN);
    let corner = (clamp_x(vw - cw - 16.0), clamp_y(vh - ch - 16.0));
    let Some(t) = target.filter(|t| t.on_screen(viewport)) else { return corner };
    let t = t.padded(PAD);
    if t.bottom() + GAP + ch + MARGIN <= vh {
        return (clamp_x(t.x), t.bottom() + GAP);
    }
    if t.y - GAP - ch >= MARGIN {
        return (clamp_x(t.x), t.y - GAP - ch);
    }
    if t.right() + GAP + cw + MARGIN <= vw {
        return (t.right() + GAP, clamp_y(t.y));
    }
    if t.x - GAP - cw >= MARGIN {
        return (t.x - GAP - cw, clamp_y(t.y));
    }
    corner
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
            let (x, y) = place_card(Some(t), CARD, VIEW);
            let card = Rect { x, y, width: CARD.0, height: CARD.1 };
            assert!(!overlaps(card, t.padded(PAD)), "{t:?} -> {card:?}");
            assert!(x >= 0.0 && y >= 0.0 && card.right() <= VIEW.0 && card.bottom() <= VIEW.1, "{card:?}");
        }
    }

    #[test]
    fn without_a_visible_target_the_card_sits_in_the_corner() {
        let corner = place_card(None, CARD, VIEW);
        assert_eq!(corner, (1280.0 - 340.0 - 16.0, 800.0 - 200.0 - 16.0));
        let off_screen = Rect { x: 100.0, y: 2000.0, width: 10.0, height: 10.0 };
        assert_eq!(place_card(Some(off_screen), CARD, VIEW), corner);
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
}
