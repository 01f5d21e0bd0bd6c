//! The popup's pure logic: preparation items, step and org states, the deadline countdown, the
//! admin-console address the admin types, and the completion report (CSV, JSON, plain text).
//!
//! No browser API here: times come in as milliseconds since the epoch plus a UTC offset, and
//! localised words come in through a message lookup, so everything is tested natively.

use crate::org;
use crate::progress::Progress;
use crate::roadmap::{StepId, MAIN_PATH, STEP_COUNT};

/// The roadmap's preparation items, by the id stored in `settings.prepared`. Their text is
/// `popup_prepare_<id with '-' as '_'>`.
pub const PREPARATION: [&str; 4] = ["coworkers", "off-hours", "okta-credentials", "microsoft-credentials"];

/// The message key of a preparation item.
pub fn preparation_key(id: &str) -> String {
    format!("popup_prepare_{}", id.replace('-', "_"))
}

/// The steps the admin acts on, in order (the main path without its end, `done`).
pub fn steps() -> &'static [StepId] {
    &MAIN_PATH[..STEP_COUNT]
}

/// "Step n": a step's 1-based position on the main path (a branch shares its main step's).
pub fn step_number(step: StepId) -> usize {
    (step.rank() + 1).min(STEP_COUNT)
}

/// A localised step title (`step_<stem>_title`, shared with the in-page guide).
pub fn step_title_key(step: StepId) -> String {
    step.texts().title.to_string()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    Todo,
    Current,
    Done,
    /// The current step went wrong (the flow is on one of its branches).
    Problem,
}

impl StepState {
    pub fn as_str(self) -> &'static str {
        match self {
            StepState::Todo => "todo",
            StepState::Current => "current",
            StepState::Done => "done",
            StepState::Problem => "problem",
        }
    }

    pub fn message_key(self) -> &'static str {
        match self {
            StepState::Todo => "popup_state_todo",
            StepState::Current => "popup_state_current",
            StepState::Done => "popup_state_done",
            StepState::Problem => "popup_state_problem",
        }
    }
}

/// The state of a main-path `step` for an org's progress (`None`: not started).
pub fn step_state(progress: Option<&Progress>, step: StepId) -> StepState {
    let Some(progress) = progress else { return StepState::Todo };
    let current = progress.step;
    if current == StepId::Done || step.rank() < current.rank() {
        StepState::Done
    } else if step == current.main_step() {
        if current.is_branch() {
            StepState::Problem
        } else {
            StepState::Current
        }
    } else {
        StepState::Todo
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgStatus {
    NotStarted,
    InProgress,
    Paused,
    Problem,
    Done,
}

impl OrgStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgStatus::NotStarted => "not-started",
            OrgStatus::InProgress => "in-progress",
            OrgStatus::Paused => "paused",
            OrgStatus::Problem => "problem",
            OrgStatus::Done => "done",
        }
    }
}

pub fn org_status(progress: Option<&Progress>) -> OrgStatus {
    match progress {
        None => OrgStatus::NotStarted,
        Some(p) if p.step == StepId::Done => OrgStatus::Done,
        Some(p) if p.paused => OrgStatus::Paused,
        Some(p) if p.step.is_branch() => OrgStatus::Problem,
        Some(_) => OrgStatus::InProgress,
    }
}

/// Whole minutes from start to finish (at least 1 once finished: "0 min" reads as an error).
pub fn duration_minutes(progress: &Progress) -> Option<u64> {
    progress.duration_ms().map(|ms| ((ms / 60_000.0).round() as u64).max(1))
}

// ---- Dates --------------------------------------------------------------------------------

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count (inverse of `days_from_civil`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Reads an ISO date `YYYY-MM-DD` (what `<input type=date>` gives) as a day count.
pub fn parse_date(iso: &str) -> Option<i64> {
    let bytes = iso.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = &iso[range];
        part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok())?
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    if !(1..=12).contains(&month) || day == 0 {
        return None;
    }
    let days = days_from_civil(i64::from(year), month, day);
    // Rejects 31 April, 29 February in common years…: the date must survive the round trip.
    (civil_from_days(days) == (i64::from(year), month, day)).then_some(days)
}

/// Days from `today` until the deadline (both day counts): negative once it has passed.
pub fn days_left(deadline: i64, today: i64) -> i64 {
    deadline - today
}

/// What to say about the deadline: a message key and its number.
pub fn deadline_message(days_left: i64) -> (&'static str, i64) {
    match days_left {
        0 => ("popup_deadline_today", 0),
        1 => ("popup_day_left", 1),
        d if d > 1 => ("popup_days_left", d),
        -1 => ("popup_deadline_passed_day", 1),
        d => ("popup_deadline_passed", -d),
    }
}

/// Milliseconds since the epoch, shifted by `offset_minutes` east of UTC, as
/// (days, minute of the day).
fn split_time(ms: f64, offset_minutes: i32) -> (i64, i64) {
    let minutes = (ms / 60_000.0).floor() as i64 + i64::from(offset_minutes);
    (minutes.div_euclid(1440), minutes.rem_euclid(1440))
}

/// `2026-03-12T14:05:09Z`: the machine-readable time in CSV and JSON.
pub fn iso_utc(ms: f64) -> String {
    let seconds = (ms / 1000.0).floor() as i64;
    let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let (h, min, s) = (second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}Z")
}

/// `2026-03-12 15:05`: a time as people read it, in local time (`offset_minutes` east of UTC).
pub fn local_time(ms: f64, offset_minutes: i32) -> String {
    let (days, minute) = split_time(ms, offset_minutes);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", minute / 60, minute % 60)
}

/// `UTC+01:00`.
pub fn utc_offset(offset_minutes: i32) -> String {
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let abs = offset_minutes.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", abs / 60, abs % 60)
}

// ---- The admin console address ------------------------------------------------------------

/// The org key of an admin-console address as the admin may paste it: with or without
/// `https://`, path, port or the `-admin` suffix. `None` when it is not an Okta org.
pub fn org_from_address(input: &str) -> Option<String> {
    let text = input.trim();
    let rest = text.split_once("://").map_or(text, |(scheme, rest)| {
        if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http") {
            rest
        } else {
            ""
        }
    });
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // Credentials in an address (`user@host`) are never meant here: refuse rather than guess.
    if authority.contains('@') {
        return None;
    }
    let host = authority.split(':').next().unwrap_or("");
    org::org_key(host)
}

/// Where the popup sends the admin for an org: its Applications list.
pub fn applications_url(org: &str) -> String {
    format!("{}/admin/apps/active", org::admin_origin(org))
}

// ---- The completion report ----------------------------------------------------------------

/// The time each main step (and `done`) was last entered: after going back, the later time is
/// the one that counted.
pub fn step_times(progress: &Progress) -> Vec<(StepId, Option<f64>)> {
    MAIN_PATH
        .iter()
        .map(|&step| (step, progress.history.iter().rev().find(|h| h.step == step).map(|h| h.at)))
        .collect()
}

/// What a report may say about the Microsoft account: only when the admin allows it now.
fn account(progress: &Progress, include_account: bool) -> Option<&str> {
    progress.account_used.as_deref().filter(|a| include_account && !a.is_empty())
}

/// One CSV field: quoted when needed, and defused when a spreadsheet would run it as a formula.
fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// One row per org: org, status, current step, start, finish, minutes, account, then the time
/// each step was reached (UTC, ISO 8601). Lines end in CRLF (RFC 4180).
/// Every report names the extension version that wrote it (`version`, from the manifest).
pub fn csv(records: &[Progress], include_account: bool, version: &str) -> String {
    let mut header: Vec<String> =
        ["org", "status", "current_step", "started_at", "finished_at", "duration_minutes", "account_used"]
            .map(String::from)
            .to_vec();
    header.extend(steps().iter().map(|s| format!("{}_at", s.as_str())));
    header.push("extension_version".to_string());
    let mut out = header.join(",") + "\r\n";
    for p in records {
        let mut row = vec![
            p.org.clone(),
            org_status(Some(p)).as_str().to_string(),
            p.step.as_str().to_string(),
            iso_utc(p.started_at),
            p.finished_at.map(iso_utc).unwrap_or_default(),
            duration_minutes(p).map(|m| m.to_string()).unwrap_or_default(),
            account(p, include_account).unwrap_or_default().to_string(),
        ];
        let times = step_times(p);
        row.extend(steps().iter().map(|s| {
            times.iter().find(|(t, _)| t == s).and_then(|(_, at)| *at).map(iso_utc).unwrap_or_default()
        }));
        row.push(version.to_string());
        out += &row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(",");
        out += "\r\n";
    }
    out
}

/// A JSON string literal.
fn json_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn json_time(ms: Option<f64>) -> String {
    ms.map_or_else(|| "null".to_string(), |t| json_string(&iso_utc(t)))
}

/// The full record of every org: every step entered with its time, in order. `accountUsed`
/// appears only when allowed; the expected account (transient) never does.
pub fn json(records: &[Progress], include_account: bool, generated_at: f64, version: &str) -> String {
    let orgs: Vec<String> = records
        .iter()
        .map(|p| {
            let mut fields = vec![
                format!("\"org\": {}", json_string(&p.org)),
                format!("\"adminConsole\": {}", json_string(&org::admin_origin(&p.org))),
                format!("\"status\": {}", json_string(org_status(Some(p)).as_str())),
                format!("\"currentStep\": {}", json_string(p.step.as_str())),
                format!("\"startedAt\": {}", json_time(Some(p.started_at))),
                format!("\"finishedAt\": {}", json_time(p.finished_at)),
                format!("\"durationMinutes\": {}", duration_minutes(p).map_or("null".to_string(), |m| m.to_string())),
            ];
            if let Some(account) = account(p, include_account) {
                fields.push(format!("\"accountUsed\": {}", json_string(account)));
            }
            let steps: Vec<String> = p
                .history
                .iter()
                .map(|h| format!("      {{ \"step\": {}, \"at\": {} }}", json_string(h.step.as_str()), json_time(Some(h.at))))
                .collect();
            fields.push(format!("\"steps\": [\n{}\n    ]", steps.join(",\n")));
            format!("    {{\n      {}\n    }}", fields.join(",\n      "))
        })
        .collect();
    format!(
        "{{\n  \"report\": \"office365-reauthentication\",\n  \"extensionVersion\": {},\n  \"generatedAt\": {},\n  \"orgs\": [\n{}\n  ]\n}}\n",
        json_string(version),
        json_string(&iso_utc(generated_at)),
        orgs.join(",\n")
    )
}

/// Localised words for the plain-text report: `(key, substitutions) -> text`.
pub type Lookup<'a> = &'a dyn Fn(&str, &[&str]) -> String;

/// The status of an org in words (for the popup's list and the plain-text report).
pub fn status_text(progress: Option<&Progress>, t: Lookup, offset: &dyn Fn(f64) -> i32) -> String {
    let Some(p) = progress else { return t("popup_status_not_started", &[]) };
    let number = step_number(p.step).to_string();
    let total = STEP_COUNT.to_string();
    let title = t(&step_title_key(p.step), &[]);
    match org_status(Some(p)) {
        OrgStatus::NotStarted => t("popup_status_not_started", &[]),
        OrgStatus::Done => {
            let end = p.finished_at.unwrap_or(p.updated_at);
            let minutes = duration_minutes(p).unwrap_or(1).to_string();
            t("popup_status_done", &[&local_time(end, offset(end)), &minutes])
        }
        OrgStatus::Paused => t("popup_status_paused", &[&number, &total, &title]),
        OrgStatus::Problem => t("popup_status_problem", &[&number, &total, &title]),
        OrgStatus::InProgress => t("popup_status_in_progress", &[&number, &total, &title]),
    }
}

/// The completion record of one org, for pasting into a change ticket.
pub fn text(p: &Progress, include_account: bool, version: &str, t: Lookup, offset: &dyn Fn(f64) -> i32) -> String {
    let when = |ms: f64| format!("{} {}", local_time(ms, offset(ms)), utc_offset(offset(ms)));
    let mut lines = vec![
        t("popup_report_heading", &[&p.org]),
        t("popup_report_console", &[&org::admin_origin(&p.org)]),
        t("popup_report_status", &[&status_text(Some(p), t, offset)]),
        t("popup_report_started", &[&when(p.started_at)]),
    ];
    match p.finished_at {
        Some(end) => {
            lines.push(t("popup_report_finished", &[&when(end)]));
            lines.push(t("popup_report_duration", &[&duration_minutes(p).unwrap_or(1).to_string()]));
        }
        None => lines.push(t("popup_report_unfinished", &[])),
    }
    if let Some(account) = account(p, include_account) {
        lines.push(t("popup_report_account", &[account]));
    }
    lines.push(t("popup_report_steps", &[]));
    for h in &p.history {
        let label = if h.step == StepId::Done {
            t(&step_title_key(h.step), &[])
        } else {
            format!("{}. {}", step_number(h.step), t(&step_title_key(h.step), &[]))
        };
        lines.push(format!("  {}  {}", local_time(h.at, offset(h.at)), label));
    }
    lines.push(t("popup_report_version", &[version]));
    lines.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::StepTime;

    const MIN: f64 = 60_000.0;
    /// 2026-03-12T14:05:00Z
    const T0: f64 = 1_773_324_300_000.0;

    fn walked(org: &str, to: StepId) -> Progress {
        let mut p = Progress::new(org, T0);
        for (i, &step) in MAIN_PATH.iter().enumerate().skip(1) {
            if steps().contains(&to) && step.rank() > to.rank() {
                break;
            }
            p.step = step;
            p.history.push(StepTime { step, at: T0 + i as f64 * MIN });
            if step == StepId::Done {
                p.finished_at = Some(T0 + i as f64 * MIN);
            }
        }
        p
    }

    /// English-ish lookup: the key and its arguments, so tests see what was asked for.
    fn keys(key: &str, subs: &[&str]) -> String {
        if subs.is_empty() {
            key.to_string()
        } else {
            format!("{key}({})", subs.join("|"))
        }
    }

    #[test]
    fn step_states_follow_the_current_step() {
        assert!(steps().iter().all(|&s| step_state(None, s) == StepState::Todo));
        let p = walked("acme.okta.com", StepId::Edit);
        let states: Vec<&str> = steps().iter().map(|&s| step_state(Some(&p), s).as_str()).collect();
        assert_eq!(states[..4], ["done"; 4]);
        assert_eq!(states[4], "current");
        assert!(states[5..].iter().all(|s| *s == "todo"));
        assert_eq!(states.len(), 11);
    }

    #[test]
    fn a_branch_is_a_problem_on_its_main_step() {
        let mut p = walked("acme.okta.com", StepId::TestApi);
        p.step = StepId::TestFailed;
        assert_eq!(step_state(Some(&p), StepId::TestApi), StepState::Problem);
        assert_eq!(step_state(Some(&p), StepId::Consent), StepState::Done);
        assert_eq!(step_state(Some(&p), StepId::Checkmarks), StepState::Todo);
        assert_eq!(org_status(Some(&p)), OrgStatus::Problem);
        p.paused = true;
        assert_eq!(org_status(Some(&p)), OrgStatus::Paused);
    }

    #[test]
    fn a_finished_org_is_done_everywhere() {
        let p = walked("acme.okta.com", StepId::Done);
        assert_eq!(p.step, StepId::Done);
        assert!(steps().iter().all(|&s| step_state(Some(&p), s) == StepState::Done));
        assert_eq!(org_status(Some(&p)), OrgStatus::Done);
        assert_eq!(org_status(None), OrgStatus::NotStarted);
        assert_eq!(duration_minutes(&p), Some(11));
    }

    #[test]
    fn dates_round_trip_and_bad_ones_are_refused() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(parse_date("2026-09-15"), Some(days_from_civil(2026, 9, 15)));
        for day in [-800_000, -1, 0, 59, 365 * 30 + 7, 800_000] {
            assert_eq!(days_from_civil(civil_from_days(day).0, civil_from_days(day).1, civil_from_days(day).2), day);
        }
        assert_eq!(parse_date("2024-02-29").map(civil_from_days), Some((2024, 2, 29)));
        for bad in ["", "2025-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-9-15", "15-09-2026", "2026/09/15", "2026-09-1x", "+026-09-15"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_deadline_counts_down_in_days() {
        let deadline = parse_date("2026-09-15").unwrap();
        assert_eq!(days_left(deadline, parse_date("2026-09-01").unwrap()), 14);
        assert_eq!(days_left(deadline, parse_date("2025-12-31").unwrap()), 258);
        assert_eq!(deadline_message(14), ("popup_days_left", 14));
        assert_eq!(deadline_message(1), ("popup_day_left", 1));
        assert_eq!(deadline_message(0), ("popup_deadline_today", 0));
        assert_eq!(deadline_message(-1), ("popup_deadline_passed_day", 1));
        assert_eq!(deadline_message(-5), ("popup_deadline_passed", 5));
    }

    #[test]
    fn times_are_written_in_utc_and_in_local_time() {
        assert_eq!(iso_utc(T0), "2026-03-12T14:05:00Z");
        assert_eq!(iso_utc(T0 + 9_999.0), "2026-03-12T14:05:09Z");
        assert_eq!(local_time(T0, 60), "2026-03-12 15:05");
        assert_eq!(local_time(T0, -14 * 60 - 30), "2026-03-11 23:35");
        assert_eq!(utc_offset(60), "UTC+01:00");
        assert_eq!(utc_offset(-570), "UTC-09:30");
    }

    #[test]
    fn admin_addresses_as_pasted_name_their_org() {
        for input in [
            "https://acme-admin.okta.com/admin/dashboard",
            " acme-admin.okta.com ",
            "acme.okta.com",
            "HTTPS://ACME-admin.okta.com:443/?x=1",
            "https://acme.okta.com#frag",
        ] {
            assert_eq!(org_from_address(input).as_deref(), Some("acme.okta.com"), "{input}");
        }
        assert_eq!(org_from_address("globex-admin.oktapreview.com").as_deref(), Some("globex.oktapreview.com"));
        for bad in ["", "acme", "https://evil.example/acme-admin.okta.com", "ftp://acme.okta.com", "https://user@acme.okta.com", "login.microsoftonline.com"] {
            assert_eq!(org_from_address(bad), None, "{bad}");
        }
        assert_eq!(applications_url("acme.okta.com"), "https://acme-admin.okta.com/admin/apps/active");
    }

    #[test]
    fn preparation_items_have_message_keys() {
        let keys: Vec<String> = PREPARATION.iter().map(|id| preparation_key(id)).collect();
        assert_eq!(keys[1], "popup_prepare_off_hours");
        assert_eq!(keys.len(), 4);
    }

    fn finished_with_account() -> Progress {
        let mut p = walked("acme.okta.com", StepId::Done);
        p.account_used = Some("admin@acme.onmicrosoft.com".into());
        p.expected_account = Some("expected@acme.onmicrosoft.com".into());
        p
    }

    #[test]
    fn csv_has_one_row_per_org_with_every_step_time() {
        let done = finished_with_account();
        let mut half = walked("globex.okta.com", StepId::Edit);
        half.paused = true;
        let out = csv(&[done, half], true, "9.8.7");
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(lines.len(), 4, "{out}");
        assert_eq!(lines[3], "");
        let header: Vec<&str> = lines[0].split(',').collect();
        assert_eq!(header[..7], ["org", "status", "current_step", "started_at", "finished_at", "duration_minutes", "account_used"]);
        assert_eq!(header[7], "applications_at");
        assert_eq!(header[17], "save_at");
        assert_eq!(header[18], "extension_version");
        assert_eq!(header.len(), 19);
        let done_row: Vec<&str> = lines[1].split(',').collect();
        assert_eq!(
            done_row[..7],
            ["acme.okta.com", "done", "done", "2026-03-12T14:05:00Z", "2026-03-12T14:16:00Z", "11", "admin@acme.onmicrosoft.com"]
        );
        assert_eq!(done_row[9], "2026-03-12T14:07:00Z");
        let half_row: Vec<&str> = lines[2].split(',').collect();
        assert_eq!(half_row[..7], ["globex.okta.com", "paused", "edit", "2026-03-12T14:05:00Z", "", "", ""]);
        assert_eq!(half_row[11], "2026-03-12T14:09:00Z");
        assert_eq!(half_row[12], "");
        assert_eq!((done_row[18], half_row[18]), ("9.8.7", "9.8.7"));
        assert!(!out.contains("expected@"));
    }

    #[test]
    fn csv_leaves_out_the_account_when_not_allowed_and_defuses_formulas() {
        let out = csv(&[finished_with_account()], false, "1");
        assert!(!out.contains("admin@acme"), "{out}");
        let mut p = finished_with_account();
        p.account_used = Some("=HYPERLINK(\"x\",1)".into());
        let out = csv(&[p], true, "1");
        assert!(out.contains(",\"'=HYPERLINK(\"\"x\"\",1)\","), "{out}");
    }

    #[test]
    fn json_is_valid_and_holds_the_history() {
        let mut p = finished_with_account();
        p.account_used = Some("a\"d\\min\n@acme".into());
        let out = json(&[p.clone(), walked("globex.okta.com", StepId::Consent)], true, T0 + 60.0 * MIN, "9.8.7");
        let value: serde_json::Value = serde_json::from_str(&out).expect(&out);
        assert_eq!(value["generatedAt"], "2026-03-12T15:05:00Z");
        assert_eq!(value["extensionVersion"], "9.8.7");
        let orgs = value["orgs"].as_array().unwrap();
        assert_eq!(orgs.len(), 2);
        assert_eq!(orgs[0]["org"], "acme.okta.com");
        assert_eq!(orgs[0]["adminConsole"], "https://acme-admin.okta.com");
        assert_eq!(orgs[0]["status"], "done");
        assert_eq!(orgs[0]["accountUsed"], "a\"d\\min\n@acme");
        assert_eq!(orgs[0]["durationMinutes"], 11);
        assert_eq!(orgs[0]["steps"].as_array().unwrap().len(), p.history.len());
        assert_eq!(orgs[0]["steps"][11], serde_json::json!({ "step": "done", "at": "2026-03-12T14:16:00Z" }));
        assert_eq!(orgs[1]["status"], "in-progress");
        assert_eq!(orgs[1]["finishedAt"], serde_json::Value::Null);
        assert!(orgs[1].get("accountUsed").is_none());
        assert!(!out.contains("expected"));
        let without: serde_json::Value = serde_json::from_str(&json(&[p], false, T0, "1")).unwrap();
        assert!(without["orgs"][0].get("accountUsed").is_none());
        let empty: serde_json::Value = serde_json::from_str(&json(&[], true, T0, "1")).unwrap();
        assert_eq!(empty["orgs"], serde_json::json!([]));
    }

    #[test]
    fn plain_text_reads_as_a_change_record() {
        let p = finished_with_account();
        let out = text(&p, true, "9.8.7", &keys, &|_| 60);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "popup_report_heading(acme.okta.com)");
        assert_eq!(lines[1], "popup_report_console(https://acme-admin.okta.com)");
        assert_eq!(lines[2], "popup_report_status(popup_status_done(2026-03-12 15:16|11))");
        assert_eq!(lines[3], "popup_report_started(2026-03-12 15:05 UTC+01:00)");
        assert_eq!(lines[4], "popup_report_finished(2026-03-12 15:16 UTC+01:00)");
        assert_eq!(lines[5], "popup_report_duration(11)");
        assert_eq!(lines[6], "popup_report_account(admin@acme.onmicrosoft.com)");
        assert_eq!(lines[7], "popup_report_steps");
        assert_eq!(lines[8], "  2026-03-12 15:05  1. step_applications_title");
        assert_eq!(lines[18], "  2026-03-12 15:15  11. step_save_title");
        assert_eq!(lines[19], "  2026-03-12 15:16  step_done_title");
        assert_eq!(lines[20], "popup_report_version(9.8.7)");
        assert!(!text(&p, false, "1", &keys, &|_| 0).contains("admin@acme"));
        let open = text(&walked("globex.okta.com", StepId::Edit), true, "1", &keys, &|_| 0);
        assert!(open.contains("popup_report_unfinished"), "{open}");
        assert!(open.contains("popup_status_in_progress(5|11|step_edit_title)"), "{open}");
    }

    #[test]
    fn status_text_names_the_step() {
        let mut p = walked("acme.okta.com", StepId::MicrosoftSignIn);
        p.step = StepId::WrongAccount;
        assert_eq!(status_text(Some(&p), &keys, &|_| 0), "popup_status_problem(7|11|step_wrong_account_title)");
        p.paused = true;
        assert_eq!(status_text(Some(&p), &keys, &|_| 0), "popup_status_paused(7|11|step_wrong_account_title)");
        assert_eq!(status_text(None, &keys, &|_| 0), "popup_status_not_started");
    }
}
