//! When the guide reads the page ("a look") and when it only redraws. Pure: the edge asks it with
//! the time, and owns the frame and timer it asks for.
//!
//! A look happens at once when the last one is old enough, else in a later frame; until the first
//! highlight every batch of mutations is looked at (the admin is waiting for it, and a single-page
//! app paints its route after its load event); never before the loading page's stylesheets have
//! arrived.

/// At most one look at the page per this many milliseconds, once the first highlight is up.
pub const MIN_LOOK_INTERVAL_MS: f64 = 120.0;
/// Until the first highlight (for at most this long after the start), looks are not throttled:
/// a route painted in two tasks 30 ms apart would otherwise wait out the interval.
pub const EAGER_MS: f64 = 3_000.0;
/// A page that keeps changing without changing what the guide shows (a table re-rendered every
/// frame, a ticking clock) is looked at less and less often: each such look doubles the wait
/// for the next change's look, up to this. The admin's own action, or a look that changed
/// something, brings it back to `MIN_LOOK_INTERVAL_MS`.
pub const MAX_QUIET_INTERVAL_MS: f64 = 1_000.0;
/// For this long after the admin's action a changing page is looked at without backing off: a
/// single-page app paints the next screen up to 1.5 s after the click.
pub const ACTION_GRACE_MS: f64 = 3_000.0;
/// A page that changes only beside what the guide marks (a table re-rendered every frame, a
/// clock) is still looked at this often: such a change cannot move or hide the marked elements,
/// but a dialog over them, say, is seen within this time.
pub const BESIDE_LOOK_MS: f64 = 10_000.0;
/// A frame asked for but not given within this time (a pop-up behind its opener, an occluded
/// window: the browser pauses their animation frames) is run from a timer instead, so that the
/// guide still follows such a page.
pub const FRAME_FALLBACK_MS: u32 = 100;

#[derive(Debug, Clone, PartialEq)]
pub struct Pacing {
    look_wanted: bool,
    draw_wanted: bool,
    last_look: f64,
    /// Until when looks are not throttled (no highlight yet).
    eager_until: f64,
    /// When the pending wake-up timer fires (infinity: none pending).
    wake_due: f64,
    /// Looks in a row that changed nothing the guide shows.
    quiet_looks: u32,
    /// Until when page changes are looked at without backing off (after the admin's action).
    grace_until: f64,
}

impl Pacing {
    /// Looks are not throttled until the first highlight (for at most `EAGER_MS`): however far
    /// the page has loaded, the admin waits for it.
    pub fn new(now: f64) -> Pacing {
        Pacing {
            look_wanted: false,
            draw_wanted: false,
            last_look: f64::NEG_INFINITY,
            eager_until: now + EAGER_MS,
            wake_due: f64::INFINITY,
            quiet_looks: 0,
            grace_until: f64::NEG_INFINITY,
        }
    }

    /// The first highlight is up: from now on looks are throttled.
    pub fn highlighted(&mut self) {
        self.eager_until = f64::NEG_INFINITY;
    }

    pub fn want_look(&mut self) {
        self.look_wanted = true;
    }

    /// Scrolling and resizing move the targets: a redraw in the next frame.
    pub fn want_draw(&mut self) {
        self.draw_wanted = true;
    }

    pub fn look_wanted(&self) -> bool {
        self.look_wanted
    }

    /// Whether a wanted look may happen now (`stylesheet_pending`: a sheet of the loading page
    /// is still on its way; its load or error event asks again).
    pub fn may_look(&self, now: f64, stylesheet_pending: bool) -> bool {
        let throttled = now - self.last_look < MIN_LOOK_INTERVAL_MS && now >= self.eager_until;
        self.look_wanted && !throttled && !stylesheet_pending
    }

    pub fn looked(&mut self, now: f64) {
        self.look_wanted = false;
        self.last_look = now;
    }

    /// After a frame that could not look: when a wanted look becomes allowed (too soon after the
    /// last one). `None` when nothing is wanted or something else holds it back.
    pub fn retry_at(&self, now: f64) -> Option<f64> {
        let since = now - self.last_look;
        (self.look_wanted && since < MIN_LOOK_INTERVAL_MS).then_some(now + MIN_LOOK_INTERVAL_MS - since)
    }

    /// A frame that did not look draws only if scrolling or resizing asked for it (a page that
    /// re-renders every frame is not made to lay out twice per frame).
    pub fn take_draw(&mut self) -> bool {
        std::mem::take(&mut self.draw_wanted)
    }

    /// The page changed. Until the first highlight the look happens now (`None`), in the
    /// page's own task: the admin waits for it, and it lands in the frame that paints the
    /// target. After that, from a timer (`Some(at)`, when the interval allows): a mutation
    /// observer runs right after the page's change, and a look there would force the layout the
    /// browser is about to do for its frame anyway; a timer runs once that frame is drawn.
    pub fn changed(&mut self, now: f64) -> Option<f64> {
        self.look_wanted = true;
        (now >= self.eager_until).then(|| now.max(self.last_look + self.change_interval(now)))
    }

    /// Whether a page change that touched none of the marked elements, what the card keeps clear
    /// and the step's evidence may pass without a look: once the highlight is up, outside the
    /// grace after the admin's action, while no answer of the page is `awaiting` (that may show
    /// anywhere), and until `BESIDE_LOOK_MS` after the last look. On a page that re-renders a
    /// large table every frame, even looks spaced out to a second cost it a tenth of its script
    /// time: each one reads the whole document.
    pub fn may_pass_by(&self, now: f64, awaiting: bool) -> bool {
        now >= self.eager_until && now >= self.grace_until && !awaiting && now - self.last_look < BESIDE_LOOK_MS
    }

    /// How long after the last look a page change is looked at.
    fn change_interval(&self, now: f64) -> f64 {
        if now < self.grace_until || self.quiet_looks == 0 {
            return MIN_LOOK_INTERVAL_MS;
        }
        (MIN_LOOK_INTERVAL_MS * 2f64.powi(self.quiet_looks.min(16) as i32)).min(MAX_QUIET_INTERVAL_MS)
    }

    /// What the last look showed: `news` when it changed the marks, the step or the card.
    pub fn saw(&mut self, news: bool) {
        self.quiet_looks = if news { 0 } else { self.quiet_looks.saturating_add(1) };
    }

    /// The admin clicked, typed or pressed a key: the page's answer is looked at promptly.
    pub fn acted(&mut self, now: f64) {
        self.quiet_looks = 0;
        self.grace_until = now + ACTION_GRACE_MS;
    }

    /// Asks to look again at `at`: `Some(at)` when a timer must be set for it, `None` when one
    /// already fires by then.
    pub fn wake(&mut self, at: f64) -> Option<f64> {
        if self.wake_due <= at {
            return None;
        }
        self.wake_due = at;
        Some(at)
    }

    /// The wake-up timer fired.
    pub fn woke(&mut self) {
        self.wake_due = f64::INFINITY;
        self.look_wanted = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_are_throttled_once_the_first_highlight_is_up() {
        let mut p = Pacing::new(0.0);
        p.highlighted();
        assert!(!p.may_look(0.0, false), "nothing wanted yet");
        p.want_look();
        assert!(p.may_look(0.0, false));
        p.looked(0.0);
        p.want_look();
        assert!(!p.may_look(MIN_LOOK_INTERVAL_MS - 1.0, false));
        assert_eq!(p.retry_at(20.0), Some(MIN_LOOK_INTERVAL_MS));
        assert!(p.may_look(MIN_LOOK_INTERVAL_MS, false));
    }

    #[test]
    fn until_the_first_highlight_every_change_is_looked_at() {
        let mut p = Pacing::new(0.0);
        p.want_look();
        p.looked(10.0);
        p.want_look();
        assert!(p.may_look(11.0, false));
        assert!(!p.may_look(11.0, true), "but not before its stylesheets arrived");
        assert!(p.may_look(EAGER_MS + 11.0, false), "the eager period ends by itself");
        p.looked(EAGER_MS + 11.0);
        p.want_look();
        assert!(!p.may_look(EAGER_MS + 12.0, false));
        let mut p = Pacing::new(0.0);
        p.highlighted();
        p.want_look();
        p.looked(10.0);
        p.want_look();
        assert!(!p.may_look(11.0, false), "the first highlight ends it");
    }

    #[test]
    fn one_timer_serves_the_earliest_wake_up() {
        let mut p = Pacing::new(0.0);
        p.highlighted();
        assert_eq!(p.wake(500.0), Some(500.0));
        assert_eq!(p.wake(800.0), None, "the 500 ms timer looks first");
        assert_eq!(p.wake(300.0), Some(300.0));
        p.woke();
        assert!(p.look_wanted());
        assert_eq!(p.wake(800.0), Some(800.0));
    }

    #[test]
    fn after_the_first_highlight_a_change_is_looked_at_from_a_timer() {
        let mut p = Pacing::new(0.0);
        assert_eq!(p.changed(5.0), None, "before it: at once");
        assert!(p.may_look(5.0, false));
        p.looked(5.0);
        p.highlighted();
        assert_eq!(p.changed(20.0), Some(5.0 + MIN_LOOK_INTERVAL_MS), "within the interval: when it ends");
        assert!(p.look_wanted());
        assert_eq!(p.changed(500.0), Some(500.0), "after it: as soon as the timer runs");
    }

    #[test]
    fn a_page_that_keeps_changing_for_nothing_is_looked_at_less_often() {
        let mut p = Pacing::new(0.0);
        p.highlighted();
        p.looked(0.0);
        p.saw(true);
        assert_eq!(p.changed(10.0), Some(MIN_LOOK_INTERVAL_MS));
        let mut waits = Vec::new();
        let mut t = 0.0;
        for _ in 0..6 {
            p.looked(t);
            p.saw(false);
            let at = p.changed(t + 1.0).unwrap();
            waits.push(at - t);
            t = at;
        }
        assert_eq!(waits, [240.0, 480.0, 960.0, 1_000.0, 1_000.0, 1_000.0]);
        p.looked(t);
        p.saw(true);
        assert_eq!(p.changed(t + 1.0), Some(t + MIN_LOOK_INTERVAL_MS), "news: prompt again");
        p.saw(false);
        p.saw(false);
        p.acted(t);
        assert_eq!(p.changed(t + 1.0), Some(t + MIN_LOOK_INTERVAL_MS), "the admin acted");
        p.saw(false);
        p.saw(false);
        assert_eq!(p.changed(t + 2.0), Some(t + MIN_LOOK_INTERVAL_MS), "within the grace after it");
        assert_eq!(p.changed(t + ACTION_GRACE_MS), Some(t + ACTION_GRACE_MS), "after it: the wait is long over");
        assert_eq!(p.change_interval(t + ACTION_GRACE_MS), 480.0);
    }

    #[test]
    fn changes_beside_the_marks_pass_without_a_look_for_a_while() {
        let mut p = Pacing::new(0.0);
        p.looked(0.0);
        assert!(!p.may_pass_by(10.0, false), "before the first highlight every change counts");
        p.highlighted();
        p.looked(100.0);
        assert!(p.may_pass_by(200.0, false));
        assert!(!p.may_pass_by(200.0, true), "not while the page's answer is awaited");
        assert!(p.may_pass_by(100.0 + BESIDE_LOOK_MS - 1.0, false));
        assert!(!p.may_pass_by(100.0 + BESIDE_LOOK_MS, false), "then a look all the same");
        p.acted(1_000.0);
        assert!(!p.may_pass_by(1_000.0 + ACTION_GRACE_MS - 1.0, false), "the admin acted: the page's answer is followed");
        assert!(p.may_pass_by(1_000.0 + ACTION_GRACE_MS, false));
    }

    #[test]
    fn a_draw_is_taken_once() {
        let mut p = Pacing::new(0.0);
        p.highlighted();
        p.want_draw();
        assert!(p.take_draw());
        assert!(!p.take_draw());
    }
}
