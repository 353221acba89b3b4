//! The built-in control sections, `markdown/control.md` and
//! `html/control.html`, written in Rust: a large package renders 10,000 of
//! them per format, and a template engine spends most of that time looking
//! values up. They are used only while those templates (and the macros they
//! import) are the built-in ones; with `--templates` overriding any of
//! them, tera renders the sections. The test
//! `native_sections_match_the_templates` renders every control of the
//! sample and of a synthetic project both ways and compares the bytes, so
//! the two cannot drift.

use super::anchors::anchor_of;
use super::filters::{bytes_of, md_cell_of, md_escape_of, md_text_of, short_hash_of, url_path_of};
use super::sanitize::{href_path_of, href_url_of, md_to_html};
use crate::model::{EvidenceItem, RequirementRef, ResolvedControl};
use crate::srm::Responsibility;
use crate::values::{Badge, ControlStatus, EvidenceKind};
use std::fmt::Write;
use tera::escape_html as esc;

/// Whether `name` and every macro file it imports are the built-in
/// templates (no `--templates` file replaces them).
pub fn is_builtin(tera: &tera::Tera, name: &str) -> bool {
    let builtin = |n: &str| tera.get_template(n).is_ok_and(|t| t.path.is_none());
    tera.get_template(name)
        .is_ok_and(|t| t.path.is_none() && t.imported_macro_files.iter().all(|(f, _)| builtin(f)))
}

/// A badge as `markdown/macros.md` shows it (the `badge` filter).
fn md_badge(b: &impl Badge) -> String {
    super::badges::markdown(b.label(), b.tone())
}

/// A built-in control section: the control, the requirements its section
/// lists, the package's provider attestation ids and the way back to the
/// package root.
pub type Section = fn(&ResolvedControl, &[&RequirementRef], &[&str], &str) -> String;

/// `markdown/control.md`: one control in full.
pub fn markdown(
    c: &ResolvedControl,
    requirements: &[&RequirementRef],
    _pa_ids: &[&str],
    root: &str,
) -> String {
    let mut o = String::with_capacity(2048);
    let _ = md_control(&mut o, c, requirements, root);
    o
}

fn md_control(
    o: &mut String,
    c: &ResolvedControl,
    requirements: &[&RequirementRef],
    root: &str,
) -> std::fmt::Result {
    write!(
        o,
        "<a id=\"{}\"></a>\n\n### {} — {}\n\n| | |\n| --- | --- |\n| Responsibility | **{}**",
        anchor_of(&format!("control-{}", c.id)),
        c.id,
        md_cell_of(&c.title),
        c.responsibility
    )?;
    if c.declared.is_some_and(|d| d != c.derived) {
        write!(o, " (declared; the service matrix gives {})", c.derived)?;
    }
    if c.boundary_error {
        o.push_str(" — ❌ boundary error");
    }
    write!(
        o,
        " |\n| Status | {} |\n| Evidence | {} |\n| Family | {} |\n| Layers | {} |\n| Services | {} |\n| Frequency | {} |",
        md_badge(&c.status),
        md_badge(&c.freshness),
        md_cell_of(&c.family),
        join(&c.layers),
        c.services.join(", "),
        c.frequency
    )?;
    if !c.owner.is_empty() {
        write!(o, "\n| Owner | {} |", md_cell_of(&c.owner))?;
    }
    o.push_str("\n\n\n");
    if !c.description.is_empty() {
        o.push_str(&md_text_of(&c.description));
    }
    o.push_str("\n\n**Requirements**\n\n| Framework | Requirement |\n| --- | --- |");
    for r in requirements {
        write!(
            o,
            "\n| {} | [{}]({root}frameworks/{}.md#{}) |",
            md_escape_of(&r.framework),
            md_escape_of(&r.id),
            url_path_of(&r.framework),
            anchor_of(&format!("req-{}-{}", r.framework, r.id))
        )?;
    }
    md_parts(o, c)?;
    md_attestation(o, c, root)?;
    md_earlier(o, c, root)
}

/// What keeps a control from counting, and who runs which part of it.
fn md_parts(o: &mut String, c: &ResolvedControl) -> std::fmt::Result {
    if !c.issues.is_empty() {
        o.push_str("\n\n**Does not count towards any requirement:** ");
        let issues: Vec<String> = c.issues.iter().map(md_badge).collect();
        write!(o, "{}.", issues.join(", "))?;
    }
    if c.responsibility == Responsibility::Inherited {
        o.push_str("\n\n**Provider coverage.** ");
        if c.provider_attestations.is_empty() {
            o.push_str("No provider attestation of its frameworks is listed for this control.");
        } else {
            o.push_str("Provider attestations of its frameworks: ");
            let list: Vec<String> = c
                .provider_attestations
                .iter()
                .map(|p| format!("{} `{}` ({})", p.framework, p.id, md_badge(&p.coverage)))
                .collect();
            write!(o, "{}.", list.join(", "))?;
        }
    }
    if c.responsibility == Responsibility::Shared {
        write!(
            o,
            "\n\n**Provider part.** {}\n\n**Customer part.** {}",
            md_text_or(&c.provider_part),
            md_text_or(&c.customer_part)
        )?;
    }
    Ok(())
}

/// The period's earlier attestations of a control.
fn md_earlier(o: &mut String, c: &ResolvedControl, root: &str) -> std::fmt::Result {
    if !c.earlier.is_empty() {
        o.push_str("\n\n**Earlier attestations this period.**\n\n| Date | Status | Attested by | Valid until | Evidence |\n| --- | --- | --- | --- | --- |");
        for a in &c.earlier {
            write!(
                o,
                "\n| {} | {} | {} | {} | ",
                a.date,
                md_badge(&ControlStatus::from(a.status)),
                md_cell_of(&a.attested_by),
                a.valid_until
            )?;
            if a.evidence.is_empty() {
                o.push('—');
            }
            for (i, e) in a.evidence.iter().enumerate() {
                if i > 0 {
                    o.push_str(", ");
                }
                let name = e.target.rsplit('/').next().unwrap_or_default();
                md_evidence(o, e, name, root)?;
            }
            o.push_str(" |");
        }
    }
    Ok(())
}

/// The current attestation of a control, or the line saying it has none.
fn md_attestation(o: &mut String, c: &ResolvedControl, root: &str) -> std::fmt::Result {
    let Some(a) = &c.attestation else {
        if c.responsibility != Responsibility::Inherited {
            o.push_str("\n\n**Attestation.** ❌ None for this period.");
        }
        return Ok(());
    };
    write!(
        o,
        "\n\n**Attestation.** {} by {} on {}, valid until {} (`{}`).\n\n",
        md_badge(&ControlStatus::from(a.status)),
        md_cell_of(&a.attested_by),
        a.date,
        a.valid_until,
        a.location
    )?;
    if !a.narrative.is_empty() {
        o.push_str(&md_text_of(&a.narrative));
    }
    if !a.evidence.is_empty() {
        o.push_str("\n\n| Evidence | Description | Collected | Size | SHA-256 |\n| --- | --- | --- | --- | --- |");
        for e in &a.evidence {
            o.push_str("\n| ");
            md_evidence(o, e, &e.target, root)?;
            write!(
                o,
                " | {} | {} | {} | {} |",
                md_cell_of(&e.description),
                e.collected,
                e.size.map_or_else(|| "referenced".to_string(), bytes_of),
                match e.sha256.as_deref() {
                    Some(s) if !s.is_empty() => format!("`{s}`"),
                    _ => "—".to_string(),
                }
            )?;
        }
    }
    if !a.exceptions.is_empty() {
        o.push_str(
            "\n\n| Exception | Description | Remediation due | State |\n| --- | --- | --- | --- |",
        );
        for x in &a.exceptions {
            write!(
                o,
                "\n| {} | {} | {} | {}",
                md_escape_of(&x.id),
                md_cell_of(&x.description),
                x.remediation_due,
                md_badge(&x.state)
            )?;
            if let Some(d) = x.closed {
                write!(o, " {d}")?;
            }
            o.push_str(" |");
        }
    }
    Ok(())
}

/// An evidence item's link (a file, labelled `label`) or its URL.
fn md_evidence(o: &mut String, e: &EvidenceItem, label: &str, root: &str) -> std::fmt::Result {
    if e.kind == EvidenceKind::File {
        write!(
            o,
            "[{}]({root}{})",
            md_escape_of(label),
            url_path_of(&e.target)
        )
    } else {
        write!(o, "<{}>", e.target)
    }
}

fn md_text_or(s: &str) -> String {
    if s.is_empty() {
        "Not described.".to_string()
    } else {
        md_text_of(s)
    }
}

fn join(items: &[impl std::fmt::Display]) -> String {
    let list: Vec<String> = items.iter().map(ToString::to_string).collect();
    list.join(", ")
}

/// `html/macros.html`'s `resp_badge`.
fn resp_badge(r: Responsibility) -> &'static str {
    match r {
        Responsibility::Inherited => {
            r#"<span class="b inh"><span class="g" aria-hidden="true">■</span>inherited</span>"#
        }
        Responsibility::Shared => {
            r#"<span class="b shr"><span class="g" aria-hidden="true">◧</span>shared</span>"#
        }
        Responsibility::Customer => {
            r#"<span class="b cus"><span class="g" aria-hidden="true">□</span>customer</span>"#
        }
    }
}

fn html_badge(b: &impl Badge) -> String {
    super::badges::html(b.label(), b.tone())
}

/// `html/control.html`: one control in full.
pub fn html(
    c: &ResolvedControl,
    requirements: &[&RequirementRef],
    pa_ids: &[&str],
    root: &str,
) -> String {
    let mut o = String::with_capacity(4096);
    let _ = html_control(&mut o, c, requirements, pa_ids, root);
    o
}

fn html_control(
    o: &mut String,
    c: &ResolvedControl,
    requirements: &[&RequirementRef],
    pa_ids: &[&str],
    root: &str,
) -> std::fmt::Result {
    let cid = esc(&anchor_of(&format!("control-{}", c.id)));
    let id = esc(&c.id);
    write!(
        o,
        "<article class=\"control r-{r}\" id=\"{cid}\" aria-labelledby=\"{cid}-h\">\n<header>\n<h3 id=\"{cid}-h\"><span class=\"cid\">{id}</span> {}</h3>\n<p class=\"badges\">{} {} <span class=\"lbl\">evidence</span> {}",
        esc(&c.title),
        resp_badge(c.responsibility),
        html_badge(&c.status),
        html_badge(&c.freshness),
        r = esc(c.responsibility.as_str()),
    )?;
    if c.boundary_error {
        o.push_str(r#" <span class="b bad"><span class="g" aria-hidden="true">✖</span>boundary error</span>"#);
    }
    write!(
        o,
        "</p>\n</header>\n<dl class=\"facts\">\n<div><dt>Responsibility</dt><dd>{}",
        esc(c.responsibility.as_str())
    )?;
    if c.declared.is_some_and(|d| d != c.derived) {
        write!(
            o,
            " (declared; the service matrix gives {})",
            esc(c.derived.as_str())
        )?;
    }
    write!(
        o,
        "</dd></div>\n<div><dt>Family</dt><dd>{}</dd></div>\n<div><dt>Layers</dt><dd>{}</dd></div>\n<div><dt>Services</dt><dd>{}</dd></div>\n<div><dt>Frequency</dt><dd>{}</dd></div>",
        esc(&c.family),
        esc(&join(&c.layers)),
        esc(&c.services.join(", ")),
        esc(&c.frequency)
    )?;
    if !c.owner.is_empty() {
        write!(o, "\n<div><dt>Owner</dt><dd>{}</dd></div>", esc(&c.owner))?;
    }
    o.push_str("\n<div class=\"wide\"><dt>Requirements</dt><dd><ul class=\"inline\">");
    for r in requirements {
        write!(
            o,
            "\n<li><a href=\"{root}frameworks/{}.html#{}\">{} {}</a></li>",
            href_path_of(&r.framework),
            esc(&anchor_of(&format!("req-{}-{}", r.framework, r.id))),
            esc(&r.framework),
            esc(&r.id)
        )?;
    }
    o.push_str("\n</ul></dd></div>\n</dl>");
    if !c.description.is_empty() {
        write!(
            o,
            "\n<div class=\"md\">{}</div>",
            md_to_html(&c.description, &format!("{}-description", c.id))
        )?;
    }
    if c.responsibility == Responsibility::Inherited {
        html_provider(o, c, pa_ids, root)?;
    }
    if c.responsibility == Responsibility::Shared {
        html_parts(o, c, &id)?;
    }
    html_attestation(o, c, &id, root)?;
    html_earlier(o, c, &id, root)?;
    o.push_str("\n<p class=\"back\"><a href=\"#main\">Back to the top</a></p>\n</article>");
    Ok(())
}

/// The provider and customer parts of a shared control.
fn html_parts(o: &mut String, c: &ResolvedControl, id: &str) -> std::fmt::Result {
    o.push_str("\n<div class=\"parts\">");
    for (what, glyph, title, text) in [
        ("provider", "■", "Provider part", &c.provider_part),
        ("customer", "□", "Customer part", &c.customer_part),
    ] {
        write!(
            o,
            "\n<section class=\"part\" aria-label=\"{id} {what} part\"><h4><span class=\"g\" aria-hidden=\"true\">{glyph}</span> {title}</h4>"
        )?;
        if text.is_empty() {
            o.push_str("<p>Not described.</p>");
        } else {
            write!(
                o,
                "<div class=\"md\">{}</div>",
                md_to_html(text, &format!("{}-{what}", c.id))
            )?;
        }
        o.push_str("</section>");
    }
    o.push_str("\n</div>");
    Ok(())
}

/// The provider coverage note of an inherited control.
fn html_provider(
    o: &mut String,
    c: &ResolvedControl,
    pa_ids: &[&str],
    root: &str,
) -> std::fmt::Result {
    o.push_str("\n<p class=\"note\"><strong>Provider coverage.</strong> ");
    if c.provider_attestations.is_empty() {
        o.push_str("No provider attestation of its frameworks is listed for this control.");
    } else {
        o.push_str("Provider attestations of its frameworks: ");
        for (i, p) in c.provider_attestations.iter().enumerate() {
            if i > 0 {
                o.push_str(", ");
            }
            write!(o, "{} ", esc(&p.framework))?;
            let code = esc(&p.id);
            if pa_ids.contains(&p.id.as_str()) {
                write!(
                    o,
                    "<a href=\"{root}report.html#{}\"><code>{code}</code></a>",
                    esc(&anchor_of(&format!("pa-{}", p.id)))
                )?;
            } else {
                write!(o, "<code>{code}</code>")?;
            }
            write!(o, " {}", html_badge(&p.coverage))?;
        }
        o.push('.');
    }
    o.push_str("</p>");
    Ok(())
}

/// The current attestation with its evidence and exceptions, or the line
/// saying there is none.
fn html_attestation(o: &mut String, c: &ResolvedControl, id: &str, root: &str) -> std::fmt::Result {
    let Some(a) = &c.attestation else {
        if c.responsibility != Responsibility::Inherited {
            o.push_str("\n<p class=\"note bad-note\"><span class=\"g\" aria-hidden=\"true\">✖</span> <strong>Attestation:</strong> none for this period.</p>");
        }
        return Ok(());
    };
    write!(
        o,
        "\n<section class=\"attestation\" aria-label=\"{id} attestation\">\n<h4>Attestation</h4>\n<p>{} by {} on <time datetime=\"{d}\">{d}</time>, valid until <time datetime=\"{v}\">{v}</time> <span class=\"loc\">(<code>{}</code>)</span></p>",
        html_badge(&ControlStatus::from(a.status)),
        esc(&a.attested_by),
        esc(&a.location),
        d = a.date,
        v = a.valid_until,
    )?;
    if !a.narrative.is_empty() {
        write!(
            o,
            "\n<div class=\"md\">{}</div>",
            md_to_html(&a.narrative, &format!("{}-narrative", c.id))
        )?;
    }
    if !a.evidence.is_empty() {
        write!(
            o,
            "\n<div class=\"tablewrap\" role=\"region\" aria-label=\"Evidence of {id}\" tabindex=\"0\">\n<table class=\"evidence\">\n<caption>Evidence of {id}</caption>\n<thead><tr><th scope=\"col\">Evidence</th><th scope=\"col\">Description</th><th scope=\"col\">Collected</th><th scope=\"col\">Size</th><th scope=\"col\">SHA-256</th></tr></thead>\n<tbody>"
        )?;
        for e in &a.evidence {
            o.push_str("\n<tr><td>");
            html_evidence(o, e, root)?;
            write!(
                o,
                "</td><td>{}</td><td><time datetime=\"{d}\">{d}</time></td><td class=\"num\">{}</td><td>",
                esc(&e.description),
                e.size.map_or_else(|| "referenced".to_string(), |n| esc(&bytes_of(n))),
                d = e.collected,
            )?;
            match e.sha256.as_deref() {
                Some(s) if !s.is_empty() => {
                    let short = short_hash_of(s);
                    write!(o, "<code title=\"{}\">{}…</code>", esc(s), esc(&short))?;
                }
                _ => o.push('—'),
            }
            o.push_str("</td></tr>");
        }
        o.push_str("\n</tbody>\n</table>\n</div>");
    }
    if !a.exceptions.is_empty() {
        write!(
            o,
            "\n<div class=\"tablewrap\" role=\"region\" aria-label=\"Exceptions of {id}\" tabindex=\"0\">\n<table class=\"exceptions\">\n<caption>Exceptions of {id}</caption>\n<thead><tr><th scope=\"col\">Exception</th><th scope=\"col\">Description</th><th scope=\"col\">Remediation due</th><th scope=\"col\">State</th></tr></thead>\n<tbody>"
        )?;
        for x in &a.exceptions {
            write!(
                o,
                "\n<tr><td>{}</td><td>{}</td><td>{}</td><td>{}",
                esc(&x.id),
                esc(&x.description),
                x.remediation_due,
                html_badge(&x.state)
            )?;
            if let Some(d) = x.closed {
                write!(o, " {d}")?;
            }
            o.push_str("</td></tr>");
        }
        o.push_str("\n</tbody>\n</table>\n</div>");
    }
    o.push_str("\n</section>");
    Ok(())
}

/// The period's earlier attestations of a control.
fn html_earlier(o: &mut String, c: &ResolvedControl, id: &str, root: &str) -> std::fmt::Result {
    if c.earlier.is_empty() {
        return Ok(());
    }
    write!(
        o,
        "\n<div class=\"tablewrap\" role=\"region\" aria-label=\"Earlier attestations of {id}\" tabindex=\"0\">\n<table class=\"evidence\">\n<caption>Earlier attestations of {id} this period</caption>\n<thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Status</th><th scope=\"col\">Attested by</th><th scope=\"col\">Valid until</th><th scope=\"col\">Evidence</th></tr></thead>\n<tbody>"
    )?;
    for a in &c.earlier {
        write!(
            o,
            "\n<tr><td><time datetime=\"{d}\">{d}</time></td><td>{}</td><td>{}</td><td>{}</td><td>",
            html_badge(&ControlStatus::from(a.status)),
            esc(&a.attested_by),
            a.valid_until,
            d = a.date,
        )?;
        if a.evidence.is_empty() {
            o.push('—');
        }
        for (i, e) in a.evidence.iter().enumerate() {
            if i > 0 {
                o.push_str("<br>");
            }
            html_evidence(o, e, root)?;
        }
        o.push_str("</td></tr>");
    }
    o.push_str("\n</tbody>\n</table>\n</div>");
    Ok(())
}

/// `html/macros.html`'s `evidence_link`.
fn html_evidence(o: &mut String, e: &EvidenceItem, root: &str) -> std::fmt::Result {
    let text = esc(&e.target);
    if e.kind == EvidenceKind::File {
        return write!(
            o,
            "<a class=\"file\" href=\"{root}{}\">{text}</a>",
            href_path_of(&e.target)
        );
    }
    match href_url_of(&e.target) {
        u if u.is_empty() => write!(o, "<span class=\"url\">{text}</span>"),
        u => write!(o, "<a class=\"url\" href=\"{u}\">{text}</a>"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::pages::ControlPages;
    use super::super::site::{sections_through, Flavor, SectionTexts};
    use crate::model::ReportModel;
    use std::path::Path;

    fn model(dir: &Path) -> ReportModel {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
        let mut sources = crate::diag::Sources::default();
        match crate::pipeline::run(dir, date, &Default::default(), &mut sources) {
            crate::pipeline::Outcome::Resolved(r) => r.model,
            crate::pipeline::Outcome::Invalid(e) => panic!("{}: {e:?}", dir.display()),
        }
    }

    fn all(texts: Vec<SectionTexts>) -> Vec<String> {
        texts
            .into_iter()
            .flat_map(|t| t.inherited.into_iter().chain(t.shared).chain(t.customer))
            .collect()
    }

    /// Every control section of `model` through tera and through Rust.
    fn compare(model: &ReportModel, tera: &tera::Tera, flavor: &Flavor) -> usize {
        let pages = ControlPages::of(model);
        let through_tera = all(sections_through(tera, flavor, model, &pages, false).unwrap());
        let native = all(sections_through(tera, flavor, model, &pages, true).unwrap());
        assert_eq!(through_tera.len(), native.len());
        for (t, n) in through_tera.iter().zip(&native) {
            assert_eq!(
                t, n,
                "{}: the Rust section differs from the template",
                flavor.control
            );
        }
        native.len()
    }

    /// The Rust sections give the templates' bytes, on the sample, the
    /// test projects and a synthetic project (Markdown in narratives,
    /// planted boundary errors, stale evidence, exceptions, URL evidence).
    #[test]
    fn native_sections_match_the_templates() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let synthetic = tempfile::tempdir().unwrap();
        let mut sources = crate::diag::Sources::default();
        let mut diags = crate::diag::Diagnostics::default();
        let lib = crate::pipeline::builtin_library(&mut sources, &mut diags);
        crate::synth::generate(synthetic.path(), crate::synth::Size::S, 7, &lib).unwrap();
        let tera = super::super::templates::load(None, &["markdown", "html"]).unwrap();
        let mut sections = 0;
        for dir in [
            root.join("samples/acme"),
            root.join("tests/cases/valid"),
            synthetic.path().to_path_buf(),
        ] {
            let model = model(&dir);
            for flavor in [&super::super::markdown::FLAVOR, &super::super::html::FLAVOR] {
                sections += compare(&model, &tera, flavor);
            }
        }
        assert!(sections > 200, "{sections} sections compared");
    }

    #[test]
    fn a_template_from_templates_is_rendered_by_tera() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("markdown")).unwrap();
        std::fs::write(
            dir.path().join("markdown/macros.md"),
            "{% macro status_badge(s) %}S{% endmacro %}",
        )
        .unwrap();
        let tera = super::super::templates::load(Some(dir.path()), &["markdown"]).unwrap();
        assert!(!super::is_builtin(&tera, "markdown/control.md"));
        assert!(super::is_builtin(&tera, "html/control.html"));
        let builtin = super::super::templates::load(None, &["markdown"]).unwrap();
        assert!(super::is_builtin(&builtin, "markdown/control.md"));
    }
}
