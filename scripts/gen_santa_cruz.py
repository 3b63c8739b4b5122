#!/usr/bin/env python3
"""Generate scenarios/santa-cruz from data/santa-cruz (localities and roads).

Deterministic: the same inputs give byte-identical files (fixed seed, sorted
output). Everything that is not in data/santa-cruz is a documented planning
assumption, listed in scenarios/santa-cruz/README.md; approximate figures keep
an `approx` note in the `notes` column.

Usage: python3 scripts/gen_santa_cruz.py [--data DIR] [--out DIR]
"""

import argparse
import csv
import datetime as dt
import random
import re
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 20270301
START = dt.date(2027, 3, 1)
WEEKS = 52

# Argentine national holidays in the horizon (Law 27.399). Movable ones are
# already moved (Tue/Wed -> previous Monday, Thu/Fri -> next Monday). Bridge
# days ("feriados puente") are set yearly by decree and are not included.
HOLIDAYS = [
    ("2027-03-24", "Día Nacional de la Memoria por la Verdad y la Justicia"),
    ("2027-03-26", "Viernes Santo"),
    ("2027-04-02", "Día del Veterano y de los Caídos en la Guerra de Malvinas"),
    ("2027-05-01", "Día del Trabajador"),
    ("2027-05-25", "Día de la Revolución de Mayo"),
    ("2027-06-20", "Paso a la Inmortalidad del General Manuel Belgrano"),
    ("2027-06-21", "Paso a la Inmortalidad del General Martín Miguel de Güemes (trasladado del 17/6)"),
    ("2027-07-09", "Día de la Independencia"),
    ("2027-08-16", "Paso a la Inmortalidad del General José de San Martín (trasladado del 17/8)"),
    ("2027-10-11", "Día del Respeto a la Diversidad Cultural (trasladado del 12/10)"),
    ("2027-11-20", "Día de la Soberanía Nacional"),
    ("2027-12-08", "Inmaculada Concepción de María"),
    ("2027-12-25", "Navidad"),
    ("2028-01-01", "Año Nuevo"),
]

# id, name, patients/day, min days, max days, min spacing (weeks), max gap
# (weeks), waiting weight, waiting per 1000 inhabitants, referrals per 1000
# inhabitants per year, smallest town served. Planning assumptions, not
# official rates (see README).
SPECIALTIES = [
    ("cardiology", "Cardiología", 12, 1, 3, 3, 8, 1.3, 4.0, 12.0, 0),
    ("pediatrics", "Pediatría", 16, 1, 3, 2, 6, 1.5, 6.0, 24.0, 0),
    ("gynecology", "Ginecología", 14, 1, 3, 3, 8, 1.2, 5.0, 18.0, 0),
    ("traumatology", "Traumatología", 14, 1, 3, 3, 8, 1.0, 4.0, 14.0, 1500),
    ("ophthalmology", "Oftalmología", 16, 1, 3, 4, 12, 1.0, 5.0, 14.0, 1500),
    ("ent", "Otorrinolaringología", 14, 1, 2, 4, 12, 0.8, 3.0, 8.0, 3000),
    ("dermatology", "Dermatología", 16, 1, 2, 4, 12, 0.8, 4.0, 11.0, 1500),
    ("psychiatry", "Psiquiatría", 8, 1, 2, 2, 6, 1.4, 3.0, 8.0, 0),
    ("child-psychiatry", "Psiquiatría Infantojuvenil", 6, 1, 2, 3, 8, 1.5, 1.5, 4.0, 3000),
    ("neurology", "Neurología", 10, 1, 2, 4, 12, 1.0, 2.0, 6.0, 3000),
    ("endocrinology", "Endocrinología", 12, 1, 2, 4, 12, 1.0, 3.0, 9.0, 1500),
    ("gastroenterology", "Gastroenterología", 10, 1, 2, 4, 12, 1.0, 2.5, 7.0, 3000),
    ("rheumatology", "Reumatología", 10, 1, 2, 4, 12, 0.8, 1.5, 4.0, 3000),
    ("urology", "Urología", 12, 1, 2, 4, 12, 0.9, 2.0, 6.0, 3000),
]
# Specialties that need equipment a health post or CSS office lacks.
NEEDS_HOSPITAL = {"ophthalmology", "ent", "traumatology", "gynecology"}

# Records per specialty: (institution, base) in order; a person may appear in
# both institutions (see DUAL below). Bases: Río Gallegos (Sur) and Caleta
# Olivia (Norte), a few elsewhere.
RG, CO = "rio-gallegos", "caleta-olivia"
RECORDS = {
    "cardiology": [("ministry", RG), ("ministry", CO), ("css", CO), ("css", RG), ("ministry", "puerto-san-julian")],
    "pediatrics": [("ministry", RG), ("ministry", CO), ("ministry", "el-calafate"), ("css", CO), ("ministry", "puerto-san-julian"), ("css", RG)],
    "gynecology": [("ministry", RG), ("ministry", CO), ("css", CO), ("ministry", "las-heras"), ("css", RG)],
    "traumatology": [("ministry", RG), ("ministry", CO), ("css", CO), ("ministry", "puerto-deseado"), ("css", RG)],
    "ophthalmology": [("ministry", RG), ("ministry", CO), ("css", CO), ("ministry", "el-calafate"), ("css", RG)],
    "ent": [("ministry", RG), ("css", CO), ("ministry", CO)],
    "dermatology": [("ministry", RG), ("css", CO), ("css", RG), ("ministry", CO)],
    "psychiatry": [("ministry", RG), ("ministry", CO), ("css", CO), ("css", RG), ("ministry", "pico-truncado"), ("ministry", "el-calafate")],
    "child-psychiatry": [("ministry", RG), ("css", CO), ("ministry", CO)],
    "neurology": [("ministry", RG), ("css", CO), ("ministry", CO), ("css", RG)],
    "endocrinology": [("ministry", RG), ("css", CO), ("css", RG), ("ministry", CO)],
    "gastroenterology": [("ministry", RG), ("css", CO), ("ministry", CO)],
    "rheumatology": [("ministry", RG), ("css", CO), ("css", RG)],
    "urology": [("ministry", RG), ("css", CO), ("ministry", CO), ("css", RG)],
}
# (specialty, ministry record index, css record index) held by one person.
DUAL = [
    ("cardiology", 1, 2), ("cardiology", 0, 3), ("pediatrics", 1, 3),
    ("gynecology", 1, 2), ("traumatology", 1, 2), ("ophthalmology", 1, 2),
    ("psychiatry", 1, 2), ("psychiatry", 0, 3), ("endocrinology", 3, 1),
    ("neurology", 2, 1),
]

FIRST = ["María", "Juan", "Laura", "Carlos", "Ana", "Diego", "Silvia", "Martín", "Paula", "Jorge",
         "Verónica", "Pablo", "Gabriela", "Luis", "Carolina", "Sergio", "Mariana", "Fernando",
         "Natalia", "Ricardo", "Lucía", "Gustavo", "Florencia", "Hernán", "Romina", "Marcelo",
         "Valeria", "Alejandro", "Soledad", "Daniel"]
LAST = ["González", "Rodríguez", "Fernández", "López", "Martínez", "Pérez", "Gómez", "Díaz",
        "Sosa", "Romero", "Álvarez", "Torres", "Ruiz", "Ramírez", "Flores", "Benítez", "Acosta",
        "Medina", "Herrera", "Aguirre", "Giménez", "Molina", "Castro", "Ortiz", "Silva", "Vera",
        "Luna", "Ríos", "Cabrera", "Morales"]

# Seasonal closures (approximate, from data/santa-cruz/README.md).
CLOSURES = {
    frozenset({"perito-moreno", "bajo-caracoles"}): "2027-07-05..2027-07-09;2027-07-19..2027-07-23",
    frozenset({"tres-lagos", "comandante-luis-piedra-buena"}): "2027-06-14..2027-08-27",
    frozenset({"lago-posadas", "los-antiguos"}): "2027-06-01..2027-09-30",
}



# Supply logistics: planning assumptions, not sourced figures (see README).
KITS = {  # specialty: (kg per consultation day, m3 per day, cold chain)
    "cardiology": (15, 0.06, False), "pediatrics": (20, 0.08, True),
    "gynecology": (18, 0.07, False), "traumatology": (25, 0.10, False),
    "ophthalmology": (10, 0.04, False), "ent": (8, 0.03, False),
    "dermatology": (8, 0.03, False), "psychiatry": (6, 0.02, False),
    "child-psychiatry": (5, 0.02, False), "neurology": (8, 0.03, False),
    "endocrinology": (12, 0.04, True), "gastroenterology": (10, 0.04, False),
    "rheumatology": (10, 0.04, True), "urology": (10, 0.04, False),
}
DEPOT_LOCALITIES = ("rio-gallegos", "caleta-olivia")


def logistics_lines(locs):
    out = [
        "logistics:              # planning assumptions; see README.md",
        "  lead_days: 7          # a kit may arrive up to 7 days before its visit",
        "  unload_minutes: 30",
        "  driving_hours_per_day: 9",
        "  departure_time: 07:00",
        "  kit_with_specialist: { max_kg: 25, max_m3: 0.1, cold_chain: true }  # a cooler bag travels with them",
        "  depots:",
        "    - { id: deposito-sur, name: Depósito Central de Medicamentos Río Gallegos, locality: rio-gallegos }",
        "    - { id: deposito-norte, name: Depósito Zona Norte Caleta Olivia, locality: caleta-olivia }",
        "  vehicles:",
        "    - { id: frio-sur, depot: deposito-sur, capacity_kg: 1200, capacity_m3: 8, refrigerated: true, cost_per_km: 900, runs: [mon, thu], max_days: 3, max_km_per_day: 700 }",
        "    - { id: carga-sur, depot: deposito-sur, capacity_kg: 3500, capacity_m3: 20, cost_per_km: 750, runs: [tue], max_days: 4, max_km_per_day: 700 }",
        "    - { id: frio-norte, depot: deposito-norte, capacity_kg: 1200, capacity_m3: 8, refrigerated: true, cost_per_km: 900, runs: [mon, thu], max_days: 3, max_km_per_day: 700 }",
        "    - { id: carga-norte, depot: deposito-norte, capacity_kg: 3500, capacity_m3: 20, cost_per_km: 750, runs: [wed], max_days: 4, max_km_per_day: 700 }",
        "  kits:                 # per consultation day",
    ]
    for sid, (kg, m3, cold) in KITS.items():
        out.append(f"    - {{ specialty: {sid}, kg_per_day: {kg}, m3_per_day: {m3}, cold_chain: {str(cold).lower()} }}")
    out.append("  routine:              # monthly: medicines (by population) and vaccines (cold chain)")
    for l in locs:
        if l["id"] in DEPOT_LOCALITIES:
            continue
        pop = int(l["pop"] or 0)
        kg = max(40, round(pop / 50))
        cold = max(10, round(pop / 400))
        out.append(f"    - {{ locality: {l['id']}, kg: {kg}, m3: {round(kg / 200, 2)} }}")
        out.append(f"    - {{ locality: {l['id']}, kg: {cold}, m3: {round(cold / 150, 2)}, cold_chain: true }}")
    return out

def slug(name):
    name = re.sub(r"\(.*?\)", "", name)
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def population(raw):
    """Best estimate from the source's population column (marked approx)."""
    raw = raw.strip()
    m = re.match(r"~?(\d+)-(\d+)", raw.replace("~", ""))
    if m:
        return (int(m.group(1)) + int(m.group(2))) // 2
    if raw.startswith("<"):
        return int(raw[1:]) * 8 // 10
    m = re.search(r"\d+", raw)
    return int(m.group()) if m else 0


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def surface(raw):
    raw = raw.lower()
    if raw.startswith("paved"):
        return "paved"
    if raw.startswith("mixed"):
        return "mixed"
    if "older sources" in raw:
        return "mixed"  # RN40 Perito Moreno-Bajo Caracoles: paving in progress
    return "gravel"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=ROOT / "data" / "santa-cruz", type=Path)
    ap.add_argument("--out", default=ROOT / "scenarios" / "santa-cruz", type=Path)
    args = ap.parse_args()
    rng = random.Random(SEED)
    out = args.out
    out.mkdir(parents=True, exist_ok=True)

    # Localities ---------------------------------------------------------
    src = read_csv(args.data / "localities.csv")
    locs = []
    for r in src:
        lid = slug(r["name"])
        pop = population(r["pop_2010"])
        zone = r["zone"].replace("Centro(Sur)", "Centro")
        note = []
        if r["coord_src"] == "approx":
            note.append("coordinates approx")
        if "~" in r["pop_2010"] or "approx" in r["pop_note"] or not r["pop_2010"][0].isdigit():
            note.append("population approx")
        locs.append(dict(id=lid, name=r["name"], zone=zone, lat=r["lat"], lon=r["lon"], pop=pop,
                         facility=r["facility"], css=r["css"], note="; ".join(note)))
    by_id = {l["id"]: l for l in locs}
    write_csv(out / "localities.csv", ["id", "name", "zone", "lat", "lon", "population", "notes"],
              [[l["id"], l["name"], l["zone"], l["lat"], l["lon"], l["pop"], l["note"]] for l in locs])

    # Roads --------------------------------------------------------------
    roads = []
    for r in read_csv(args.data / "edges.csv"):
        a, b = slug(r["a"]), slug(r["b"])
        closed = CLOSURES.get(frozenset({a, b}), "")
        note = "km " + r["confidence"] + ("; closure dates approx" if closed else "")
        roads.append([a, b, r["km"], surface(r["surface"]), r["route"], closed, note])
    write_csv(out / "roads.csv", ["from", "to", "km", "surface", "route", "closed", "notes"], roads)

    # Facilities ---------------------------------------------------------
    facilities = []
    host = {}  # (locality, institution) -> (facility id, hosted specialties or None)
    for l in locs:
        f = l["facility"].lower()
        if not f or f.startswith("none"):
            continue
        if "regional" in f:
            kind, rooms = "hospital", 3
        elif "hospital" in f:
            kind, rooms = "hospital", 3 if l["pop"] >= 10000 else 2
        else:
            kind, rooms = "health post", 1
        specs = "" if kind == "hospital" else ";".join(s[0] for s in SPECIALTIES if s[0] not in NEEDS_HOSPITAL)
        fid = "hosp-" + l["id"] if kind == "hospital" else "post-" + l["id"]
        name = re.sub(r"\s*\(.*?\)", "", l["facility"]).split("+")[0].strip()
        if name.lower() in ("hospital distrital", "puesto sanitario", "puesto/centro de salud"):
            name = f"{name[0].upper()}{name[1:]} {l['name']}"
        facilities.append([fid, name, l["id"], "ministry", kind, rooms, specs,
                           "name/kind approx" if "approx" in f else ""])
        host[(l["id"], "ministry")] = (fid, None if not specs else set(specs.split(";")))
        c = l["css"].lower()
        if c.startswith(("yes", "delegacion")):
            cid = "css-" + l["id"]
            cspecs = ";".join(s[0] for s in SPECIALTIES if s[0] not in NEEDS_HOSPITAL)
            crooms = 2 if "consultorios" in c else 1
            cname = "CSS Consultorios Externos Zona Norte" if "consultorios" in c else "CSS Delegación " + l["name"]
            facilities.append([cid, cname, l["id"], "css", "office", crooms, cspecs, ""])
            host[(l["id"], "css")] = (cid, set(cspecs.split(";")))
    write_csv(out / "facilities.csv",
              ["id", "name", "locality", "institution", "kind", "rooms_per_day", "specialties", "notes"],
              facilities)

    def facility_for(loc, spec, inst):
        """The facility an institution would book: its own office if it can host, else the hospital."""
        for who in (inst, "ministry"):
            f = host.get((loc, who))
            if f and (f[1] is None or spec in f[1]):
                return f[0]
        return None

    # Demand -------------------------------------------------------------
    bases = {RG, CO}
    demand = []
    demand_towns = {}
    for l in locs:
        if l["id"] in bases or not any(k[0] == l["id"] for k in host):
            continue
        for (sid, _n, _ppd, _lo, _hi, _sp, _gap, _w, wait, refs, min_pop) in SPECIALTIES:
            if l["pop"] < min_pop or facility_for(l["id"], sid, "ministry") is None:
                continue
            # Small towns also draw patients from their surroundings: at least 400.
            catchment = max(l["pop"], 400)
            waiting = round(catchment * wait / 1000)
            weekly = round(catchment * refs / 1000 / 52, 2)
            if waiting == 0 and weekly < 0.05:
                continue
            demand.append([l["id"], sid, waiting, weekly])
            demand_towns.setdefault(sid, []).append(l["id"])
    write_csv(out / "demand.csv", ["locality", "specialty", "waiting", "weekly_referrals"], demand)

    # Specialists --------------------------------------------------------
    names = [(f, l) for l in LAST for f in FIRST]
    rng.shuffle(names)
    dual_person = {}
    for n, (spec, mi, ci) in enumerate(DUAL):
        dual_person[(spec, mi)] = n
        dual_person[(spec, ci)] = n
    specialists = []
    persons = {}
    person_leave = {}
    for spec, recs in RECORDS.items():
        for i, (inst, base) in enumerate(recs):
            key = dual_person.get((spec, i))
            pkey = ("dual", key) if key is not None else (spec, i)
            if pkey not in persons:
                first, last = names[len(persons)]
                dni = str(20_000_000 + rng.randrange(25_000_000))
                persons[pkey] = (dni, f"{first} {last}")
                # Summer or winter holidays, plus a training week for some.
                if rng.random() < 0.6:
                    d0 = dt.date(2028, 1, 3) + dt.timedelta(weeks=rng.randrange(4))
                    leave = [(d0, d0 + dt.timedelta(days=13))]
                else:
                    d0 = dt.date(2027, 7, 12) + dt.timedelta(weeks=rng.randrange(2))
                    leave = [(d0, d0 + dt.timedelta(days=13))]
                if rng.random() < 0.3:
                    d1 = START + dt.timedelta(weeks=rng.randrange(8, 40))
                    leave.append((d1, d1 + dt.timedelta(days=4)))
                person_leave[pkey] = leave
            dni, name = persons[pkey]
            rid = f"{'m' if inst == 'ministry' else 'c'}-{spec}-{i + 1}"
            leave = person_leave[pkey]
            # A person's leave is usually filed with both employers, but not always.
            if key is not None and inst == "css" and key % 4 == 0:
                leave = leave[:1]
            unavailable = ";".join(f"{a}..{b}" for a, b in leave)
            trips = 2 if inst == "css" and key is not None else rng.choice([2, 3, 3, 4])
            days = rng.choice([6, 8, 8, 10])
            specialists.append(dict(record=rid, person=dni, name=name, inst=inst, spec=spec, base=base,
                                    unavailable=unavailable, trips=trips, days=days, pkey=pkey))
    write_csv(out / "specialists.csv",
              ["record", "person", "name", "institution", "specialty", "base", "unavailable",
               "max_trips_per_month", "max_days_away_per_month"],
              [[s["record"], s["person"], s["name"], s["inst"], s["spec"], s["base"], s["unavailable"],
                s["trips"], s["days"]] for s in specialists])

    # Existing calendars -------------------------------------------------
    # Each institution plans its own rotation without looking at the other:
    # every record cycles through the towns of its zone (CSS: the delegations
    # of Zona Norte first), a trip every few weeks, usually avoiding holidays
    # and the leave it knows about. Collisions follow from the separation.
    holidays = {dt.date.fromisoformat(d) for d, _ in HOLIDAYS}
    north = {l["id"] for l in locs if l["zone"] == "Norte"}
    spec_info = {s[0]: s for s in SPECIALTIES}
    calendars = {"ministry": [], "css": []}
    counters = {"ministry": 0, "css": 0}
    for s in specialists:
        spec = spec_info[s["spec"]]
        towns = [t for t in demand_towns.get(s["spec"], [])
                 if facility_for(t, s["spec"], s["inst"]) is not None]
        in_north = s["base"] in north
        towns = [t for t in towns if (t in north) == in_north] or towns
        if s["inst"] == "css":
            towns.sort(key=lambda t: (host.get((t, "css")) is None, t))
        else:
            towns.sort(key=lambda t: -by_id[t]["pop"])
        if not towns:
            continue
        if s["pkey"][0] == "dual":
            # Each employer books its half of the person's time, monthly-ish;
            # without a shared calendar the two rhythms meet every few months.
            period, offset = (4, 0) if s["inst"] == "ministry" else (5, 2)
        else:
            period = rng.choice([2, 3, 3, 4])
            offset = rng.randrange(period)
        # Records of one specialty start their rotation at different towns.
        k = sum(1 for o in specialists[: specialists.index(s)] if o["spec"] == s["spec"]) * 2
        leave = [tuple(dt.date.fromisoformat(x) for x in r.split("..")) for r in s["unavailable"].split(";") if r]
        for week in range(offset, WEEKS, period):
            monday = START + dt.timedelta(weeks=week)
            weekday = rng.choice([0, 0, 1, 2])
            day0 = monday + dt.timedelta(days=weekday)
            ndays = min(spec[4], rng.choice([2, 2, 3]), 5 - weekday)
            dates = [day0 + dt.timedelta(days=j) for j in range(ndays)]
            careful = rng.random() < 0.9
            if careful and (any(d in holidays for d in dates)
                            or any(a <= d <= b for d in dates for a, b in leave)):
                continue
            town = towns[k % len(towns)]
            k += 1
            counters[s["inst"]] += 1
            vid = f"{'M' if s['inst'] == 'ministry' else 'C'}{counters[s['inst']]:04d}"
            status = "confirmed" if week < 17 else "tentative"
            calendars[s["inst"]].append([vid, s["record"], town, facility_for(town, s["spec"], s["inst"]),
                                         day0.isoformat(), ndays, status])
    for inst, rows in calendars.items():
        rows.sort(key=lambda r: (r[4], r[0]))
        write_csv(out / f"calendar-{inst}.csv",
                  ["id", "specialist", "locality", "facility", "start", "days", "status"], rows)

    # scenario.yaml ------------------------------------------------------
    lines = [
        "# Santa Cruz (Argentina), 52 weeks from 2027-03-01.",
        "# Generated by scripts/gen_santa_cruz.py from data/santa-cruz; see README.md",
        "# beside this file for what is sourced and what is a planning assumption.",
        "name: Santa Cruz 2027-28",
        "horizon:",
        "  start: 2027-03-01",
        f"  weeks: {WEEKS}",
        "  working_days: [mon, tue, wed, thu, fri]",
        "  time_zone: America/Argentina/Rio_Gallegos",
        "  holidays:",
    ]
    lines += [f"    - {{ date: {d}, name: \"{n}\" }}" for d, n in HOLIDAYS]
    lines += [
        "institutions:",
        "  - { id: ministry, name: Ministerio de Salud y Ambiente de Santa Cruz }",
        "  - { id: css, name: Caja de Servicios Sociales }",
        "specialties:",
    ]
    for (sid, name, ppd, lo, hi, sp, gap, w, *_rest) in SPECIALTIES:
        lines.append(f"  - {{ id: {sid}, name: {name}, patients_per_day: {ppd}, min_days: {lo}, "
                     f"max_days: {hi}, min_spacing_weeks: {sp}, max_gap_weeks: {gap}, waiting_weight: {w} }}")
    lines += [
        "travel:",
        "  speed_kmh: { paved: 85, gravel: 50, mixed: 65 }",
        "  max_driving_hours_per_day: 8",
        "costs:",
        "  currency: ARS",
        "  per_km: 450          # fuel, tyres and wear of an official car (approx)",
        "  per_night: 75000     # viático with lodging (approx)",
        "weights:",
        "  patient_week: 30000  # value of one patient waiting one more week",
        "  change_confirmed: 400000",
        "  coverage_gap_week: 150000",
        "publish:",
        "  consultation_hours: 08:00-14:00   # local time; timed events and FHIR slots",
        "  all_day: false",
        "  patient_note: Traer la derivación del médico de cabecera, el DNI y la credencial de la obra social si la tiene.",
    ]
    lines += logistics_lines(locs)
    lines.append("")
    (out / "scenario.yaml").write_text("\n".join(lines), encoding="utf-8")
    total = sum(len(r) for r in calendars.values())
    print(f"wrote {out}: {len(locs)} localities, {len(roads)} roads, {len(facilities)} facilities, "
          f"{len(specialists)} records of {len(persons)} persons, {len(demand)} waiting lists, "
          f"{total} existing visits")


if __name__ == "__main__":
    main()
