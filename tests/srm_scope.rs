//! Responsibility is derived from the services in scope. The projects in
//! `tests/scopes/` hold the same system with the built-in library and
//! different AWS services: an IaaS and a serverless scope move FedRAMP
//! Moderate requirements between classes without creating a gap, and a
//! PaaS-like scope resolves each family the way a FedRAMP customer
//! responsibility worksheet for a system on AWS does
//! (`docs/srm-fedramp-moderate.md` gives the reasoning).

use auditpack::model::ReportModel;
use auditpack::pipeline::{run, Options, Outcome};
use auditpack::srm::Responsibility::{self, Customer, Inherited, Shared};
use std::collections::BTreeMap;
use std::path::PathBuf;

const FRAMEWORK: &str = "fedramp-moderate";

/// The resolved model of `tests/scopes/<name>`.
fn resolve(name: &str) -> ReportModel {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scopes")
        .join(name);
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
    let mut sources = Default::default();
    match run(&dir, as_of, &Options::default(), &mut sources) {
        Outcome::Resolved(r) => r.model,
        Outcome::Invalid(d) => panic!("{name}: invalid inputs: {d:?}"),
    }
}

/// The class of every requirement of `framework`, from the resolved
/// responsibility of the in-scope controls mapped to it: all inherited is
/// inherited, all customer is customer, anything else shared; `None` when
/// no in-scope control maps to it (a gap).
fn requirement_classes(
    m: &ReportModel,
    framework: &str,
) -> BTreeMap<String, Option<Responsibility>> {
    let by_id: BTreeMap<&str, Responsibility> = m
        .controls
        .iter()
        .filter(|c| c.in_scope)
        .map(|c| (c.id.as_str(), c.responsibility))
        .collect();
    let fw = m
        .frameworks
        .iter()
        .find(|f| f.id == framework)
        .expect("framework in scope");
    fw.groups
        .iter()
        .flat_map(|g| &g.requirements)
        .map(|r| {
            let classes: Vec<Responsibility> = r
                .controls
                .iter()
                .filter_map(|id| by_id.get(id.as_str()).copied())
                .collect();
            let class = if classes.is_empty() {
                None
            } else if classes.iter().all(|&c| c == Inherited) {
                Some(Inherited)
            } else if classes.iter().all(|&c| c == Customer) {
                Some(Customer)
            } else {
                Some(Shared)
            };
            (r.id.clone(), class)
        })
        .collect()
}

fn gaps(classes: &BTreeMap<String, Option<Responsibility>>) -> Vec<&str> {
    classes
        .iter()
        .filter(|(_, c)| c.is_none())
        .map(|(id, _)| id.as_str())
        .collect()
}

#[test]
fn iaas_and_serverless_scopes_move_requirements_without_creating_gaps() {
    let iaas = requirement_classes(&resolve("iaas"), FRAMEWORK);
    let serverless = requirement_classes(&resolve("serverless"), FRAMEWORK);
    assert_eq!(iaas.len(), serverless.len());
    assert_eq!(gaps(&iaas), Vec::<&str>::new(), "IaaS gaps");
    assert_eq!(gaps(&serverless), Vec::<&str>::new(), "serverless gaps");
    let moved: Vec<String> = iaas
        .iter()
        .filter(|(id, c)| serverless[*id] != **c)
        .map(|(id, c)| format!("{id}: {c:?} -> {:?}", serverless[id]))
        .collect();
    assert!(
        moved.len() >= 15,
        "only {} requirement(s) change class: {moved:#?}",
        moved.len()
    );
    // What the guest OS carries: the customer's on EC2, AWS's on Lambda.
    for id in ["AU-8", "SI-3", "SC-39", "SI-2(2)"] {
        assert_eq!(iaas[id], Some(Shared), "{id} on IaaS");
        assert_eq!(serverless[id], Some(Inherited), "{id} serverless");
    }
}

#[test]
fn a_guest_os_control_is_split_per_service_and_stays_in_scope() {
    let m = resolve("iaas");
    let vm07 = m.controls.iter().find(|c| c.id == "VM-07").unwrap();
    assert!(vm07.in_scope);
    assert_eq!(vm07.responsibility, Shared);
    let on = |svc: &str| {
        vm07.split
            .iter()
            .find(|s| s.service == svc)
            .map(|s| s.responsibility)
    };
    assert_eq!(on("ec2"), Some(Customer));
    assert_eq!(on("s3"), Some(Inherited));

    let m = resolve("serverless");
    let vm07 = m.controls.iter().find(|c| c.id == "VM-07").unwrap();
    assert!(
        vm07.in_scope,
        "no EC2 in scope: inherited, not out of scope"
    );
    assert_eq!(vm07.responsibility, Inherited);
    assert!(vm07.split.iter().all(|s| s.responsibility == Inherited));
}

#[test]
fn paas_scope_resolves_families_as_a_fedramp_worksheet_does() {
    let classes = requirement_classes(&resolve("paas"), FRAMEWORK);
    assert_eq!(gaps(&classes), Vec::<&str>::new());
    let family = |id: &str| id.split('-').next().unwrap_or("").to_string();
    let class = |id: &str| classes[id].unwrap();
    for id in classes.keys() {
        let fam = family(id);
        // Policy and procedures (-1) are always the customer's.
        if id.ends_with("-1") {
            assert_eq!(class(id), Customer, "{id}");
            continue;
        }
        match fam.as_str() {
            // AWS runs the data centres; PE-17 is the customer's own staff
            // working from alternate sites.
            "PE" if id != "PE-17" => assert_eq!(class(id), Inherited, "{id}"),
            "PS" => assert_eq!(class(id), Customer, "{id}"),
            // Identity, logging and the boundary: never the provider's alone.
            "AC" | "IA" | "AU" => assert_ne!(class(id), Inherited, "{id}"),
            _ => {}
        }
    }
    for id in ["SC-7", "SC-7(3)", "SC-7(4)", "SC-7(5)", "SC-8", "SC-28"] {
        assert_ne!(class(id), Inherited, "{id}");
    }
    assert_eq!(class("PE-17"), Customer);
    assert_eq!(class("AT-2"), Customer);
    assert_eq!(class("AT-4"), Customer);
    assert_eq!(class("CP-6"), Shared);
    assert_eq!(class("MP-1"), Customer);
    assert_eq!(class("MA-1"), Customer);
    // Requirements that used to rest on inherited controls only.
    for id in ["SC-4", "SC-39", "SR-12", "SR-11(1)", "SR-11(2)"] {
        assert_ne!(class(id), Inherited, "{id}");
    }
}

#[test]
fn library_controls_never_declare_a_responsibility() {
    let m = resolve("paas");
    let library: Vec<_> = m
        .controls
        .iter()
        .filter(|c| c.origin == auditpack::validate::Origin::Library)
        .collect();
    assert!(library.len() >= 100, "{} library controls", library.len());
    let declared: Vec<&str> = library
        .iter()
        .filter(|c| c.declared.is_some())
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(declared, Vec::<&str>::new());
}

#[test]
fn library_controls_shared_in_a_scope_say_what_each_party_does() {
    for scope in ["iaas", "serverless", "paas"] {
        let m = resolve(scope);
        let undescribed: Vec<&str> = m
            .controls
            .iter()
            .filter(|c| c.origin == auditpack::validate::Origin::Library)
            .filter(|c| c.responsibility == Shared)
            .filter(|c| c.provider_part.is_empty() || c.customer_part.is_empty())
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(undescribed, Vec::<&str>::new(), "{scope}");
    }
}

#[test]
fn the_library_maps_every_fedramp_high_and_pci_requirement() {
    let m = resolve("high");
    for fw in ["fedramp-high", "pci-dss-4"] {
        let classes = requirement_classes(&m, fw);
        assert_eq!(gaps(&classes), Vec::<&str>::new(), "{fw}");
    }
    let pci = requirement_classes(&m, "pci-dss-4");
    // Appendix A1: the customer separates the tenants of its own service.
    for id in ["A1.1.1", "A1.1.4", "A1.2.3"] {
        assert_eq!(pci[id], Some(Customer), "{id}");
    }
}

#[test]
fn the_aws_matrix_holds_the_services_scanners_map_requirements_to() {
    let mut sources = Default::default();
    let mut diags = auditpack::diag::Diagnostics::default();
    let lib = auditpack::pipeline::builtin_library(&mut sources, &mut diags);
    let aws = &lib.matrices["aws"];
    let missing: Vec<&str> = [
        "sagemaker",
        "bedrock",
        "neptune",
        "dms",
        "appsync",
        "mq",
        "msk",
        "transfer",
        "fsx",
        "servicecatalog",
        "datasync",
        "ecs",
        "eks",
        "fargate",
        "ebs",
        "efs",
        "elasticache",
        "opensearch",
        "cloudfront",
        "acm",
        "shield",
        "waf",
        "sns",
        "sqs",
        "apigateway",
    ]
    .into_iter()
    .filter(|s| !aws.services.contains_key(*s))
    .collect();
    assert_eq!(missing, Vec::<&str>::new());
    assert_eq!(aws.services["msk"].aliases, ["kafka"]);
    // The guest OS of a managed broker is AWS's; of an EC2 instance, the customer's.
    use auditpack::srm::{Layer, Party};
    assert_eq!(aws.services["msk"].party(Layer::GuestOs), Party::Provider);
    assert_eq!(
        aws.services["transfer"].party(Layer::NetworkTrafficProtection),
        Party::Customer
    );
}
