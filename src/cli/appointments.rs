//! `itinera book`, `itinera ledger stats|verify` and `itinera patients`:
//! from a plan to patients' appointments, in a ledger that proves its
//! record. Patients are named by their pseudonymous id only, and every file
//! holding appointments or contact data is written owner-only.

use super::{Failure, Source};
use anyhow::Context;
use chrono::NaiveDateTime;
use clap::{Args, Subcommand};
use itinera::appointments::{
    AppointmentError, Ledger, book, contact, outbox, publish, request, respond, stats, verify,
};
use itinera::export::lookup::Names;
use itinera::lang::Lang;
use itinera::model::Scenario;
use itinera::network::RoadNetwork;
use std::path::{Path, PathBuf};

impl From<AppointmentError> for Failure {
    fn from(e: AppointmentError) -> Self {
        Failure::Said(e.text())
    }
}

#[derive(Args)]
pub struct BookArgs {
    #[command(flatten)]
    scenario: Source,
    /// The plan (plan.json, or the folder `itinera plan -o` wrote).
    plan: PathBuf,
    /// The appointment ledger (an SQLite file, created owner-only if missing).
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
    /// The patients on the waiting lists (default: the scenario's patients.csv).
    #[arg(long, value_name = "FILE")]
    patients: Option<PathBuf>,
    /// Local date and time of booking (YYYY-MM-DDTHH:MM, the scenario's time
    /// zone): only later slots are booked. Default: now.
    #[arg(long, value_name = "DATETIME")]
    at: Option<String>,
    /// Also book at another locality within this many hours' drive when
    /// its slot is earlier.
    #[arg(long, value_name = "HOURS")]
    nearby_hours: Option<f64>,
    /// Folder for the FHIR appointments and the front desks' lists
    /// (default: `turnos` beside the ledger).
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
}

#[derive(Args)]
pub struct ContactArgs {
    /// The appointment ledger.
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
    /// Local date and time of the run (YYYY-MM-DDTHH:MM, the scenario's
    /// time zone): the messages due by then. Default: now.
    #[arg(long, value_name = "DATETIME")]
    at: Option<String>,
    /// Folder for the outbox (outbox.jsonl for the gateway, a call list for
    /// the staff; private files).
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    /// Hours before an appointment its reminder goes out.
    #[arg(long, default_value_t = 15.0, value_name = "HOURS")]
    reminder_hours: f64,
    /// Unanswered attempts on one channel before trying the next.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=10))]
    attempts: u32,
    /// Hours to wait for an answer before trying again.
    #[arg(long, default_value_t = 24.0, value_name = "HOURS")]
    retry_hours: f64,
    /// Sender of the e-mails.
    #[arg(long, default_value = "turnos@example.org", value_name = "ADDRESS")]
    email_from: String,
}

#[derive(Args)]
pub struct RespondArgs {
    /// The appointment ledger.
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
    /// Responses (CSV: response,patient,specialty,kind,cause,source,at).
    responses: PathBuf,
    /// Local date and time the responses are applied (default: now).
    #[arg(long, value_name = "DATETIME")]
    at: Option<String>,
}

#[derive(Args)]
pub struct RequestArgs {
    /// The appointment ledger.
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
    /// Requests (CSV: request,patient,locality,specialty,priority,channels,phone,email,language,at).
    requests: PathBuf,
    /// Local date and time the requests are taken in (default: now).
    #[arg(long, value_name = "DATETIME")]
    at: Option<String>,
    /// Hours an offered slot is held for the patient to confirm.
    #[arg(long, default_value_t = 48.0, value_name = "HOURS")]
    offer_hours: f64,
}

#[derive(Args)]
pub struct LedgerArgs {
    #[command(subcommand)]
    action: LedgerAction,
}

#[derive(Subcommand)]
enum LedgerAction {
    /// Slots filled, patients booked and waiting, waits by priority.
    Stats {
        /// The appointment ledger.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Print JSON (schema itinera.ledger-stats/1).
        #[arg(long)]
        json: bool,
    },
    /// Write demand.csv with each waiting list's patients on a date as the
    /// ledger records them (those who left the list not counted), the
    /// scenario's weekly referrals kept: the next plan works on the real lists.
    Demand {
        #[command(flatten)]
        scenario: Source,
        /// The appointment ledger.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// The date the lists are counted on (YYYY-MM-DD; default: the
        /// scenario's start).
        #[arg(long, value_name = "DATE")]
        on: Option<chrono::NaiveDate>,
        /// Where to write the new demand.csv.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Check the event chain and that the tables are what the events say
    /// (exit 6 when the record was altered).
    Verify {
        /// The appointment ledger.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Print JSON (schema itinera.ledger-verify/1).
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct PatientsArgs {
    #[command(flatten)]
    scenario: Source,
    /// Random seed: the same seed gives the same patients.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to write (default: patients.csv in the scenario folder).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace an existing file (it may hold real patients).
    #[arg(long)]
    force: bool,
}

/// The patients file of a scenario folder (or of a scenario.yaml's folder).
fn default_patients(scenario: &Path) -> PathBuf {
    let dir = if scenario.is_file() {
        scenario.parent().unwrap_or(Path::new(".")).to_path_buf()
    } else {
        scenario.to_path_buf()
    };
    dir.join(itinera::scenario::PATIENTS_FILE)
}

fn parse_at(s: &Scenario, at: Option<&str>) -> Result<NaiveDateTime, Failure> {
    parse_at_in(s.horizon.time_zone, at)
}

fn parse_at_in(tz: chrono_tz::Tz, at: Option<&str>) -> Result<NaiveDateTime, Failure> {
    match at {
        None => Ok(chrono::Utc::now().with_timezone(&tz).naive_local()),
        Some(text) => NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
            .or_else(|_| {
                chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default())
            })
            .map_err(|_| {
                Failure::Said(itinera::tr!(
                    "--at `{text}` no es una fecha y hora: escríbala como AAAA-MM-DDTHH:MM (hora local del escenario)",
                    "--at `{text}` is not a date and time: write it as YYYY-MM-DDTHH:MM (the scenario's local time)"
                ))
            }),
    }
}

pub fn book(a: &BookArgs, lang: Lang) -> Result<(), Failure> {
    let s = a.scenario.load()?;
    let plan = super::plan_for(&s, &a.plan)?;
    let patients_path = a
        .patients
        .clone()
        .unwrap_or_else(|| default_patients(&a.scenario.scenario));
    let patients = itinera::scenario::load_patients(&s, &patients_path).map_err(|e| match e {
        itinera::scenario::ScenarioError::Invalid(d) => Failure::Invalid(d),
    })?;
    let at = parse_at(&s, a.at.as_deref())?;
    if let Some(h) = a.nearby_hours
        && !(h.is_finite() && h >= 0.0)
    {
        return Err(Failure::Said(itinera::tr!(
            "--nearby-hours debe ser un número de horas no negativo",
            "--nearby-hours must be a non-negative number of hours"
        )));
    }
    let net = a.nearby_hours.map(|_| RoadNetwork::new(&s));
    let opts = book::Options {
        at,
        nearby: a.nearby_hours.zip(net.as_ref()),
    };
    let mut ledger = Ledger::open(&a.db, true)?;
    let r = book::book(&mut ledger, &a.db, &s, &plan, &patients, &opts)?;
    let dir = a.output.clone().unwrap_or_else(|| {
        a.db.parent()
            .unwrap_or(Path::new("."))
            .join(lang.pick("turnos", "appointments"))
    });
    let files = write_appointments(&s, ledger.conn(), &a.db, &dir, lang)?;
    outln!(
        "{}",
        lang.fill(
            "turnos: {} reservados, {} pacientes siguen en espera; {} turnos cancelados y {} cambiados por el plan; {} cupos nuevos, {} movidos, {} cancelados; {} derivaciones nuevas; {} eventos registrados",
            "appointments: {} booked, {} patients still waiting; {} appointments cancelled and {} changed by the plan; {} new slots, {} moved, {} cancelled; {} new referrals; {} events recorded",
            &[
                &r.booked,
                &r.waiting,
                &r.appointments_cancelled,
                &r.appointments_changed,
                &r.slots_opened,
                &r.slots_moved,
                &r.slots_cancelled,
                &r.referrals_added,
                &r.events,
            ]
        )
    );
    outln!(
        "{}",
        lang.fill(
            "escrito en {}: {} establecimiento(s), turnos FHIR y listas para la admisión (archivos privados)",
            "written to {}: {} facility(ies), FHIR appointments and front-desk lists (private files)",
            &[&dir.display(), &files]
        )
    );
    Ok(())
}

/// Write every facility's appointments into `dir` (staged: all or nothing).
fn write_appointments(
    s: &Scenario,
    conn: &rusqlite::Connection,
    db: &Path,
    dir: &Path,
    lang: Lang,
) -> Result<usize, Failure> {
    let rows = publish::rows(conn).map_err(|e| AppointmentError::sql(db, &e))?;
    let names = Names::new(s);
    let mut stage = itinera::output::Stage::begin(dir)?;
    for (facility, list) in &rows {
        let file = names.facility_file(facility);
        let bundle = publish::bundle(s, &names, facility, list);
        let json = serde_json::to_vec_pretty(&bundle).context("encoding FHIR appointments")?;
        stage.write_private(&Path::new("fhir").join(format!("{file}.json")), &json)?;
        stage.write_private(
            Path::new(&format!("{file}.csv")),
            &publish::front_desk(&names, list, lang),
        )?;
    }
    stage.commit()?;
    Ok(rows.len())
}

/// The scenario's time zone, kept in the ledger by `book`.
fn ledger_tz(l: &Ledger) -> chrono_tz::Tz {
    l.conn()
        .query_row(
            "SELECT value FROM ledger_meta WHERE key = 'time_zone'",
            [],
            |r| r.get::<_, String>(0),
        )
        .ok()
        .and_then(|z| z.parse().ok())
        .unwrap_or(chrono_tz::UTC)
}

pub fn contact(a: &ContactArgs, lang: Lang) -> Result<(), Failure> {
    for (name, v) in [
        ("--reminder-hours", a.reminder_hours),
        ("--retry-hours", a.retry_hours),
    ] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(Failure::Said(itinera::tr!(
                "{name} debe ser un número de horas no negativo",
                "{name} must be a non-negative number of hours"
            )));
        }
    }
    let mut l = Ledger::open(&a.db, false)?;
    let tz = ledger_tz(&l);
    let at = parse_at_in(tz, a.at.as_deref())?;
    let opts = contact::Options {
        reminder_hours: a.reminder_hours,
        attempts: a.attempts,
        retry_hours: a.retry_hours,
        ..contact::Options::at(at)
    };
    let out = contact::contact(&mut l, &a.db, &opts)?;
    let mut stage = itinera::output::Stage::begin(&a.output)?;
    for (name, bytes) in outbox::files(&out.messages, tz, at, &a.email_from, lang) {
        stage.write_private(Path::new(&name), &bytes)?;
    }
    stage.commit()?;
    let by = |c: itinera::model::Channel| out.messages.iter().filter(|m| m.channel == c).count();
    use itinera::model::Channel as C;
    outln!(
        "{}",
        lang.fill(
            "mensajes: {} (WhatsApp {}, SMS {}, correo {}, llamadas {}); {} pacientes sin canal disponible; {} salen de la lista por no contactables; {} ofertas vencidas pasaron al siguiente paciente; escrito en {} (archivos privados)",
            "messages: {} (WhatsApp {}, SMS {}, e-mail {}, calls {}); {} patients with no channel left; {} leave the list, not contactable; {} expired offers went to the next patient; written to {} (private files)",
            &[
                &out.messages.len(),
                &by(C::WhatsApp),
                &by(C::Sms),
                &by(C::Email),
                &by(C::Phone),
                &out.unreachable,
                &out.exits,
                &out.expired,
                &a.output.display(),
            ]
        )
    );
    Ok(())
}

pub fn respond(a: &RespondArgs, lang: Lang) -> Result<(), Failure> {
    let mut l = Ledger::open(&a.db, false)?;
    let now = parse_at_in(ledger_tz(&l), a.at.as_deref())?;
    let responses = respond::read(&l, &a.responses).map_err(Failure::Invalid)?;
    let r = respond::apply(&mut l, &a.db, &responses, now)?;
    outln!(
        "{}",
        lang.fill(
            "respuestas: {} aplicadas, {} ya aplicadas antes, {} tardías; {} turnos confirmados, {} cancelados por el paciente, {} cupos reasignados, {} reprogramados, {} pacientes salen de la lista; {} eventos registrados",
            "responses: {} applied, {} applied before, {} late; {} appointments confirmed, {} cancelled by the patient, {} slots reassigned, {} rescheduled, {} patients leave the list; {} events recorded",
            &[
                &r.applied,
                &r.repeated,
                &r.late,
                &r.confirmed,
                &r.cancelled,
                &r.reassigned,
                &r.rescheduled,
                &r.exited,
                &r.events,
            ]
        )
    );
    Ok(())
}

pub fn request(a: &RequestArgs, lang: Lang) -> Result<(), Failure> {
    if !(a.offer_hours.is_finite() && a.offer_hours > 0.0) {
        return Err(Failure::Said(itinera::tr!(
            "--offer-hours debe ser un número de horas positivo",
            "--offer-hours must be a positive number of hours"
        )));
    }
    let mut l = Ledger::open(&a.db, false)?;
    let now = parse_at_in(ledger_tz(&l), a.at.as_deref())?;
    let list = request::read(&l, &a.requests).map_err(Failure::Invalid)?;
    let r = request::take(&mut l, &a.db, &list, now, a.offer_hours)?;
    outln!(
        "{}",
        lang.fill(
            "pedidos: {} recibidos, {} ya recibidos antes, {} unidos a una derivación existente, {} pacientes nuevos; {} con turno ofrecido (hasta confirmar), {} en espera; {} ofertas vencidas pasaron al siguiente paciente; {} eventos registrados",
            "requests: {} received, {} received before, {} merged into an existing referral, {} new patients; {} offered a slot (until confirmed), {} waiting; {} expired offers went to the next patient; {} events recorded",
            &[
                &r.received,
                &r.repeated,
                &r.merged,
                &r.new_patients,
                &r.offered,
                &r.waiting,
                &r.expired,
                &r.events,
            ]
        )
    );
    Ok(())
}

pub fn ledger(a: &LedgerArgs, lang: Lang) -> Result<(), Failure> {
    match &a.action {
        LedgerAction::Stats { db, json } => {
            let l = Ledger::open(db, false)?;
            let st = stats::stats(l.conn()).map_err(|e| AppointmentError::sql(db, &e))?;
            if *json {
                let doc = serde_json::json!({ "schema": "itinera.ledger-stats/1", "stats": st });
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&doc).context("encoding JSON")?
                );
            } else {
                out!("{}", stats_table(&st, lang));
            }
            Ok(())
        }
        LedgerAction::Demand {
            scenario,
            db,
            on,
            output,
        } => {
            let s = scenario.load()?;
            let l = Ledger::open(db, false)?;
            let on = on.unwrap_or(s.horizon.start);
            let counts =
                stats::waiting_on(l.conn(), on).map_err(|e| AppointmentError::sql(db, &e))?;
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["locality", "specialty", "waiting", "weekly_referrals"])
                .context("writing demand.csv")?;
            let mut total = 0;
            for d in &s.demand {
                let (l, sp) = (&s.locality(d.locality).code, &s.specialty(d.specialty).code);
                let n = counts.get(&(l.clone(), sp.clone())).copied().unwrap_or(0);
                total += n;
                w.write_record([
                    l.as_str(),
                    sp,
                    &n.to_string(),
                    &d.weekly_referrals.to_string(),
                ])
                .context("writing demand.csv")?;
            }
            let bytes = w.into_inner().context("writing demand.csv")?;
            itinera::output::write_file(output, &bytes)?;
            outln!(
                "{}",
                lang.fill(
                    "{}: {} listas, {} pacientes en espera el {} según el registro de turnos",
                    "{}: {} lists, {} patients waiting on {} as the ledger records them",
                    &[&output.display(), &s.demand.len(), &total, &lang.date(on)]
                )
            );
            Ok(())
        }
        LedgerAction::Verify { db, json } => {
            let l = Ledger::open(db, false)?;
            let v = verify::verify(l.conn()).map_err(|e| AppointmentError::sql(db, &e))?;
            if *json {
                let problems: Vec<String> = v.problems.iter().map(|p| problem(p, lang)).collect();
                let doc = serde_json::json!({
                    "schema": "itinera.ledger-verify/1",
                    "events": v.events, "head": v.head, "intact": v.problems.is_empty(),
                    "problems": problems,
                });
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&doc).context("encoding JSON")?
                );
            } else if v.problems.is_empty() {
                outln!(
                    "{}",
                    lang.fill(
                        "registro íntegro: {} eventos encadenados; las tablas coinciden con los eventos. Último hash: {}",
                        "record intact: {} chained events; the tables match the events. Last hash: {}",
                        &[&v.events, &v.head]
                    )
                );
            } else {
                for p in &v.problems {
                    outln!("{}", problem(p, lang));
                }
                outln!(
                    "{}",
                    lang.fill(
                        "el registro fue alterado: {} problema(s) en {} eventos",
                        "the record was altered: {} problem(s) in {} events",
                        &[&v.problems.len(), &v.events]
                    )
                );
            }
            if v.problems.is_empty() {
                Ok(())
            } else {
                Err(Failure::Answer(6))
            }
        }
    }
}

fn problem(p: &verify::Problem, lang: Lang) -> String {
    use verify::Problem as P;
    match p {
        P::Sequence { seq } => lang.fill(
            "evento {}: falta un evento antes o están fuera de orden",
            "event {}: an event before it is missing or out of order",
            &[seq],
        ),
        P::Link { seq } => lang.fill(
            "evento {}: no continúa la cadena del evento anterior",
            "event {}: does not continue the previous event's chain",
            &[seq],
        ),
        P::Hash { seq } => lang.fill(
            "evento {}: su contenido fue modificado (el hash no coincide)",
            "event {}: its content was changed (the hash does not match)",
            &[seq],
        ),
        P::Replay { seq } => lang.fill(
            "evento {}: no se puede aplicar al estado anterior",
            "event {}: cannot be applied to the state before it",
            &[seq],
        ),
        P::State { table, rows } => lang.fill(
            "tabla {}: {} fila(s) difieren de lo que registran los eventos (editadas sin evento)",
            "table {}: {} row(s) differ from what the events record (edited without an event)",
            &[table, rows],
        ),
    }
}

pub fn patients(a: &PatientsArgs, lang: Lang) -> Result<(), Failure> {
    let s = a.scenario.load()?;
    let list = itinera::generate::patients::synthesize(&s, a.seed);
    let path = a
        .output
        .clone()
        .unwrap_or_else(|| default_patients(&a.scenario.scenario));
    if path.exists() && !a.force {
        let p = path.display();
        return Err(Failure::Said(itinera::tr!(
            "{p} ya existe y puede tener pacientes reales: no se reemplaza sin --force",
            "{p} already exists and may hold real patients: it is not replaced without --force"
        )));
    }
    itinera::output::write_private(&path, &itinera::scenario::patients_csv(&s, &list))?;
    outln!(
        "{}",
        lang.fill(
            "{} pacientes sintéticos y seudónimos escritos en {} (contactos ficticios; archivo privado)",
            "{} synthetic, pseudonymous patients written to {} (fictitious contacts; private file)",
            &[&list.len(), &path.display()]
        )
    );
    Ok(())
}

fn stats_table(st: &stats::Stats, lang: Lang) -> String {
    let mut out = lang.fill(
        "registro de turnos de «{}»: {} eventos\n",
        "appointment ledger of \"{}\": {} events\n",
        &[&st.scenario, &st.events],
    );
    let rows = vec![
        vec![
            lang.pick("cupos del plan", "slots of the plan").to_string(),
            lang.int(st.slots_open as f64),
        ],
        vec![
            lang.pick("cupos reservados", "slots booked").to_string(),
            lang.int(st.slots_booked as f64),
        ],
        vec![
            lang.pick("ocupación", "fill rate").to_string(),
            lang.percent(st.fill_rate),
        ],
        vec![
            lang.pick(
                "cupos cancelados por replanificación",
                "slots cancelled by a replan",
            )
            .to_string(),
            lang.int(st.slots_cancelled as f64),
        ],
        vec![
            lang.pick("turnos cancelados", "appointments cancelled")
                .to_string(),
            lang.int(st.appointments_cancelled as f64),
        ],
        vec![
            lang.pick(
                "turnos cambiados (avisar al paciente)",
                "appointments changed (tell the patient)",
            )
            .to_string(),
            lang.int(st.appointments_changed as f64),
        ],
        vec![
            lang.pick("pacientes con turno", "patients booked")
                .to_string(),
            lang.int(st.referrals_booked as f64),
        ],
        vec![
            lang.pick(
                "pacientes en espera sin turno",
                "patients waiting without one",
            )
            .to_string(),
            lang.int(st.referrals_waiting as f64),
        ],
        vec![
            lang.pick("intentos de contacto", "contact attempts")
                .to_string(),
            lang.int(st.attempts as f64),
        ],
        vec![
            lang.pick(
                "contactabilidad (respondieron / intentados)",
                "contactability (answered / attempted)",
            )
            .to_string(),
            lang.percent(st.contactability),
        ],
        vec![
            lang.pick("turnos confirmados", "appointments confirmed")
                .to_string(),
            lang.int(st.confirmed as f64),
        ],
        vec![
            lang.pick("cancelados por el paciente", "cancelled by the patient")
                .to_string(),
            lang.int(st.cancelled_by_patient as f64),
        ],
        vec![
            lang.pick("cupos reasignados", "slots reassigned")
                .to_string(),
            lang.int(st.reassigned as f64),
        ],
    ];
    out += &super::render::table(
        &[lang.pick("qué", "what"), lang.pick("cantidad", "count")],
        &rows,
    );
    out.push('\n');
    if !st.exits.is_empty() {
        let rows: Vec<Vec<String>> = st
            .exit_rows(lang)
            .into_iter()
            .map(|(l, n)| vec![l, n])
            .collect();
        out += &super::render::table(
            &[
                lang.pick("egresos de la lista", "left the list"),
                lang.pick("pacientes", "patients"),
            ],
            &rows,
        );
        out.push('\n');
    }
    out += &super::render::table(&stats::priority_header(lang), &st.priority_rows(lang));
    out
}

/// The ledger's section of report.html (`export --ledger`).
pub fn report_section(db: &Path, lang: Lang) -> Result<String, Failure> {
    let l = Ledger::open(db, false)?;
    let st = stats::stats(l.conn()).map_err(|e| AppointmentError::sql(db, &e))?;
    Ok(stats::report_section(&st, lang))
}
