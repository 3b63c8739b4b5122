//! "Listas desatendidas y por qué": the waiting lists a plan leaves longer
//! than their maximum gap, each with what kept the persons who could have
//! gone (`plan::explain`), in the planner's words.

use super::esc;
use crate::export::Lang;
use crate::export::lookup::Names;
use crate::model::Scenario;
use crate::plan::explain::Explanation;

/// Lists shown in the report, worst first.
const SHOWN: usize = 15;

/// The report's section (empty when no list goes beyond its gap).
pub fn section(s: &Scenario, found: &[Explanation], lang: Lang) -> String {
    if found.is_empty() {
        return String::new();
    }
    let names = Names::new(s);
    let mut h = format!(
        "<section>\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n<ul>\n",
        esc(lang.pick("Listas desatendidas y por qué", "Lists left waiting, and why")),
        esc(&lang.fill(
            "{} listas pasan más que su máximo sin visita; las {} peores, con lo que hacían las personas que podían ir en esas semanas (`itinera explain` las da todas).",
            "{} lists go longer than their maximum without a visit; the {} worst, with what the persons who could go were doing in those weeks (`itinera explain` gives them all).",
            &[&found.len(), &found.len().min(SHOWN)]
        ))
    );
    for e in found.iter().take(SHOWN) {
        h += &format!("<li>{}</li>\n", esc(&sentence(s, &names, e, lang)));
    }
    h += "</ul>\n</section>\n";
    h
}

/// One list's explanation in a sentence, with its numbers.
pub fn sentence(s: &Scenario, names: &Names<'_>, e: &Explanation, lang: Lang) -> String {
    let (town, specialty) = (
        names.locality_name(&e.locality),
        names.specialty_name(&e.specialty),
    );
    let head = if e.length == 0 {
        lang.fill(
            "{} — {}: visitada todas las semanas.",
            "{} — {}: visited every week.",
            &[&town, &specialty],
        )
    } else {
        let (from, to) = (
            s.horizon.week_start(e.weeks.0),
            s.horizon.week_start(e.weeks.1),
        );
        lang.fill(
            "{} — {}: {} semanas sin visita (del {} a la semana del {}; máximo {}).",
            "{} — {}: {} weeks without a visit (from {} to the week of {}; maximum {}).",
            &[
                &town,
                &specialty,
                &e.length,
                &lang.date(from),
                &lang.date(to),
                &e.max_gap,
            ],
        )
    };
    if e.unreachable() {
        return head
            + " "
            + &lang.fill(
                "Ningún legajo de {} puede llegar dentro de los días hábiles de una semana: hace falta un especialista con base más cerca o una ruta más corta.",
                "No {} record can get there within a week's working days: it needs a specialist based closer or a shorter route.",
                &[&specialty],
            );
    }
    if e.length == 0 {
        return head;
    }
    let mut places: Vec<(&String, &u32)> = e.went_to.iter().collect();
    places.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let places: Vec<String> = places
        .iter()
        .take(4)
        .map(|(l, n)| format!("{} ({n})", names.locality_name(l)))
        .collect();
    head + " "
        + &lang.fill(
            "{} persona(s) pueden llegar; de sus semanas: {} de licencia o feriado, {} con el camino cortado, {} en otros viajes{}, {} con el límite mensual cubierto, {} sin consultorio libre, {} libres sin enviar (el plan usó esas semanas donde más reducían la espera).",
            "{} person(s) can get there; of their weeks: {} on leave or a holiday, {} with the road closed, {} on other trips{}, {} at the monthly limit, {} without a free room, {} free and not sent (the plan used those weeks where they cut waiting most).",
            &[
                &e.persons,
                &e.unavailable,
                &e.road_closed,
                &e.elsewhere,
                &if places.is_empty() { String::new() } else { format!(" ({})", places.join(", ")) },
                &e.monthly_limit,
                &e.rooms_full,
                &e.free,
            ],
        )
}
