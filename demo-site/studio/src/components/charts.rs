//! The mining charts as inline SVG: support vs confidence coloured by lift, and the top
//! pairs by support as bars. Geometry is in [`crate::plot`].

use crate::mining::{self, Mined};
use crate::plot::{Axis, lift_colour, tick_label};
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`Scatter`].
#[derive(Properties, PartialEq)]
pub struct ScatterProps {
    /// The mined rules.
    pub mined: Rc<Mined>,
    /// Ticked rules, drawn with a ring.
    pub picked: BTreeSet<usize>,
}

const W: f64 = 420.0;
const H: f64 = 280.0;
const LEFT: f64 = 48.0;
const BOTTOM: f64 = 36.0;
const TOP: f64 = 12.0;
const RIGHT: f64 = 12.0;

/// Support (x) against confidence (y), one dot per rule, coloured by lift.
#[component]
pub fn Scatter(props: &ScatterProps) -> Html {
    let rules = &props.mined.rules;
    let x = Axis::to(rules.iter().map(|r| r.support).fold(0.0, f64::max));
    let y = Axis::to(rules.iter().map(|r| r.confidence).fold(0.0, f64::max));
    let (lo, hi) = rules.iter().fold((f64::MAX, 0.0f64), |(lo, hi), r| {
        (lo.min(r.lift), hi.max(r.lift))
    });
    let px = |v: f64| LEFT + x.share(v) * (W - LEFT - RIGHT);
    let py = |v: f64| H - BOTTOM - y.share(v) * (H - BOTTOM - TOP);
    let dots = rules.iter().enumerate().map(|(i, r)| {
        let picked = props.picked.contains(&i);
        html! {
            <circle cx={format!("{:.1}", px(r.support))} cy={format!("{:.1}", py(r.confidence))}
                r={if picked { "5" } else { "3" }} fill={lift_colour(r.lift, lo, hi)}
                stroke={if picked { "#111" } else { "none" }} fill-opacity="0.8">
                <title>{format!("{}\nsupport {:.4}, confidence {:.3}, lift {:.2}", r.label(), r.support, r.confidence, r.lift)}</title>
            </circle>
        }
    });
    let xticks = x.ticks().into_iter().map(|t| html! {
        <g>
            <line x1={format!("{:.1}", px(t))} x2={format!("{:.1}", px(t))} y1={format!("{}", TOP)} y2={format!("{}", H - BOTTOM)} class="gridline" />
            <text x={format!("{:.1}", px(t))} y={format!("{}", H - BOTTOM + 14.0)} text-anchor="middle">{tick_label(t, true)}</text>
        </g>
    });
    let yticks = y.ticks().into_iter().map(|t| html! {
        <g>
            <line x1={format!("{}", LEFT)} x2={format!("{}", W - RIGHT)} y1={format!("{:.1}", py(t))} y2={format!("{:.1}", py(t))} class="gridline" />
            <text x={format!("{}", LEFT - 4.0)} y={format!("{:.1}", py(t) + 4.0)} text-anchor="end">{tick_label(t, true)}</text>
        </g>
    });
    html! {
        <figure class="chart">
            <svg id="scatter" viewBox={format!("0 0 {W} {H}")} role="img"
                aria-label={format!("{} rules: support against confidence, coloured by lift", rules.len())}>
                { for xticks }
                { for yticks }
                { for dots }
                <text x={format!("{}", (W + LEFT) / 2.0)} y={format!("{}", H - 4.0)} text-anchor="middle" class="axis">{"support"}</text>
                <text x="12" y={format!("{}", (H - BOTTOM) / 2.0)} text-anchor="middle" class="axis"
                    transform={format!("rotate(-90 12 {})", (H - BOTTOM) / 2.0)}>{"confidence"}</text>
            </svg>
            <figcaption>
                {"Support vs confidence; colour: lift "}
                <span class="swatch" style={format!("background:{}", lift_colour(lo, lo, hi))}></span>
                {format!(" {lo:.2} to ")}
                <span class="swatch" style={format!("background:{}", lift_colour(hi, lo, hi))}></span>
                {format!(" {hi:.2}")}
            </figcaption>
        </figure>
    }
}

/// Props of [`PairBars`].
#[derive(Properties, PartialEq)]
pub struct PairBarsProps {
    /// The mined rules.
    pub mined: Rc<Mined>,
}

/// The 12 pairs bought together most often.
#[component]
pub fn PairBars(props: &PairBarsProps) -> Html {
    let rules = &props.mined.rules;
    let top = mining::top_pairs(rules, 12);
    if top.is_empty() {
        return html! {};
    }
    let max = Axis::to(rules[top[0]].support);
    let (label_w, bar_w, row) = (190.0, 200.0, 20.0);
    let height = top.len() as f64 * row + 8.0;
    let bars = top.iter().enumerate().map(|(k, &i)| {
        let r = &rules[i];
        let y = k as f64 * row + 4.0;
        let w = max.share(r.support) * bar_w;
        let name = format!("{} + {}", r.antecedent[0], r.consequent[0]);
        html! {
            <g>
                <text x={format!("{}", label_w - 6.0)} y={format!("{:.1}", y + 13.0)} text-anchor="end">{name.clone()}</text>
                <rect x={format!("{label_w}")} y={format!("{y:.1}")} width={format!("{w:.1}")} height={format!("{}", row - 6.0)} class="pair-bar">
                    <title>{format!("{name}: support {:.4}, lift {:.2}", r.support, r.lift)}</title>
                </rect>
                <text x={format!("{:.1}", label_w + w + 4.0)} y={format!("{:.1}", y + 13.0)}>{tick_label(r.support, true)}</text>
            </g>
        }
    });
    html! {
        <figure class="chart">
            <svg id="pairs" viewBox={format!("0 0 {} {height}", label_w + bar_w + 50.0)} role="img" aria-label="Top pairs by support">
                { for bars }
            </svg>
            <figcaption>{"Pairs bought together most often (share of orders)"}</figcaption>
        </figure>
    }
}
