//! Centre lines and sigma of each chart, computed from a segment's baseline points.

use super::Chart;

/// The XmR constant: limits at the mean ± 2.66 × the average moving range (3/d₂, d₂ = 1.128).
pub const XMR_LIMIT: f64 = 2.66;

/// Moving ranges above this multiple of their average are excluded when screening (the upper
/// range limit of an mR chart, D₄ = 3.267).
pub const MOVING_RANGE_SCREEN: f64 = 3.267;

/// d₂ for subgroups of two: the expected moving range of a unit normal variable (Laney's σ_z).
pub const D2: f64 = 1.128;

/// What the baseline of one segment gives: the centre and the sigma of each point.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SegmentLimits {
    /// The centre line (the mean, c̄ or ū).
    pub centre: f64,
    /// Sigma at each point of the segment (constant except on u and u′ charts).
    pub sigma: Vec<f64>,
    /// The average moving range used (XmR; of the z-scores for u′).
    pub mean_moving_range: Option<f64>,
    /// Moving ranges excluded by screening.
    pub excluded_moving_ranges: usize,
    /// Laney's σ_z (u′ only).
    pub sigma_z: Option<f64>,
}

/// The average moving range of `values`, and how many ranges screening excluded.
fn mean_moving_range(values: &[f64], screen: bool) -> (f64, usize) {
    let ranges: Vec<f64> = values.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
    let mean = ranges.iter().sum::<f64>() / ranges.len() as f64;
    if !screen {
        return (mean, 0);
    }
    let kept: Vec<f64> = ranges
        .iter()
        .copied()
        .filter(|&r| r <= MOVING_RANGE_SCREEN * mean)
        .collect();
    // At least one range is at or below the mean, so `kept` is never empty.
    let screened = kept.iter().sum::<f64>() / kept.len() as f64;
    (screened, ranges.len() - kept.len())
}

/// The limits of one segment. `values` are the plotted values of the segment's points (rates for
/// u and u′), `numerators`/`denominators` their counts and denominators (u and u′ only), and the
/// first `baseline` points fix the limits. The caller guarantees `baseline ≥ 1` (≥ 2 for charts
/// with moving ranges) and `baseline ≤ values.len()`.
pub(crate) fn segment_limits(
    chart: Chart,
    values: &[f64],
    numerators: &[f64],
    denominators: &[f64],
    baseline: usize,
    screen: bool,
) -> SegmentLimits {
    let n = values.len();
    let base = &values[..baseline];
    match chart {
        Chart::Xmr => {
            let centre = base.iter().sum::<f64>() / baseline as f64;
            let (mr, excluded) = mean_moving_range(base, screen);
            SegmentLimits {
                centre,
                sigma: vec![XMR_LIMIT * mr / 3.0; n],
                mean_moving_range: Some(mr),
                excluded_moving_ranges: excluded,
                sigma_z: None,
            }
        }
        Chart::C => {
            let centre = base.iter().sum::<f64>() / baseline as f64;
            SegmentLimits {
                centre,
                sigma: vec![centre.sqrt(); n],
                mean_moving_range: None,
                excluded_moving_ranges: 0,
                sigma_z: None,
            }
        }
        Chart::U | Chart::UPrime => {
            let centre = numerators[..baseline].iter().sum::<f64>()
                / denominators[..baseline].iter().sum::<f64>();
            let poisson: Vec<f64> = denominators.iter().map(|&d| (centre / d).sqrt()).collect();
            if chart == Chart::U {
                return SegmentLimits {
                    centre,
                    sigma: poisson,
                    mean_moving_range: None,
                    excluded_moving_ranges: 0,
                    sigma_z: None,
                };
            }
            // Laney (2002): z-scores against the u-chart sigma; their average moving range
            // over d₂ measures the variation between points beyond the Poisson.
            let z: Vec<f64> = base
                .iter()
                .zip(&poisson)
                .map(|(&u, &s)| if s > 0.0 { (u - centre) / s } else { 0.0 })
                .collect();
            let (mr, excluded) = mean_moving_range(&z, screen);
            let sigma_z = mr / D2;
            SegmentLimits {
                centre,
                sigma: poisson.iter().map(|s| s * sigma_z).collect(),
                mean_moving_range: Some(mr),
                excluded_moving_ranges: excluded,
                sigma_z: Some(sigma_z),
            }
        }
    }
}
