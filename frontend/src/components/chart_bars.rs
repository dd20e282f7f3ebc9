//! A horizontal bar chart drawn as inline SVG (no chart library), with the
//! same figures in a table that only screen readers get: the picture is one
//! image with a summary for its name, the table is there to be read row by row.
//!
//! The SVG has no `viewBox`: bar lengths are percentages of its width and
//! text keeps its real size, so it stays readable on a 360 px phone instead
//! of shrinking with the drawing.

use leptos::prelude::*;

/// One bar: `value` of `max`, with the words to say it.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: u32,
    pub max: u32,
    /// E.g. "2 of 3 places" or "4".
    pub value_text: String,
    /// Drawn in the "full" colour (the text should say so too).
    pub full: bool,
}

const ROW_PX: usize = 52;
const TEXT_Y: usize = 18;
const BAR_Y: usize = 26;
const BAR_PX: usize = 16;

#[component]
pub fn BarChart(
    /// The DOM id; the table's id is derived from it.
    id: &'static str,
    title: String,
    /// Header of the table's first column ("Mentor", "Status").
    label_header: &'static str,
    /// Header of the table's second column.
    value_header: &'static str,
    bars: Vec<Bar>,
    /// Said instead of drawing nothing.
    empty_text: &'static str,
) -> impl IntoView {
    if bars.is_empty() {
        return view! { <p class="empty-note chart-empty">{empty_text}</p> }.into_any();
    }
    let summary = format!(
        "{title}: {}.",
        bars.iter()
            .map(|b| format!("{} {}", b.label, b.value_text))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let height = bars.len() * ROW_PX;
    let rows = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let top = i * ROW_PX;
            let share = if b.max > 0 {
                (f64::from(b.value) / f64::from(b.max)).clamp(0.0, 1.0) * 100.0
            } else {
                0.0
            };
            view! {
                <text class="chart-label" x="0" y={top + TEXT_Y}>
                    {format!("{}: {}", b.label, b.value_text)}
                </text>
                <rect
                    class="chart-track"
                    x="0"
                    y={top + BAR_Y}
                    width="100%"
                    height=BAR_PX
                    rx="3"
                />
                <rect
                    class="chart-bar"
                    class:full=b.full
                    x="0"
                    y={top + BAR_Y}
                    width=format!("{share:.1}%")
                    height=BAR_PX
                    rx="3"
                />
            }
        })
        .collect_view();
    let table_rows = bars
        .into_iter()
        .map(|b| {
            view! {
                <tr>
                    <th scope="row">{b.label}</th>
                    <td>{b.value_text}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" id=id>
            <svg
                class="chart-svg"
                role="img"
                aria-label=summary
                width="100%"
                height=height
                focusable="false"
            >
                <title>{title.clone()}</title>
                {rows}
            </svg>
            <table class="visually-hidden" id=format!("{id}-table")>
                <caption>{title}</caption>
                <thead>
                    <tr>
                        <th scope="col">{label_header}</th>
                        <th scope="col">{value_header}</th>
                    </tr>
                </thead>
                <tbody>{table_rows}</tbody>
            </table>
        </figure>
    }
    .into_any()
}
