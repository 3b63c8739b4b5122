//! The front page of a publication: `index.html` and a plain-text
//! `LEEME.txt` (`README.txt` in English) listing every calendar by town and
//! facility, with how to import or subscribe to it. A hospital clerk given
//! the folder (or its web address) starts here.

use super::lookup::Names;
use super::report::esc;
use super::{Lang, OutFile};
use crate::model::Scenario;
use std::collections::BTreeMap;
use std::path::Path;

/// One facility's files, by kind.
#[derive(Default)]
struct Entry<'a> {
    ics: Option<&'a Path>,
    csv: Option<&'a Path>,
    fhir: Option<&'a Path>,
}

/// `index.html` and the plain-text guide for the files already built.
pub fn pages(s: &Scenario, names: &Names, files: &[OutFile], lang: Lang) -> Vec<OutFile> {
    let find = |dir: &str, stem: &str, ext: &str| {
        files.iter().map(|f| f.path.as_path()).find(|p| {
            p.starts_with(dir)
                && p.file_stem().and_then(|x| x.to_str()) == Some(stem)
                && p.extension().and_then(|x| x.to_str()) == Some(ext)
        })
    };
    // Towns in name order, facilities by name within each.
    let mut towns: BTreeMap<String, BTreeMap<String, Entry>> = BTreeMap::new();
    for f in &s.facilities {
        let stem = names.facility_file(&f.code);
        let e = Entry {
            ics: find("calendars/ics/facilities", &stem, "ics"),
            csv: find("calendars/csv/facilities", &stem, "csv"),
            fhir: find("fhir", &stem, "json"),
        };
        if e.ics.is_some() || e.csv.is_some() {
            towns
                .entry(s.locality(f.locality).name.clone())
                .or_default()
                .insert(f.name.clone(), e);
        }
    }
    let mut specialists: Vec<(String, &Path)> = files
        .iter()
        .filter(|f| f.path.starts_with("calendars/ics/specialists"))
        .map(|f| {
            let key = f.path.file_stem().and_then(|x| x.to_str()).unwrap_or("");
            (names.person_name(key), f.path.as_path())
        })
        .collect();
    specialists.sort();
    let workbook = files
        .iter()
        .map(|f| f.path.as_path())
        .find(|p| p.extension().is_some_and(|e| e == "xlsx"));
    let province_csv = files
        .iter()
        .map(|f| f.path.as_path())
        .find(|p| p.parent() == Some(Path::new("calendars/csv")));
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let link = |p: Option<&Path>, label: &str| {
        p.map_or(String::new(), |p| {
            format!(
                "<a href=\"{}\">{}</a>",
                esc(&p.display().to_string()),
                esc(label)
            )
        })
    };

    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        lang.tag(),
        esc(&s.label()),
        super::report::STYLE,
        esc(&format!(
            "{} — {}",
            l(
                "Calendarios de especialistas itinerantes",
                "Itinerant specialists' calendars"
            ),
            s.label()
        )),
    );
    html += &format!(
        "<p>{} {} · {} · {}</p>\n",
        l("Plan completo:", "Whole plan:"),
        link(Some(Path::new("report.html")), l("informe", "report")),
        link(
            workbook,
            l("planilla de cálculo (.xlsx)", "spreadsheet (.xlsx)")
        ),
        link(
            province_csv,
            l("todas las visitas (CSV)", "every visit (CSV)")
        ),
    );
    html += &format!(
        "<h2>{}</h2>\n<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>\n",
        l("Por localidad y establecimiento", "By town and facility"),
        l("Localidad", "Town"),
        l("Establecimiento", "Facility"),
        l("Archivos", "Files")
    );
    for (town, facilities) in &towns {
        for (name, e) in facilities {
            let links: Vec<String> = [
                link(e.ics, l("calendario (ICS)", "calendar (ICS)")),
                link(e.csv, l("planilla (CSV)", "sheet (CSV)")),
                link(e.fhir, "FHIR"),
            ]
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect();
            html += &format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                esc(town),
                esc(name),
                links.join(" · ")
            );
        }
    }
    html += "</table>\n";
    html += &format!(
        "<h2>{}</h2>\n<ul>\n",
        l("Por especialista", "By specialist")
    );
    for (name, p) in &specialists {
        html += &format!("<li>{}</li>\n", link(Some(p), name));
    }
    html += "</ul>\n";
    html += &format!(
        "<h2>{}</h2>\n<ul>\n",
        l("Cómo usar los calendarios", "How to use the calendars")
    );
    for step in how_to(lang) {
        html += &format!("<li>{}</li>\n", esc(step));
    }
    html += "</ul>\n</body>\n</html>\n";

    let mut text = format!(
        "{} — {}\n{}\n\n",
        l(
            "Calendarios de especialistas itinerantes",
            "Itinerant specialists' calendars"
        ),
        s.label(),
        "=".repeat(60)
    );
    text += &format!(
        "{}\n",
        l(
            "Plan completo: report.html (informe), planilla .xlsx y calendars/csv (todas las visitas).",
            "Whole plan: report.html, the .xlsx workbook and calendars/csv (every visit)."
        )
    );
    text += &format!(
        "\n{}\n",
        l("Por localidad y establecimiento:", "By town and facility:")
    );
    for (town, facilities) in &towns {
        for (name, e) in facilities {
            text += &format!("- {town} — {name}\n");
            for p in [e.ics, e.csv, e.fhir].into_iter().flatten() {
                text += &format!("    {}\n", p.display());
            }
        }
    }
    text += &format!("\n{}\n", l("Por especialista:", "By specialist:"));
    for (name, p) in &specialists {
        text += &format!("- {name}: {}\n", p.display());
    }
    text += &format!(
        "\n{}\n",
        l("Cómo usar los calendarios:", "How to use the calendars:")
    );
    for step in how_to(lang) {
        text += &format!("- {step}\n");
    }
    vec![
        OutFile::new("index.html", html),
        OutFile::new(lang.pick("LEEME.txt", "README.txt"), text),
    ]
}

fn how_to(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::Es => [
            "Suscribirse (se actualiza solo cuando se republica): publique la carpeta en un servidor web y agregue la dirección del archivo .ics — Google Calendar: Otros calendarios → Desde URL; Outlook: Agregar calendario → Suscribirse desde la web; Calendario de Apple: Archivo → Nueva suscripción a calendario.",
            "Importar una vez: abra el archivo .ics con el programa de calendario (Google Calendar: Configuración → Importar y exportar; Outlook: Archivo → Abrir e importar). Al importar de nuevo tras una republicación, los eventos se actualizan y no se duplican.",
            "Las visitas canceladas llegan como eventos CANCELADA: no las borre a mano, el programa de calendario las marca.",
            "Planillas: la .xlsx abre en Excel o LibreOffice con una hoja por establecimiento; los CSV usan ';' y coma decimal, como espera Excel en español.",
            "Sistemas de turnos: los archivos FHIR (R4) traen un Slot libre por día de consulta para reservar pacientes.",
        ],
        Lang::En => [
            "Subscribe (updates itself when republished): put the folder on a web server and add the .ics file's address — Google Calendar: Other calendars → From URL; Outlook: Add calendar → Subscribe from web; Apple Calendar: File → New Calendar Subscription.",
            "Import once: open the .ics file with the calendar program (Google Calendar: Settings → Import & export; Outlook: File → Open & Export). Importing again after a republication updates events instead of duplicating them.",
            "Cancelled visits arrive as CANCELLED events: do not delete them by hand, the calendar program marks them.",
            "Spreadsheets: the .xlsx opens in Excel or LibreOffice with a sheet per facility; CSV files use ',' and a decimal point.",
            "Booking systems: the FHIR (R4) files hold a free Slot per consultation day to book patients into.",
        ],
    }
}
