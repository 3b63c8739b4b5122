//! The report's charts, drawn with plotters into inline SVG (no scripts,
//! no fonts to fetch: the browser renders the text).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A chart's SVG, or why plotters could not draw it.
pub type Svg = Result<String, String>;

/// Twenty distinguishable colours (Tableau 20), one per specialty.
pub const PALETTE: [(u8, u8, u8); 20] = [
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
    (174, 199, 232),
    (255, 187, 120),
    (152, 223, 138),
    (255, 152, 150),
    (197, 176, 213),
    (196, 156, 148),
    (247, 182, 210),
    (199, 199, 199),
    (219, 219, 141),
    (158, 218, 229),
];

/// Colour of the i-th series.
pub fn colour(i: usize) -> RGBColor {
    let (r, g, b) = PALETTE[i % PALETTE.len()];
    RGBColor(r, g, b)
}

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

fn draw(
    size: (u32, u32),
    f: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> Result<(), String>,
) -> Svg {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        f(&root)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// One bar of the Gantt chart.
pub struct Bar {
    /// Row (locality).
    pub row: usize,
    /// Lane within the row (specialty).
    pub lane: usize,
    /// First and last day, counted from the horizon start.
    pub days: (f64, f64),
    /// Institution index (0: circle marker, 1: triangle, others: cross).
    pub institution: usize,
}

/// Visits per locality over the year: a row per locality, a lane per
/// specialty, coloured by specialty, marked by institution.
pub fn gantt(
    rows: &[String],
    lanes: usize,
    horizon_days: f64,
    bars: &[Bar],
    months: &[(f64, String)],
    axis: &str,
) -> Svg {
    let lane_h = 4.0;
    let row_h = lane_h * (lanes as f64 + 1.0);
    let height = (rows.len() as f64 * row_h + 70.0).max(160.0) as u32;
    draw((1100, height), |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(170)
            .build_cartesian_2d(0f64..horizon_days, 0f64..rows.len() as f64 * row_h)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(0)
            .y_labels(0)
            .x_desc(axis)
            .draw()
            .map_err(err)?;
        // Row names, month names and grid lines placed by hand: mesh labels
        // fall at round numbers, not at row centres and month starts.
        let font = ("sans-serif", 12).into_font();
        let total = rows.len() as f64 * row_h;
        for (i, name) in rows.iter().enumerate() {
            let y = total - (i as f64 + 0.5) * row_h;
            let (px, py) = chart.backend_coord(&(0.0, y));
            let style = TextStyle::from(font.clone()).pos(Pos::new(HPos::Right, VPos::Center));
            root.draw(&Text::new(name.clone(), (px - 6, py), style))
                .map_err(err)?;
            let sep = total - i as f64 * row_h;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    [(0.0, sep), (horizon_days, sep)],
                    RGBColor(225, 225, 225).stroke_width(1),
                )))
                .map_err(err)?;
        }
        for (day, name) in months {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    [(*day, 0.0), (*day, total)],
                    RGBColor(200, 200, 200).stroke_width(1),
                )))
                .map_err(err)?;
            let (px, py) = chart.backend_coord(&(*day, 0.0));
            root.draw(&Text::new(name.clone(), (px + 3, py + 4), font.clone()))
                .map_err(err)?;
        }
        let top = |b: &Bar| {
            (rows.len() - 1 - b.row) as f64 * row_h + row_h - lane_h * (b.lane as f64 + 1.0)
        };
        chart
            .draw_series(bars.iter().map(|b| {
                let y = top(b);
                Rectangle::new(
                    [(b.days.0, y), (b.days.1 + 1.0, y + lane_h * 0.9)],
                    colour(b.lane).filled(),
                )
            }))
            .map_err(err)?;
        for b in bars {
            let at = (b.days.0 + 0.5, top(b) + lane_h * 0.45);
            let style = BLACK.mix(0.7).stroke_width(1);
            match b.institution {
                0 => chart
                    .plotting_area()
                    .draw(&Circle::new(at, 1, style))
                    .map_err(err)?,
                1 => chart
                    .plotting_area()
                    .draw(&TriangleMarker::new(at, 2, style))
                    .map_err(err)?,
                _ => chart
                    .plotting_area()
                    .draw(&Cross::new(at, 2, style))
                    .map_err(err)?,
            }
        }
        Ok(())
    })
}

/// One small chart of backlog over the weeks: status quo (grey, dashed)
/// against the plan (coloured).
pub fn backlog(
    title: &str,
    status_quo: &[f64],
    plan: &[f64],
    colour_index: usize,
    x_desc: &str,
) -> Svg {
    let top = status_quo.iter().chain(plan).cloned().fold(1.0, f64::max) * 1.08;
    let weeks = status_quo.len().max(plan.len()).max(1) as f64;
    draw((340, 220), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, ("sans-serif", 15))
            .margin(6)
            .x_label_area_size(36)
            .y_label_area_size(44)
            .build_cartesian_2d(0f64..weeks, 0f64..top)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(6)
            .y_labels(5)
            .x_desc(x_desc)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(DashedLineSeries::new(
                status_quo
                    .iter()
                    .enumerate()
                    .map(|(w, b)| (w as f64 + 1.0, *b)),
                5,
                4,
                RGBColor(110, 110, 110).stroke_width(2),
            ))
            .map_err(err)?;
        chart
            .draw_series(LineSeries::new(
                plan.iter().enumerate().map(|(w, b)| (w as f64 + 1.0, *b)),
                colour(colour_index).stroke_width(2),
            ))
            .map_err(err)?;
        Ok(())
    })
}

/// Several curves on one chart (plan comparison), with a legend.
pub fn curves(title: &str, series: &[(String, Vec<f64>)], x_desc: &str, y_desc: &str) -> Svg {
    let top = series
        .iter()
        .flat_map(|s| s.1.iter())
        .cloned()
        .fold(1.0, f64::max)
        * 1.08;
    let weeks = series.iter().map(|s| s.1.len()).max().unwrap_or(1).max(1) as f64;
    draw((900, 380), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(36)
            .y_label_area_size(70)
            .build_cartesian_2d(0f64..weeks, 0f64..top)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .y_desc(y_desc)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()
            .map_err(err)?;
        for (i, (name, values)) in series.iter().enumerate() {
            let c = colour(i);
            chart
                .draw_series(LineSeries::new(
                    values.iter().enumerate().map(|(w, b)| (w as f64 + 1.0, *b)),
                    c.stroke_width(2),
                ))
                .map_err(err)?
                .label(name.as_str())
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], c.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .border_style(BLACK)
            .background_style(WHITE.mix(0.9))
            .draw()
            .map_err(err)?;
        Ok(())
    })
}

/// One cell of the coverage heat map.
pub struct Cell {
    /// Row (locality) and column (specialty).
    pub at: (usize, usize),
    /// Longest run of weeks without a visit.
    pub weeks: u32,
    /// The specialty's max gap.
    pub max_gap: u32,
}

/// Coverage heat map: locality × specialty, the longest run without a visit
/// against the specialty's max gap (green well within, amber close, red at
/// or beyond); empty where there is no waiting list.
pub fn heatmap(rows: &[String], cols: &[String], cells: &[Cell]) -> Svg {
    let cw = 62.0;
    let ch = 22.0;
    let left = 170.0;
    let top = 150.0;
    let w = (left + cw * cols.len() as f64 + 20.0) as u32;
    let h = (top + ch * rows.len() as f64 + 20.0) as u32;
    draw((w, h), |root| {
        let font = ("sans-serif", 12).into_font();
        for (i, r) in rows.iter().enumerate() {
            let y = (top + ch * i as f64 + ch * 0.3) as i32;
            root.draw(&Text::new(r.clone(), (8, y), font.clone()))
                .map_err(err)?;
        }
        for (j, c) in cols.iter().enumerate() {
            let x = (left + cw * j as f64 + cw * 0.3) as i32;
            let style = font.clone().transform(FontTransform::Rotate270);
            root.draw(&Text::new(c.clone(), (x, (top - 6.0) as i32), style))
                .map_err(err)?;
        }
        for c in cells {
            let x0 = (left + cw * c.at.1 as f64) as i32;
            let y0 = (top + ch * c.at.0 as f64) as i32;
            let ratio = f64::from(c.weeks) / f64::from(c.max_gap.max(1));
            let fill = if ratio >= 1.0 {
                RGBColor(215, 48, 39)
            } else if ratio >= 0.75 {
                RGBColor(253, 174, 97)
            } else {
                RGBColor(102, 189, 99)
            };
            root.draw(&Rectangle::new(
                [(x0, y0), (x0 + cw as i32 - 2, y0 + ch as i32 - 2)],
                fill.filled(),
            ))
            .map_err(err)?;
            root.draw(&Text::new(
                format!("{}/{}", c.weeks, c.max_gap),
                (x0 + 14, y0 + 5),
                font.clone(),
            ))
            .map_err(err)?;
        }
        Ok(())
    })
}

/// A straight line between two (longitude, latitude) points.
pub type Segment = ((f64, f64), (f64, f64));

/// A place on the map.
pub struct Place {
    /// Name shown beside the dot.
    pub name: String,
    /// Longitude and latitude.
    pub at: (f64, f64),
    /// Population (dot size).
    pub population: f64,
}

/// Localities (dots sized by population), roads (grey) and the plan's
/// trips (blue, width by how many trips use a leg, straight between stops).
pub fn map(places: &[Place], roads: &[Segment], legs: &[(Segment, usize)]) -> Svg {
    let lon = places.iter().map(|p| p.at.0);
    let lat = places.iter().map(|p| p.at.1);
    let (x0, x1) = (
        lon.clone().fold(f64::MAX, f64::min),
        lon.fold(f64::MIN, f64::max),
    );
    let (y0, y1) = (
        lat.clone().fold(f64::MAX, f64::min),
        lat.fold(f64::MIN, f64::max),
    );
    let pad = 0.3;
    let (x0, x1, y0, y1) = (x0 - pad, x1 + pad * 3.0, y0 - pad, y1 + pad);
    // Equirectangular with the cosine of the mean latitude: shapes look right.
    let k = ((y0 + y1) / 2.0).to_radians().cos().abs().max(0.1);
    let h = 820.0;
    let w = (h * (x1 - x0) * k / (y1 - y0)).clamp(300.0, 1100.0);
    let most = legs.iter().map(|l| l.1).max().unwrap_or(1).max(1) as f64;
    draw((w as u32, h as u32), |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(10)
            .x_label_area_size(26)
            .y_label_area_size(40)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_label_formatter(&|x| format!("{x:.1}°"))
            .y_label_formatter(&|y| format!("{y:.1}°"))
            .draw()
            .map_err(err)?;
        for (a, b) in roads {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    [*a, *b],
                    RGBColor(190, 190, 190).stroke_width(1),
                )))
                .map_err(err)?;
        }
        for ((a, b), n) in legs {
            let width = 1 + (5.0 * (*n as f64 / most).sqrt()).round() as u32;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    [*a, *b],
                    RGBColor(31, 119, 180).mix(0.55).stroke_width(width),
                )))
                .map_err(err)?;
        }
        for p in places {
            let r = (2.0 + p.population.max(0.0).sqrt() / 40.0).min(12.0) as i32;
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at(p.at)
                        + Circle::new((0, 0), r, RGBColor(214, 39, 40).filled())
                        + Text::new(p.name.clone(), (r + 3, -6), ("sans-serif", 12).into_font()),
                ))
                .map_err(err)?;
        }
        Ok(())
    })
}

/// Horizontal stacked bars: one row per name, one segment per group.
pub fn workload(names: &[String], groups: &[String], values: &[Vec<f64>], x_desc: &str) -> Svg {
    let most = values
        .iter()
        .map(|v| v.iter().sum::<f64>())
        .fold(1.0, f64::max)
        * 1.1;
    let h = (names.len() as f64 * 16.0 + 90.0) as u32;
    let n = names.len();
    draw((900, h), |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(10)
            .x_label_area_size(32)
            .y_label_area_size(200)
            .build_cartesian_2d(0f64..most, 0f64..n as f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_desc(x_desc)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .draw()
            .map_err(err)?;
        let font = TextStyle::from(("sans-serif", 12).into_font())
            .pos(Pos::new(HPos::Right, VPos::Center));
        for (i, name) in names.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(0.0, (n - 1 - i) as f64 + 0.5));
            root.draw(&Text::new(name.clone(), (px - 6, py), font.clone()))
                .map_err(err)?;
        }
        for (g, gname) in groups.iter().enumerate() {
            let c = colour(g);
            chart
                .draw_series(values.iter().enumerate().map(|(i, v)| {
                    let start: f64 = v[..g].iter().sum();
                    let y = (n - 1 - i) as f64;
                    Rectangle::new([(start, y + 0.15), (start + v[g], y + 0.85)], c.filled())
                }))
                .map_err(err)?
                .label(gname.as_str())
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], c.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .border_style(BLACK)
            .background_style(WHITE.mix(0.9))
            .draw()
            .map_err(err)?;
        Ok(())
    })
}

/// One point of the trade-off frontier: what it uses (x), its plan's value
/// and its proven bound (y).
pub struct FrontierPoint {
    /// Km or travel cost.
    pub x: f64,
    /// The plan's value (objective, or patient-weeks).
    pub y: f64,
    /// The proven bound on the value, when there is one.
    pub bound: Option<f64>,
}

/// The frontier: each plan as a dot joined to the next, with a bar down to
/// its proven bound (how certain it is), and labelled marks (the status
/// quo) as squares.
pub fn frontier(
    points: &[FrontierPoint],
    marks: &[(String, f64, f64)],
    x_desc: &str,
    y_desc: &str,
) -> Svg {
    let xs = points.iter().map(|p| p.x).chain(marks.iter().map(|m| m.1));
    let ys = points
        .iter()
        .flat_map(|p| [Some(p.y), p.bound])
        .flatten()
        .chain(marks.iter().map(|m| m.2));
    let right = xs.fold(1.0, f64::max) * 1.05;
    let top = ys.fold(1.0, f64::max) * 1.08;
    draw((900, 420), |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(90)
            .build_cartesian_2d(0f64..right, 0f64..top)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .y_desc(y_desc)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.3e}"))
            .draw()
            .map_err(err)?;
        let c = colour(0);
        chart
            .draw_series(LineSeries::new(
                points.iter().map(|p| (p.x, p.y)),
                c.stroke_width(2),
            ))
            .map_err(err)?;
        chart
            .draw_series(
                points
                    .iter()
                    .map(|p| Circle::new((p.x, p.y), 4, c.filled())),
            )
            .map_err(err)?;
        chart
            .draw_series(points.iter().filter_map(|p| {
                let b = p.bound?;
                Some(PathElement::new(
                    [(p.x, p.y), (p.x, b)],
                    colour(7).stroke_width(3),
                ))
            }))
            .map_err(err)?;
        chart
            .draw_series(marks.iter().map(|(name, x, y)| {
                EmptyElement::at((*x, *y))
                    + Rectangle::new([(-5, -5), (5, 5)], colour(3).filled())
                    + Text::new(name.clone(), (8, -14), ("sans-serif", 13).into_font())
            }))
            .map_err(err)?;
        Ok(())
    })
}
