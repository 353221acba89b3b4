//! Badges in templates: the typed values of the model (control status,
//! coverage, exception state, provider coverage, freshness, responsibility,
//! evidence kind, control issue) shown by their own `label()` and `tone()`,
//! so no template compares strings.
//!
//! `{{ c.status | badge(of="status") }}` gives `✅ implemented` (Markdown);
//! `{{ c.status | html_badge(of="status") | safe }}` the HTML badge;
//! `label` and `tone` give the words and the tone alone.

use crate::model::*;
use crate::srm::Responsibility;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use tera::{to_value, Result, Value};

/// Register the badge filters on a tera instance.
pub fn register(t: &mut tera::Tera) {
    t.register_filter("badge", |v: &Value, a: &HashMap<String, Value>| {
        let (label, tone) = of(v, a)?;
        Ok(to_value(markdown(label, tone))?)
    });
    t.register_filter("html_badge", |v: &Value, a: &HashMap<String, Value>| {
        let (label, tone) = of(v, a)?;
        Ok(to_value(html(label, tone))?)
    });
    t.register_filter("label", |v: &Value, a: &HashMap<String, Value>| {
        Ok(to_value(of(v, a)?.0)?)
    });
    t.register_filter("tone", |v: &Value, a: &HashMap<String, Value>| {
        Ok(to_value(of(v, a)?.1)?)
    });
}

/// The Markdown badge of a label and a tone: the tone's mark, then the label.
pub fn markdown(label: &str, tone: Tone) -> String {
    format!("{} {label}", tone.mark())
}

/// The HTML badge of a label (static text, never input) and a tone.
pub fn html(label: &str, tone: Tone) -> String {
    format!(
        r#"<span class="b {}"><span class="g" aria-hidden="true">{}</span>{label}</span>"#,
        tone.class(),
        tone.glyph()
    )
}

fn parse<T: DeserializeOwned + Badge>(v: &Value) -> Result<(&'static str, Tone)> {
    let t: T = serde_json::from_value(v.clone())
        .map_err(|e| tera::Error::msg(format!("not a badge value `{v}`: {e}")))?;
    Ok((t.label(), t.tone()))
}

/// The label and tone of `v`, read as the type named by the `of` argument.
/// A missing value (`null`) is a neutral dash.
fn of(v: &Value, args: &HashMap<String, Value>) -> Result<(&'static str, Tone)> {
    if v.is_null() {
        return Ok(("—", Tone::Neutral));
    }
    let kind = args.get("of").and_then(Value::as_str).unwrap_or_default();
    match kind {
        "status" => parse::<ControlStatus>(v),
        "coverage" => parse::<Coverage>(v),
        "exception" => parse::<ExceptionState>(v),
        "provider" => parse::<ProviderCoverage>(v),
        "freshness" => parse::<Freshness>(v),
        "responsibility" => parse::<Responsibility>(v),
        "kind" => parse::<EvidenceKind>(v),
        "issue" => parse::<ControlIssue>(v),
        other => Err(tera::Error::msg(format!(
            "badge: unknown `of=\"{other}\"` (status, coverage, exception, provider, freshness, responsibility, kind, issue)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn badges_come_from_the_typed_values() {
        let mut t = tera::Tera::default();
        super::register(&mut t);
        let mut ctx = tera::Context::new();
        ctx.insert("s", "partially-implemented");
        ctx.insert("p", "ends-before");
        ctx.insert("n", &Option::<String>::None);
        let out = t
            .render_str(
                r#"{{ s | badge(of="status") }}|{{ p | label(of="provider") }}|{{ p | tone(of="provider") }}|{{ n | badge(of="coverage") }}"#,
                &ctx,
            )
            .unwrap();
        assert_eq!(
            out,
            "◐ partially implemented|ends before the period starts|bad|– —"
        );
        assert!(t
            .render_str(r#"{{ s | badge(of="colour") }}"#, &ctx)
            .is_err());
    }
}
