//! `report.html`: one self-contained page a planner can email or print —
//! the plan against the status quo, charts (inline SVG) and the input
//! conflicts with their resolution. No scripts, no external references.

pub mod charts;
mod sections;
pub mod unattended;

use super::lookup::Names;
use super::{ExportError, Lang};
use crate::calendar::status_quo::StatusQuo;
use crate::model::Scenario;
use crate::plan::format::Plan;

/// Escape text for HTML.
pub fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Styles shared by the report and the comparison page; print-friendly.
pub const STYLE: &str = "body{font-family:sans-serif;margin:2em auto;max-width:1150px;color:#222;line-height:1.4}
h1{font-size:1.6em}h2{border-bottom:2px solid #1f77b4;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #bbb;padding:.3em .6em;text-align:left;vertical-align:top}
td.n,th.n{text-align:right}tr:nth-child(even){background:#f4f6f9}.better{color:#1a7f37;font-weight:bold}.worse{color:#b42318;font-weight:bold}
.grid{display:flex;flex-wrap:wrap;gap:8px}.legend span{display:inline-block;margin-right:1em}.sw{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
svg{max-width:100%;height:auto}.note{color:#555;font-size:.9em}
@media print{body{margin:0;max-width:none}section{page-break-inside:avoid}h2{page-break-after:avoid}}";

pub(crate) fn chart(svg: Result<String, String>, what: &str) -> Result<String, ExportError> {
    svg.map_err(|message| ExportError::Encoding {
        what: format!("chart {what}"),
        message,
    })
}

/// The whole report; `extra` sections (HTML from later stages, such as the
/// appointment ledger's numbers) go at its end.
pub fn html(
    s: &Scenario,
    plan: &Plan,
    sq: &StatusQuo,
    lang: Lang,
    extra: &[String],
) -> Result<String, ExportError> {
    let names = Names::new(s);
    names.check_plan(plan)?;
    let title = format!(
        "{} — {}",
        lang.pick(
            "Plan unificado de especialistas itinerantes",
            "Unified plan of itinerant specialists"
        ),
        plan.label()
    );
    let mut body = String::new();
    body += &format!("<h1>{}</h1>\n", esc(&title));
    body += &sections::header(s, plan, lang);
    body += &sections::replan(&names, plan, lang);
    body += &sections::summary(s, plan, sq, lang);
    body += &sections::gantt(s, plan, lang)?;
    body += &sections::backlog(s, plan, sq, lang)?;
    body += &sections::coverage(s, plan, lang)?;
    body += &sections::jornadas(s, lang);
    body += &sections::map(s, &names, plan, lang)?;
    body += &sections::workload(s, &names, plan, lang)?;
    body += &sections::conflicts(&names, plan, lang);
    for section in extra {
        body += section;
    }
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        lang.tag(),
        esc(&title),
        STYLE,
        body
    ))
}
