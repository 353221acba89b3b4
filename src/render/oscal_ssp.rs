//! `oscal-ssp`: an OSCAL 1.1.2 System Security Plan (JSON) per FedRAMP
//! baseline in scope, at `oscal/ssp-<framework>.json`.
//!
//! Every requirement of the baseline becomes an implemented requirement with
//! the FedRAMP `implementation-status` and `control-origination` props; the
//! organisation's part is a by-component of `this-system`, the provider's a
//! by-component of the provider component with `inherited[]`, one provider
//! component per provider attestation (a leveraged authorization). Evidence
//! is linked through back-matter resources carrying the manifest's SHA-256.
//! Every uuid is a UUIDv5 of the project and the ids, so builds of the same
//! inputs are byte-identical.

use super::requirements_source::{rows, Coverage, RequirementRow};
use super::{RenderError, Renderer, Sink};
use crate::model::{ReportModel, ResolvedControl, ResolvedFramework, ResolvedProviderAttestation};
use crate::srm::Responsibility;
use crate::values::{EvidenceKind, ProviderCoverage};
use serde_json::{json, Value};
use uuid::Uuid;

/// The OSCAL version written.
pub const OSCAL_VERSION: &str = "1.1.2";
/// FedRAMP's namespace for its props.
const FEDRAMP_NS: &str = "https://fedramp.gov/ns/oscal";
/// Where FedRAMP publishes its Rev 5 baseline profiles.
const PROFILES: &str =
    "https://raw.githubusercontent.com/GSA/fedramp-automation/master/dist/content/rev5/baselines/json";

/// Writes one SSP per FedRAMP baseline in scope.
pub struct OscalSsp;

impl Renderer for OscalSsp {
    fn name(&self) -> &'static str {
        "oscal-ssp"
    }

    fn file_count(&self, model: &ReportModel) -> u64 {
        paths(model).len() as u64
    }

    fn render(&self, model: &ReportModel, out: &dyn Sink) -> Result<(), RenderError> {
        for fw in model.frameworks.iter() {
            if let Some(level) = level(fw) {
                let doc = ssp(model, fw, level);
                let mut bytes = serde_json::to_vec_pretty(&doc)
                    .map_err(|e| RenderError::encode(path(fw), e))?;
                bytes.push(b'\n');
                out.put(&path(fw), &bytes)?;
            }
        }
        Ok(())
    }
}

/// (framework short name, package path) of every SSP of `model`.
pub fn paths(model: &ReportModel) -> Vec<(String, String)> {
    model
        .frameworks
        .iter()
        .filter(|f| level(f).is_some())
        .map(|f| (f.short.clone(), path(f)))
        .collect()
}

fn path(fw: &ResolvedFramework) -> String {
    format!("oscal/ssp-{}.json", fw.id)
}

/// The FIPS 199 level of a FedRAMP baseline (`low`, `moderate`, `high`).
fn level(fw: &ResolvedFramework) -> Option<&'static str> {
    match fw.id.as_str() {
        "fedramp-low" => Some("low"),
        "fedramp-moderate" => Some("moderate"),
        "fedramp-high" => Some("high"),
        _ => None,
    }
}

/// `AC-2(1)` → `ac-2.1`: a FedRAMP requirement id as an OSCAL control id.
pub fn control_id(requirement: &str) -> String {
    requirement
        .to_ascii_lowercase()
        .replace('(', ".")
        .replace([')', ' '], "")
}

/// Deterministic uuids: UUIDv5 in a namespace of the project.
struct Ids(Uuid);

impl Ids {
    fn new(model: &ReportModel, fw: &ResolvedFramework) -> Self {
        let project = format!(
            "urn:auditpack:{}/{}/{}",
            model.system.organization, model.system.name, fw.id
        );
        Ids(Uuid::new_v5(&Uuid::NAMESPACE_URL, project.as_bytes()))
    }

    fn of(&self, name: &str) -> String {
        Uuid::new_v5(&self.0, name.as_bytes()).to_string()
    }
}

/// The system's identifier in the SSP of `fw` (`system-ids`).
pub fn system_id(model: &ReportModel, fw: &ResolvedFramework) -> String {
    Ids::new(model, fw).of("system")
}

/// Text for an OSCAL `string` field: one line, trimmed, never empty.
fn line(s: &str) -> String {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() {
        "—".into()
    } else {
        t
    }
}

/// Text for a markup-multiline field: never empty.
fn text(s: &str, otherwise: &str) -> String {
    let t = s.trim();
    if t.is_empty() {
        otherwise.into()
    } else {
        t.into()
    }
}

/// The SSP of one FedRAMP baseline.
fn ssp(model: &ReportModel, fw: &ResolvedFramework, level: &str) -> Value {
    let ids = Ids::new(model, fw);
    let pas: Vec<&ResolvedProviderAttestation> = model
        .provider_attestations
        .iter()
        .filter(|p| p.framework == fw.id)
        .collect();
    let reqs = rows(model, fw);
    let owners = owners(&reqs);
    let profile = format!(
        "{PROFILES}/FedRAMP_rev5_{}-baseline_profile.json",
        level.to_ascii_uppercase()
    );
    let implemented: Vec<Value> = reqs
        .iter()
        .map(|r| implemented_requirement(&ids, r, &pas, model))
        .collect();
    let mut doc = json!({
        "uuid": ids.of("ssp"),
        "metadata": metadata(&ids, model, fw, &pas, &owners),
        "import-profile": {"href": profile},
        "system-characteristics": system_characteristics(&ids, model, level),
        "system-implementation": system_implementation(&ids, model, &pas),
        "control-implementation": {
            "description": format!(
                "How {} meets the {} baseline, requirement by requirement, as resolved by {} {} as of {}.",
                line(&model.system.name), fw.short, model.tool.name, model.tool.version, model.as_of
            ),
            "implemented-requirements": implemented,
        },
    });
    let resources = back_matter(&ids, model, &reqs);
    if !resources.is_empty() {
        doc["back-matter"] = json!({ "resources": resources });
    }
    json!({ "system-security-plan": doc })
}

/// Distinct control owners of the requirements, sorted.
fn owners<'a>(reqs: &[RequirementRow<'a>]) -> Vec<&'a str> {
    let mut o: Vec<&str> = reqs
        .iter()
        .flat_map(|r| r.controls.iter().map(|c| c.owner.as_str()))
        .filter(|o| !o.trim().is_empty())
        .collect();
    o.sort_unstable();
    o.dedup();
    o
}

fn metadata(
    ids: &Ids,
    model: &ReportModel,
    fw: &ResolvedFramework,
    pas: &[&ResolvedProviderAttestation],
    owners: &[&str],
) -> Value {
    let mut parties = vec![
        json!({"uuid": ids.of("party:organization"), "type": "organization", "name": line(&model.system.organization)}),
    ];
    if !pas.is_empty() {
        parties.push(json!({"uuid": ids.of("party:provider"), "type": "organization", "name": line(&model.system.provider_name)}));
    }
    for o in owners {
        let mut p =
            json!({"uuid": ids.of(&format!("party:owner:{o}")), "type": "person", "name": line(o)});
        if is_email(o) {
            p["email-addresses"] = json!([o.trim()]);
        }
        parties.push(p);
    }
    let mut responsible =
        vec![json!({"role-id": "system-owner", "party-uuids": [ids.of("party:organization")]})];
    if !owners.is_empty() {
        let uuids: Vec<String> = owners
            .iter()
            .map(|o| ids.of(&format!("party:owner:{o}")))
            .collect();
        responsible.push(json!({"role-id": "control-owner", "party-uuids": uuids}));
    }
    json!({
        "title": line(&format!("{} System Security Plan ({})", model.system.name, fw.short)),
        "last-modified": format!("{}T00:00:00Z", model.as_of),
        "version": line(&model.period.label),
        "oscal-version": OSCAL_VERSION,
        "roles": [
            {"id": "system-owner", "title": "System Owner"},
            {"id": "control-owner", "title": "Control Owner"},
        ],
        "parties": parties,
        "responsible-parties": responsible,
    })
}

fn is_email(s: &str) -> bool {
    let s = s.trim();
    !s.contains(char::is_whitespace) && s.split('@').count() == 2 && !s.starts_with('@')
}

fn system_characteristics(ids: &Ids, model: &ReportModel, level: &str) -> Value {
    let fips = format!("fips-199-{level}");
    let services: Vec<String> = model
        .system
        .services
        .iter()
        .map(|s| format!("{} (`{}`)", s.name, s.id))
        .collect();
    json!({
        "system-ids": [{"identifier-type": "http://ietf.org/rfc/rfc4122", "id": ids.of("system")}],
        "system-name": line(&model.system.name),
        "description": text(&model.system.description, &model.system.name),
        "security-sensitivity-level": fips,
        "system-information": {"information-types": [{
            "uuid": ids.of("information-type:placeholder"),
            "title": "Information processed by the system (to be categorised)",
            "description": "A placeholder: the project does not state its NIST SP 800-60 information types. Replace it with the system's information types and their impact levels.",
            "confidentiality-impact": {"base": fips},
            "integrity-impact": {"base": fips},
            "availability-impact": {"base": fips},
        }]},
        "security-impact-level": {
            "security-objective-confidentiality": fips,
            "security-objective-integrity": fips,
            "security-objective-availability": fips,
        },
        "status": {"state": "operational"},
        "authorization-boundary": {"description": format!(
            "{} on {}, with these services in scope: {}.",
            line(&model.system.name), line(&model.system.provider_name), services.join(", ")
        )},
    })
}

fn system_implementation(
    ids: &Ids,
    model: &ReportModel,
    pas: &[&ResolvedProviderAttestation],
) -> Value {
    let mut components = vec![json!({
        "uuid": ids.of("component:this-system"),
        "type": "this-system",
        "title": line(&model.system.name),
        "description": text(&model.system.description, &model.system.name),
        "status": {"state": "operational"},
    })];
    let mut leveraged = Vec::new();
    for p in pas {
        let la = ids.of(&format!("leveraged-authorization:{}", p.id));
        leveraged.push(json!({
            "uuid": la, "title": line(&p.title),
            "party-uuid": ids.of("party:provider"),
            "date-authorized": p.start.to_string(),
        }));
        components.push(json!({
            "uuid": ids.of(&format!("component:provider:{}", p.id)),
            "type": "system",
            "title": line(&format!("{} ({})", model.system.provider_name, p.title)),
            "description": format!("Leveraged authorization `{}`, covering {} to {}.", p.id, p.start, p.end),
            "props": [
                {"name": "leveraged-authorization-uuid", "value": la},
                {"name": "implementation-point", "value": "external"},
            ],
            "status": {"state": "operational"},
        }));
    }
    let inventory: Vec<Value> = model.system.services.iter().map(|s| json!({
        "uuid": ids.of(&format!("inventory:{}", s.id)),
        "description": format!("{} ({} service of {}).", s.name, s.model.as_str(), model.system.provider_name),
        "props": [{"name": "asset-id", "value": line(&s.id)}],
        "implemented-components": [{"component-uuid": ids.of("component:this-system")}],
    })).collect();
    let mut si = json!({
        "users": [
            {"uuid": ids.of("user:system-owner"), "title": "System owner", "role-ids": ["system-owner"]},
            {"uuid": ids.of("user:control-owner"), "title": "Control owner", "role-ids": ["control-owner"]},
        ],
        "components": components,
    });
    if !leveraged.is_empty() {
        si["leveraged-authorizations"] = json!(leveraged);
    }
    if !inventory.is_empty() {
        si["inventory-items"] = json!(inventory);
    }
    si
}

/// FedRAMP `implementation-status` of a requirement's coverage.
pub fn implementation_state(c: Coverage) -> &'static str {
    match c {
        Coverage::Met => "implemented",
        Coverage::Partial => "partial",
        Coverage::Gap => "planned",
        Coverage::NotApplicable => "not-applicable",
    }
}

/// FedRAMP `control-origination` values of a requirement: the provider's
/// part is `inherited`; the organisation's is `sp-corporate` for the -1
/// policy and procedure controls, `sp-system` otherwise.
pub fn origination(requirement: &str, r: Option<Responsibility>) -> Vec<&'static str> {
    let own = if requirement.ends_with("-1") {
        "sp-corporate"
    } else {
        "sp-system"
    };
    match r {
        Some(Responsibility::Inherited) => vec!["inherited"],
        Some(Responsibility::Shared) => vec![own, "inherited"],
        Some(Responsibility::Customer) | None => vec![own],
    }
}

fn implemented_requirement(
    ids: &Ids,
    r: &RequirementRow,
    pas: &[&ResolvedProviderAttestation],
    model: &ReportModel,
) -> Value {
    let cid = control_id(r.id);
    let st = implementation_state(r.coverage);
    let mut status = json!({"ns": FEDRAMP_NS, "name": "implementation-status", "value": st});
    if r.coverage != Coverage::Met {
        status["remarks"] = json!(text(
            r.reason,
            "Not every control of the requirement qualifies."
        ));
    }
    let mut props = vec![status];
    for o in origination(r.id, r.responsibility) {
        props.push(json!({"ns": FEDRAMP_NS, "name": "control-origination", "value": o}));
    }
    let mut by = vec![this_system(ids, &cid, r, st, model)];
    if matches!(
        r.responsibility,
        Some(Responsibility::Inherited | Responsibility::Shared)
    ) {
        for p in pas
            .iter()
            .filter(|p| r.provider_attestations.contains(&p.id.as_str()))
        {
            by.push(provider(ids, &cid, r, p));
        }
    }
    json!({
        "uuid": ids.of(&format!("requirement:{cid}")),
        "control-id": cid,
        "props": props,
        "by-components": by,
    })
}

/// The organisation's part: the controls' statements, owners and evidence.
fn this_system(ids: &Ids, cid: &str, r: &RequirementRow, st: &str, model: &ReportModel) -> Value {
    let description = if r.controls.is_empty() {
        text(
            r.reason,
            "No control of the inventory maps to this requirement.",
        )
    } else {
        r.controls
            .iter()
            .map(|c| format!("{} — {}\n\n{}", c.id, line(&c.title), statement(c)))
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    let mut b = json!({
        "component-uuid": ids.of("component:this-system"),
        "uuid": ids.of(&format!("by-component:{cid}:this-system")),
        "description": description,
        "implementation-status": {"state": st},
    });
    let owners: Vec<String> = {
        let mut o: Vec<&str> = r
            .controls
            .iter()
            .map(|c| c.owner.as_str())
            .filter(|o| !o.trim().is_empty())
            .collect();
        o.sort_unstable();
        o.dedup();
        o.iter()
            .map(|o| ids.of(&format!("party:owner:{o}")))
            .collect()
    };
    if !owners.is_empty() {
        b["responsible-roles"] = json!([{"role-id": "control-owner", "party-uuids": owners}]);
    }
    let links = evidence_links(ids, model, r);
    if !links.is_empty() {
        b["links"] = json!(links);
    }
    b
}

/// What the organisation does under a control.
fn statement(c: &ResolvedControl) -> String {
    match c.responsibility {
        Responsibility::Inherited => {
            "Inherited: the provider operates this control; the organisation relies on the provider's authorization (see the provider's component).".into()
        }
        Responsibility::Shared => text(&c.customer_part, &c.title),
        Responsibility::Customer => text(&c.description, &c.title),
    }
}

/// The provider's part, inherited through one leveraged authorization.
fn provider(ids: &Ids, cid: &str, r: &RequirementRow, p: &ResolvedProviderAttestation) -> Value {
    let what: Vec<String> = r
        .controls
        .iter()
        .filter(|c| c.responsibility != Responsibility::Customer)
        .map(|c| {
            let part = if c.responsibility == Responsibility::Shared {
                text(&c.provider_part, &c.title)
            } else {
                text(&c.description, &c.title)
            };
            format!("{} — {}", c.id, part)
        })
        .collect();
    let state = if matches!(
        p.coverage,
        ProviderCoverage::Covers | ProviderCoverage::Bridged
    ) {
        "implemented"
    } else {
        "partial"
    };
    json!({
        "component-uuid": ids.of(&format!("component:provider:{}", p.id)),
        "uuid": ids.of(&format!("by-component:{cid}:provider:{}", p.id)),
        "description": format!("Inherited from {} (`{}`, {} to {}).", line(&p.title), p.id, p.start, p.end),
        "implementation-status": {"state": state},
        "inherited": [{
            "uuid": ids.of(&format!("inherited:{cid}:{}", p.id)),
            "description": text(&what.join("\n\n"), "The provider's part of the requirement."),
        }],
    })
}

/// Links to the back-matter resources of the evidence of the controls.
fn evidence_links(ids: &Ids, model: &ReportModel, r: &RequirementRow) -> Vec<Value> {
    evidence(model, r)
        .map(|e| json!({"href": format!("#{}", ids.of(&format!("resource:{}", e.target))), "rel": "reference", "text": line(&e.description)}))
        .collect()
}

/// The current evidence of a requirement's controls.
fn evidence<'a>(
    model: &'a ReportModel,
    r: &'a RequirementRow,
) -> impl Iterator<Item = &'a crate::model::EvidenceItem> {
    model.evidence.iter().filter(move |e| {
        e.freshness != crate::model::Freshness::Superseded
            && r.controls.iter().any(|c| c.id == e.control)
    })
}

/// One resource per evidence item linked, with its SHA-256 when bundled.
fn back_matter(ids: &Ids, model: &ReportModel, reqs: &[RequirementRow]) -> Vec<Value> {
    let mut seen = std::collections::BTreeMap::new();
    for r in reqs {
        for e in evidence(model, r) {
            seen.entry(e.target.as_str()).or_insert(e);
        }
    }
    seen.into_values()
        .map(|e| {
            // Relative to the SSP, which sits in `oscal/`.
            let href = if e.kind == EvidenceKind::File {
                format!("../{}", e.target)
            } else {
                e.target.clone()
            };
            let mut rlink = json!({ "href": href });
            if let Some(sha) = &e.sha256 {
                rlink["hashes"] = json!([{"algorithm": "SHA-256", "value": sha}]);
            }
            json!({
                "uuid": ids.of(&format!("resource:{}", e.target)),
                "title": line(if e.description.trim().is_empty() { &e.target } else { &e.description }),
                "rlinks": [rlink],
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_ids_become_oscal_control_ids() {
        assert_eq!(control_id("AC-2(1)"), "ac-2.1");
        assert_eq!(control_id("SC-7(12)"), "sc-7.12");
        assert_eq!(control_id("PE-3"), "pe-3");
    }

    #[test]
    fn policy_controls_originate_with_the_corporation() {
        use Responsibility::*;
        assert_eq!(origination("AC-1", Some(Customer)), ["sp-corporate"]);
        assert_eq!(
            origination("AC-2", Some(Shared)),
            ["sp-system", "inherited"]
        );
        assert_eq!(origination("PE-3", Some(Inherited)), ["inherited"]);
        assert_eq!(origination("AC-11", None), ["sp-system"]);
    }
}
