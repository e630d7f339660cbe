use super::*;

fn sample() -> Vec<(String, Phase, u64)> {
    vec![
        ("Risk & Fraud".into(), Phase::Prototype, 2),
        ("Risk & Fraud".into(), Phase::Scale, 2),
        ("Platform ML".into(), Phase::Production, 3),
        ("Platform ML".into(), Phase::Prototype, 1),
    ]
}

#[test]
fn phase_by_team_chart_has_its_name_and_table() {
    let c = workloads_by_phase_and_team(&sample());
    assert!(c
        .svg
        .contains(r#"role="img" aria-labelledby="chart-phase-team-title""#));
    assert!(c
        .svg
        .contains("<title id=\"chart-phase-team-title\">Workloads by team and phase</title>"));
    assert!(
        c.svg.contains("Risk &amp; Fraud") || c.svg.contains("Risk &#38; Fraud"),
        "team names are drawn, escaped"
    );
    assert_eq!(c.columns, vec!["Team", "Prototype", "Production", "Scale"]);
    assert_eq!(
        c.rows,
        vec![
            ("Platform ML".to_string(), vec![1, 3, 0]),
            ("Risk & Fraud".to_string(), vec![2, 0, 2])
        ]
    );
    insta::assert_snapshot!("phase_by_team", c.svg);
}

#[test]
fn layer_chart_counts_required_controls() {
    let c = required_by_layer(&[Layer::Data, Layer::Data, Layer::Organizational]);
    assert_eq!(c.rows[0], ("Data".to_string(), vec![2]));
    assert_eq!(c.rows[4], ("Organizational".to_string(), vec![1]));
    assert!(c.svg.starts_with("<svg") && c.svg.contains("Required controls by layer"));
    insta::assert_snapshot!("required_by_layer", c.svg);
}

#[test]
fn a_chart_of_one_team_draws_its_bars_with_a_width() {
    // What a contributor of one team sees on the overview.
    let c = workloads_by_phase_and_team(&[("Risk & Fraud".into(), Phase::Prototype, 3)]);
    let widths: Vec<i64> = c
        .svg
        .split("<rect ")
        .skip(1)
        .filter_map(|r| r.split("width=\"").nth(1)?.split('"').next()?.parse().ok())
        .collect();
    assert!(
        widths.iter().all(|w| *w >= 0),
        "no negative width: {widths:?}"
    );
    // The background is 720 wide and legend keys 10: a bar is in between.
    assert!(widths.iter().any(|w| (100..720).contains(w)), "{widths:?}");
}

#[test]
fn an_empty_chart_still_renders() {
    let c = workloads_by_phase_and_team(&[]);
    assert!(c.svg.contains("<svg") && c.rows.is_empty());
}

#[test]
fn a_chart_of_the_same_numbers_is_reused_and_other_numbers_are_drawn_anew() {
    let first = required_by_layer(&[Layer::Data, Layer::Model]);
    let again = required_by_layer(&[Layer::Data, Layer::Model]);
    let other = required_by_layer(&[Layer::Data, Layer::Data]);
    assert_eq!(first, again);
    assert_ne!(first.svg, other.svg, "other numbers are drawn, not reused");
    assert_eq!(other.rows[0], ("Data".to_string(), vec![2]));
}
