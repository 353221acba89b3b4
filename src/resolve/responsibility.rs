//! The resolution rule of DESIGN 2.5: collect the party of every (service,
//! layer) pair of a control. Only provider: inherited; only customer:
//! customer; both: shared. The same rule per service gives the split that
//! moves with the scope. A declared `inherited` while some pair is the
//! customer's is a boundary error.

use crate::model::LayerParty;
use crate::srm::{Layer, Party, Responsibility, ServiceShare};
use crate::validate::Service;

/// The outcome for one control.
#[derive(Debug, Clone)]
pub struct Resolution {
    pub derived: Responsibility,
    pub effective: Responsibility,
    pub pairs: Vec<LayerParty>,
    /// The responsibility on each service, in the order of the services.
    pub split: Vec<ServiceShare>,
    /// The (service, layer) pairs that the customer runs while the control
    /// is declared inherited.
    pub boundary: Vec<(String, Layer)>,
}

/// Resolve a control acting on `layers` of `services`.
pub fn resolve(
    layers: &[Layer],
    services: &[&Service],
    declared: Option<Responsibility>,
) -> Resolution {
    let mut pairs = Vec::with_capacity(layers.len() * services.len());
    for s in services {
        for &l in layers {
            pairs.push(LayerParty {
                service: s.id.clone(),
                layer: l,
                party: s.party(l),
            });
        }
    }
    let derived = Responsibility::of_parties(pairs.iter().map(|p| p.party));
    let split = services
        .iter()
        .map(|s| ServiceShare {
            service: s.id.clone(),
            responsibility: Responsibility::of_parties(layers.iter().map(|&l| s.party(l))),
        })
        .collect();
    let effective = declared.unwrap_or(derived);
    let boundary = if declared == Some(Responsibility::Inherited) {
        pairs
            .iter()
            .filter(|p| p.party == Party::Customer)
            .map(|p| (p.service.clone(), p.layer))
            .collect()
    } else {
        Vec::new()
    };
    Resolution {
        derived,
        effective,
        pairs,
        split,
        boundary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srm::{LayerMap, ServiceModel};

    /// AWS's three models as the built-in matrix states them.
    fn service(id: &str, model: ServiceModel) -> Service {
        let provider_up_to = match model {
            ServiceModel::Infrastructure => Layer::HostOs,
            ServiceModel::Container => Layer::Platform,
            ServiceModel::Abstract => Layer::NetworkTrafficProtection,
        };
        let mut map = LayerMap::new([Party::Customer; 15]);
        for &l in Layer::ALL {
            if l <= provider_up_to {
                map.set(l, Party::Provider);
            }
        }
        Service {
            id: id.into(),
            name: id.into(),
            model,
            layers: map,
            aliases: Vec::new(),
            note: None,
        }
    }

    #[test]
    fn every_layer_and_model_combination() {
        use Responsibility::*;
        let models = [
            ServiceModel::Infrastructure,
            ServiceModel::Container,
            ServiceModel::Abstract,
        ];
        for model in models {
            let s = service("svc", model);
            for &l in Layer::ALL {
                let r = resolve(&[l], &[&s], None);
                let want = if s.party(l) == Party::Provider {
                    Inherited
                } else {
                    Customer
                };
                assert_eq!(r.derived, want, "{model} {l}");
                assert_eq!(r.effective, want);
                assert!(r.boundary.is_empty());
            }
        }
        // Spot checks against the SRM: the guest OS is the customer's on EC2
        // (infrastructure) but the provider's on RDS (container).
        let ec2 = service("ec2", ServiceModel::Infrastructure);
        let rds = service("rds", ServiceModel::Container);
        let s3 = service("s3", ServiceModel::Abstract);
        assert_eq!(resolve(&[Layer::GuestOs], &[&ec2], None).derived, Customer);
        assert_eq!(resolve(&[Layer::GuestOs], &[&rds], None).derived, Inherited);
        assert_eq!(
            resolve(&[Layer::FirewallConfig], &[&rds], None).derived,
            Customer
        );
        assert_eq!(
            resolve(&[Layer::FirewallConfig], &[&s3], None).derived,
            Inherited
        );
        assert_eq!(resolve(&[Layer::Data], &[&s3], None).derived, Customer);
    }

    #[test]
    fn mixed_pairs_are_shared() {
        let ec2 = service("ec2", ServiceModel::Infrastructure);
        let rds = service("rds", ServiceModel::Container);
        // one service, two layers on different sides
        let r = resolve(&[Layer::HostOs, Layer::GuestOs], &[&ec2], None);
        assert_eq!(r.derived, Responsibility::Shared);
        // one layer, two services on different sides
        let r = resolve(&[Layer::GuestOs], &[&ec2, &rds], None);
        assert_eq!(r.derived, Responsibility::Shared);
        assert_eq!(r.pairs.len(), 2);
    }

    #[test]
    fn the_split_moves_per_service() {
        use Responsibility::*;
        let ec2 = service("ec2", ServiceModel::Infrastructure);
        let rds = service("rds", ServiceModel::Container);
        let lambda = service("lambda", ServiceModel::Abstract);
        let r = resolve(&[Layer::GuestOs], &[&ec2, &rds, &lambda], None);
        let split: Vec<(&str, Responsibility)> = r
            .split
            .iter()
            .map(|s| (s.service.as_str(), s.responsibility))
            .collect();
        assert_eq!(
            split,
            [("ec2", Customer), ("rds", Inherited), ("lambda", Inherited)]
        );
        assert_eq!(r.derived, Shared);
        // without EC2 in scope the same control is wholly the provider's:
        // inherited, still in scope
        let r = resolve(&[Layer::GuestOs], &[&rds, &lambda], None);
        assert_eq!(r.derived, Inherited);
        // a service whose layers fall on both sides is shared on its own
        let r = resolve(&[Layer::HostOs, Layer::GuestOs], &[&ec2], None);
        assert_eq!(r.split[0].responsibility, Shared);
    }

    #[test]
    fn declared_inherited_on_customer_layer_is_a_boundary_error() {
        let ec2 = service("ec2", ServiceModel::Infrastructure);
        let rds = service("rds", ServiceModel::Container);
        let r = resolve(
            &[Layer::GuestOs],
            &[&ec2, &rds],
            Some(Responsibility::Inherited),
        );
        assert_eq!(r.effective, Responsibility::Inherited);
        assert_eq!(r.derived, Responsibility::Shared);
        assert_eq!(r.boundary, vec![("ec2".to_string(), Layer::GuestOs)]);
        // declared inherited where the provider runs everything: no error
        let r = resolve(&[Layer::GuestOs], &[&rds], Some(Responsibility::Inherited));
        assert!(r.boundary.is_empty());
        // declaring more responsibility than the matrix gives is never a boundary error
        let r = resolve(&[Layer::Physical], &[&ec2], Some(Responsibility::Customer));
        assert!(r.boundary.is_empty());
        assert_eq!(r.effective, Responsibility::Customer);
    }

    #[test]
    fn no_service_in_scope_is_customer() {
        assert_eq!(
            resolve(&[Layer::Data], &[], None).derived,
            Responsibility::Customer
        );
    }
}
