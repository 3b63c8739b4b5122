//! The appointment ledger: an SQLite file (bundled library, nothing to
//! install) in WAL mode, its schema brought up to date by numbered
//! migrations, every change made in one transaction with the event that
//! records it.
//!
//! The SQL is portable (text keys computed by itinera, no autoincrement,
//! no triggers, partial unique indexes that PostgreSQL has too), so that a
//! shared server can replace the file when several offices keep one ledger.
//!
//! Events are append-only and chained: each event's hash covers the
//! previous hash and the event's fields, so editing, removing or inserting
//! an event breaks the chain from there on; `verify` also replays the
//! events and compares the state they give with the tables, so that a row
//! edited by hand without its event is found too.

use super::AppointmentError;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};
use std::path::Path;

/// The schema, one migration per version, applied in order and recorded in
/// `schema_migrations`. Never edit a released migration: add the next one.
const MIGRATIONS: &[&str] = &[
    // 1: patients, their referrals, slots, appointments and the event log.
    "CREATE TABLE ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE patients (
         id TEXT PRIMARY KEY,
         locality TEXT NOT NULL,
         language TEXT NOT NULL,
         phone TEXT,
         email TEXT,
         channels TEXT NOT NULL);
     CREATE TABLE referrals (
         id TEXT PRIMARY KEY,
         patient TEXT NOT NULL REFERENCES patients (id),
         specialty TEXT NOT NULL,
         locality TEXT NOT NULL,
         referred TEXT NOT NULL,
         priority INTEGER NOT NULL,
         status TEXT NOT NULL,
         UNIQUE (patient, specialty));
     CREATE INDEX referrals_waiting ON referrals (status, priority, referred);
     CREATE TABLE slots (
         id TEXT PRIMARY KEY,
         event_uid TEXT NOT NULL,
         visit TEXT NOT NULL,
         facility TEXT NOT NULL,
         locality TEXT NOT NULL,
         specialty TEXT NOT NULL,
         professional TEXT NOT NULL,
         starts TEXT NOT NULL,
         ends TEXT NOT NULL,
         status TEXT NOT NULL);
     CREATE INDEX slots_by_list ON slots (locality, specialty, starts);
     CREATE TABLE appointments (
         id TEXT PRIMARY KEY,
         referral TEXT NOT NULL REFERENCES referrals (id),
         slot TEXT NOT NULL REFERENCES slots (id),
         status TEXT NOT NULL,
         booked_at TEXT NOT NULL,
         changed INTEGER NOT NULL);
     CREATE UNIQUE INDEX one_patient_per_slot ON appointments (slot) WHERE status = 'booked';
     CREATE UNIQUE INDEX one_appointment_per_referral ON appointments (referral) WHERE status = 'booked';
     CREATE TABLE events (
         seq INTEGER PRIMARY KEY,
         at TEXT NOT NULL,
         kind TEXT NOT NULL,
         subject TEXT NOT NULL,
         cause TEXT NOT NULL,
         data TEXT NOT NULL,
         prev_hash TEXT NOT NULL,
         hash TEXT NOT NULL);",
    // 2: contacting patients, their responses and waiting-list exits.
    "ALTER TABLE appointments ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 0;
     CREATE TABLE contact_attempts (
         id TEXT PRIMARY KEY,
         referral TEXT NOT NULL REFERENCES referrals (id),
         appointment TEXT,
         purpose TEXT NOT NULL,
         channel TEXT NOT NULL,
         at TEXT NOT NULL,
         outcome TEXT NOT NULL);
     CREATE INDEX attempts_by_referral ON contact_attempts (referral, purpose);
     CREATE TABLE responses (
         id TEXT PRIMARY KEY,
         referral TEXT NOT NULL REFERENCES referrals (id),
         kind TEXT NOT NULL,
         cause TEXT NOT NULL,
         source TEXT NOT NULL,
         at TEXT NOT NULL,
         applied TEXT NOT NULL);
     CREATE TABLE exits (
         referral TEXT PRIMARY KEY REFERENCES referrals (id),
         cause TEXT NOT NULL,
         at TEXT NOT NULL,
         evidence TEXT NOT NULL);",
    // 3: requests arriving by message or from a health post, and offers
    // that expire unless the patient confirms.
    "ALTER TABLE appointments ADD COLUMN offer_expires TEXT;
     CREATE TABLE requests (
         id TEXT PRIMARY KEY,
         referral TEXT NOT NULL REFERENCES referrals (id),
         channel TEXT NOT NULL,
         at TEXT NOT NULL,
         outcome TEXT NOT NULL);",
];

/// The hash before the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An open ledger.
pub struct Ledger {
    conn: Connection,
}

impl Ledger {
    /// Open the ledger at `path`, creating it (owner-only: it holds
    /// personal data) when `create` and it does not exist, and bring its
    /// schema up to date.
    pub fn open(path: &Path, create: bool) -> Result<Ledger, AppointmentError> {
        let exists = path.exists();
        if !exists && !create {
            return Err(AppointmentError::NoLedger {
                path: path.to_path_buf(),
            });
        }
        if !exists {
            create_private(path).map_err(|e| AppointmentError::Io {
                path: path.to_path_buf(),
                reason: crate::scenario::io_reason(&e),
            })?;
        }
        let conn = Connection::open(path).map_err(|e| AppointmentError::sql(path, &e))?;
        let ledger = Ledger { conn };
        ledger
            .setup()
            .map_err(|e| AppointmentError::sql(path, &e))?;
        Ok(ledger)
    }

    fn setup(&self) -> rusqlite::Result<()> {
        // WAL: readers (stats, exports) never block the writer, and a crash
        // leaves the last committed transaction.
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        self.conn.busy_timeout(std::time::Duration::from_secs(10))?;
        self.conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
        )?;
        let done: i64 = self.conn.query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(done.max(0) as usize) {
            let tx = self.conn.unchecked_transaction()?;
            tx.execute_batch(sql)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
                params![i as i64 + 1, chrono::Utc::now().to_rfc3339()],
            )?;
            tx.commit()?;
        }
        Ok(())
    }

    /// The schema version the file is at.
    pub fn version(&self) -> rusqlite::Result<i64> {
        self.conn.query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )
    }

    /// The connection, for reading.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// A write transaction, taken at once so that two writers queue rather
    /// than fail half-way.
    pub fn write(&mut self) -> rusqlite::Result<Transaction<'_>> {
        self.conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
    }
}

/// Create an empty file readable and writable by its owner only.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path).map(|_| ())
}

/// The scenario a ledger belongs to, or `None` for a new one.
pub fn scenario_of(tx: &Connection) -> rusqlite::Result<Option<String>> {
    tx.query_row(
        "SELECT value FROM ledger_meta WHERE key = 'scenario'",
        [],
        |r| r.get(0),
    )
    .optional()
}

/// Record the scenario of a new ledger.
pub fn set_scenario(tx: &Connection, name: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO ledger_meta (key, value) VALUES ('scenario', ?1)",
        params![name],
    )?;
    Ok(())
}

/// One event as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Position in the log, from 1.
    pub seq: i64,
    /// When it happened (RFC 3339).
    pub at: String,
    /// What happened (`slot_opened`, `appointment_booked`, …).
    pub kind: String,
    /// The slot, referral or appointment it is about.
    pub subject: String,
    /// Why (`plan`, `replan`, `booking`, a response's source, …).
    pub cause: String,
    /// The new state, as JSON (never a contact value).
    pub data: String,
    /// The previous event's hash ([`GENESIS`] for the first).
    pub prev_hash: String,
    /// This event's hash.
    pub hash: String,
}

/// The hash of an event's fields chained to `prev`.
pub fn hash(
    prev: &str,
    seq: i64,
    at: &str,
    kind: &str,
    subject: &str,
    cause: &str,
    data: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [prev, &seq.to_string(), at, kind, subject, cause, data] {
        h.update(part.as_bytes());
        // A separator that cannot occur inside a field's length prefix.
        h.update([0u8]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends events to the log inside one transaction.
pub struct Log {
    seq: i64,
    head: String,
    at: String,
}

impl Log {
    /// Continue the log of `tx`, stamping events with `at`.
    pub fn continue_in(tx: &Connection, at: &str) -> rusqlite::Result<Log> {
        let last: Option<(i64, String)> = tx
            .query_row(
                "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (seq, head) = last.unwrap_or((0, GENESIS.to_string()));
        Ok(Log {
            seq,
            head,
            at: at.to_string(),
        })
    }

    /// Record one event.
    pub fn append(
        &mut self,
        tx: &Connection,
        kind: &str,
        subject: &str,
        cause: &str,
        data: &serde_json::Value,
    ) -> rusqlite::Result<()> {
        let seq = self.seq + 1;
        let data = data.to_string();
        let h = hash(&self.head, seq, &self.at, kind, subject, cause, &data);
        tx.prepare_cached(
            "INSERT INTO events (seq, at, kind, subject, cause, data, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            seq, self.at, kind, subject, cause, data, self.head, h
        ])?;
        self.seq = seq;
        self.head = h;
        Ok(())
    }

    /// The time stamped on this run's events.
    pub fn at(&self) -> &str {
        &self.at
    }

    /// Events appended so far in the whole log.
    pub fn len(&self) -> i64 {
        self.seq
    }

    /// Whether the log is empty.
    pub fn is_empty(&self) -> bool {
        self.seq == 0
    }
}

/// Every event, in order.
pub fn events(conn: &Connection) -> rusqlite::Result<Vec<Event>> {
    let mut out = Vec::new();
    each_event(conn, |e| out.push(e))?;
    Ok(out)
}

/// Every event, in order, one at a time (a national ledger holds millions).
pub fn each_event(conn: &Connection, mut f: impl FnMut(Event)) -> rusqlite::Result<()> {
    let mut st = conn.prepare(
        "SELECT seq, at, kind, subject, cause, data, prev_hash, hash FROM events ORDER BY seq",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        f(Event {
            seq: r.get(0)?,
            at: r.get(1)?,
            kind: r.get(2)?,
            subject: r.get(3)?,
            cause: r.get(4)?,
            data: r.get(5)?,
            prev_hash: r.get(6)?,
            hash: r.get(7)?,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_ledger_is_private_migrated_and_in_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("turnos.db");
        let l = Ledger::open(&path, true).unwrap();
        assert_eq!(l.version().unwrap(), MIGRATIONS.len() as i64);
        let mode: String = l
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let m = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(m & 0o777, 0o600);
        }
        drop(l);
        // Opening again applies nothing twice.
        let l = Ledger::open(&path, false).unwrap();
        assert_eq!(l.version().unwrap(), MIGRATIONS.len() as i64);
        assert!(Ledger::open(&dir.path().join("none.db"), false).is_err());
    }

    #[test]
    fn the_chain_covers_every_field() {
        let base = hash(GENESIS, 1, "t", "k", "s", "c", "{}");
        assert_ne!(base, hash(GENESIS, 2, "t", "k", "s", "c", "{}"));
        assert_ne!(base, hash(GENESIS, 1, "t", "k", "s", "c", "{ }"));
        // Moving text between fields changes the hash.
        assert_ne!(
            hash(GENESIS, 1, "t", "ks", "", "c", "{}"),
            hash(GENESIS, 1, "t", "k", "s", "c", "{}")
        );
        assert_eq!(base.len(), 64);
    }
}
