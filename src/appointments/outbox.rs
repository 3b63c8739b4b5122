//! The outbox a messaging gateway reads: one JSON line per message —
//! WhatsApp as the body of a WhatsApp Business Cloud API template message,
//! SMS as number and text, e-mail as a whole RFC 5322 message — and a call
//! list for the staff (CSV). Every line carries its attempt id, which the
//! gateway returns with the answer (`itinera respond`). These files hold
//! phone numbers and addresses: the caller writes them owner-only.

use super::contact::Message;
use crate::lang::Lang;
use crate::model::Channel;
use base64::Engine;
use chrono::{NaiveDateTime, TimeZone};
use serde_json::json;

/// The outbox files: (name, bytes).
pub fn files(
    messages: &[Message],
    tz: chrono_tz::Tz,
    at: NaiveDateTime,
    from: &str,
    lang: Lang,
) -> Vec<(String, Vec<u8>)> {
    let mut lines = String::new();
    let mut calls = csv::Writer::from_writer(Vec::new());
    let header = if lang == Lang::Es {
        ["intento", "paciente", "teléfono", "motivo", "texto"]
    } else {
        ["attempt", "patient", "phone", "purpose", "text"]
    };
    // Writing to memory cannot fail.
    let _ = calls.write_record(header);
    for m in messages {
        let text = m.details.text(m.purpose, m.language);
        let line = match m.channel {
            Channel::WhatsApp => {
                let parameters: Vec<serde_json::Value> = m
                    .details
                    .parameters(m.language)
                    .into_iter()
                    .map(|t| json!({ "type": "text", "text": t }))
                    .collect();
                json!({
                    "attempt": m.attempt, "channel": "whatsapp", "purpose": m.purpose.code(),
                    "body": {
                        "messaging_product": "whatsapp",
                        "recipient_type": "individual",
                        "to": digits(&m.to),
                        "type": "template",
                        "template": {
                            "name": m.purpose.template(),
                            "language": { "code": if m.language == Lang::Es { "es_AR" } else { "en" } },
                            "components": [{ "type": "body", "parameters": parameters }],
                        },
                    },
                })
            }
            Channel::Sms => json!({
                "attempt": m.attempt, "channel": "sms", "purpose": m.purpose.code(),
                "to": format!("+{}", digits(&m.to)), "text": text,
            }),
            Channel::Email => json!({
                "attempt": m.attempt, "channel": "email", "purpose": m.purpose.code(),
                "to": m.to,
                "message": email(m, &text, tz, at, from),
            }),
            Channel::Phone => {
                let _ = calls.write_record([
                    m.attempt.as_str(),
                    &m.patient,
                    &m.to,
                    m.purpose.label(lang),
                    &text,
                ]);
                continue;
            }
        };
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    let calls_name = if lang == Lang::Es {
        "llamadas.csv"
    } else {
        "calls.csv"
    };
    vec![
        ("outbox.jsonl".to_string(), lines.into_bytes()),
        (
            calls_name.to_string(),
            calls.into_inner().unwrap_or_default(),
        ),
    ]
}

fn digits(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

/// An RFC 5322 message: CRLF line ends, the subject encoded (RFC 2047)
/// because it has accents, the body UTF-8 in base64 lines of 76.
fn email(m: &Message, text: &str, tz: chrono_tz::Tz, at: NaiveDateTime, from: &str) -> String {
    let b64 = base64::engine::general_purpose::STANDARD;
    let date = tz
        .from_local_datetime(&at)
        .earliest()
        .map(|d| d.to_rfc2822())
        .unwrap_or_default();
    let subject = format!(
        "=?UTF-8?B?{}?=",
        b64.encode(m.details.subject(m.purpose, m.language))
    );
    let body = b64.encode(text);
    let wrapped: Vec<&str> = body
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap_or(""))
        .collect();
    let domain = from.split_once('@').map_or("itinera.invalid", |x| x.1);
    format!(
        "From: {from}\r\nTo: {}\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: <{}@{domain}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
        m.to,
        m.attempt,
        wrapped.join("\r\n")
    )
}
