//! A (stacked) bar chart as accessible SVG.

use crate::dto::ChartView;
use plotters::prelude::*;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

/// One coloured series of bar values, one value per category.
pub struct Series {
    pub name: String,
    pub values: Vec<u64>,
    pub colour: (u8, u8, u8),
}

/// Draws `series` stacked over `labels`. `id` names the SVG's title element.
pub fn bar_chart(
    id: &str,
    title: &str,
    y_label: &str,
    labels: &[String],
    series: &[Series],
    label_column: &str,
) -> ChartView {
    let totals: Vec<u64> = (0..labels.len())
        .map(|i| {
            series
                .iter()
                .map(|s| s.values.get(i).copied().unwrap_or(0))
                .sum()
        })
        .collect();
    let max = totals.iter().copied().max().unwrap_or(0).max(1);
    let svg = drawn(id, title, y_label, labels, series, || {
        accessible(
            &draw(labels, series, max, y_label).unwrap_or_default(),
            id,
            title,
        )
    });
    ChartView {
        title: title.to_string(),
        svg,
        columns: std::iter::once(label_column.to_string())
            .chain(series.iter().map(|s| s.name.clone()))
            .collect(),
        rows: labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                (
                    l.clone(),
                    series
                        .iter()
                        .map(|s| s.values.get(i).copied().unwrap_or(0))
                        .collect(),
                )
            })
            .collect(),
    }
}

/// SVGs drawn already, by everything they are drawn from. Drawing is most of a chart's cost, and
/// the same inputs recur: a workload's layer chart has a few hundred possible inputs across any
/// organization. Bounded: emptied when full, so stale inputs cannot pile up.
static DRAWN: LazyLock<Mutex<HashMap<String, String>>> = LazyLock::new(Default::default);
const DRAWN_LIMIT: usize = 256;

fn drawn(
    id: &str,
    title: &str,
    y_label: &str,
    labels: &[String],
    series: &[Series],
    draw: impl FnOnce() -> String,
) -> String {
    let mut key = format!("{id}\0{title}\0{y_label}\0{labels:?}");
    for s in series {
        key.push_str(&format!("\0{}{:?}{:?}", s.name, s.values, s.colour));
    }
    if let Some(svg) = DRAWN.lock().ok().and_then(|d| d.get(&key).cloned()) {
        return svg;
    }
    let svg = draw();
    if let Ok(mut d) = DRAWN.lock() {
        if d.len() >= DRAWN_LIMIT {
            d.clear();
        }
        d.insert(key, svg.clone());
    }
    svg
}

fn draw(labels: &[String], series: &[Series], max: u64, y_label: &str) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 340)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let n = labels.len().max(1);
        // A segmented axis over a single value has no width (its one bar would be drawn with
        // a negative one): one bar gets an empty slot beside it.
        let slots = n.max(2);
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d(
                (0..slots - 1).into_segmented(),
                0u64..(max + max.div_ceil(10)),
            )
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .y_desc(y_label)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .label_style(("sans-serif", 13))
            .draw()
            .map_err(|e| e.to_string())?;
        let mut base = vec![0u64; n];
        for s in series {
            let colour = RGBColor(s.colour.0, s.colour.1, s.colour.2);
            let bars: Vec<Rectangle<(SegmentValue<usize>, u64)>> = (0..n)
                .map(|i| {
                    let v = s.values.get(i).copied().unwrap_or(0);
                    let low = base[i];
                    base[i] += v;
                    let mut r = Rectangle::new(
                        [
                            (SegmentValue::Exact(i), low),
                            (SegmentValue::Exact(i + 1), low + v),
                        ],
                        colour.filled(),
                    );
                    r.set_margin(0, 0, 14, 14);
                    r
                })
                .collect();
            chart
                .draw_series(bars)
                .map_err(|e| e.to_string())?
                .label(s.name.clone())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 10, y + 5)], colour.filled())
                });
        }
        if series.len() > 1 {
            chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.9))
                .border_style(BLACK.mix(0.3))
                .label_font(("sans-serif", 13))
                .position(SeriesLabelPosition::UpperRight)
                .draw()
                .map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// Gives the SVG an accessible name: `role="img"` labelled by a `<title>`.
fn accessible(svg: &str, id: &str, title: &str) -> String {
    let Some(open_end) = svg
        .find("<svg")
        .and_then(|s| svg[s..].find('>').map(|e| s + e))
    else {
        return svg.to_string();
    };
    let escaped = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "{} role=\"img\" aria-labelledby=\"{id}-title\"><title id=\"{id}-title\">{escaped}</title>{}",
        &svg[..open_end],
        &svg[open_end + 1..]
    )
}
