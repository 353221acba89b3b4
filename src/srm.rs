//! The vocabulary of the Shared Responsibility Model: layers, parties,
//! service models and the three responsibilities.

use serde::{Deserialize, Serialize};

macro_rules! named_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $text:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($variant),* }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The name used in YAML and in reports.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            /// Parse the YAML name.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)* _ => None }
            }

            /// The YAML names, for hints.
            pub fn names() -> impl Iterator<Item = &'static str> {
                Self::ALL.iter().map(|v| v.as_str())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named_enum! {
    /// SRM layers, bottom to top.
    Layer {
        Physical => "physical",
        Hardware => "hardware",
        NetworkInfrastructure => "network-infrastructure",
        Virtualization => "virtualization",
        HostOs => "host-os",
        GuestOs => "guest-os",
        Platform => "platform",
        NetworkConfig => "network-config",
        FirewallConfig => "firewall-config",
        ServerSideEncryption => "server-side-encryption",
        NetworkTrafficProtection => "network-traffic-protection",
        ClientSideEncryption => "client-side-encryption",
        Identity => "identity",
        Application => "application",
        Data => "data",
    }
}

named_enum! {
    /// Who operates a layer of a service.
    Party { Provider => "provider", Customer => "customer" }
}

named_enum! {
    /// A provider service's model.
    ServiceModel { Infrastructure => "infrastructure", Container => "container", Abstract => "abstract" }
}

named_enum! {
    /// Who is responsible for a control.
    Responsibility { Inherited => "inherited", Shared => "shared", Customer => "customer" }
}

named_enum! {
    /// What an attestation says of a control.
    Status {
        Implemented => "implemented",
        PartiallyImplemented => "partially-implemented",
        Planned => "planned",
        Alternative => "alternative",
        NotApplicable => "not-applicable",
        NotImplemented => "not-implemented",
    }
}

named_enum! {
    /// How often fresh evidence is due.
    Frequency {
        Daily => "daily",
        Weekly => "weekly",
        Monthly => "monthly",
        Quarterly => "quarterly",
        Semiannually => "semiannually",
        Annually => "annually",
    }
}

impl Frequency {
    /// The date until which evidence collected on `date` stays fresh.
    pub fn valid_until(self, date: chrono::NaiveDate) -> chrono::NaiveDate {
        use chrono::{Days, Months};
        let d = match self {
            Frequency::Daily => date.checked_add_days(Days::new(1)),
            Frequency::Weekly => date.checked_add_days(Days::new(7)),
            Frequency::Monthly => date.checked_add_months(Months::new(1)),
            Frequency::Quarterly => date.checked_add_months(Months::new(3)),
            Frequency::Semiannually => date.checked_add_months(Months::new(6)),
            Frequency::Annually => date.checked_add_months(Months::new(12)),
        };
        d.unwrap_or(chrono::NaiveDate::MAX)
    }
}

/// The responsibility a control derives on one service: how the split moves
/// from service to service (guest OS: customer on EC2, inherited on Lambda).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceShare {
    pub service: String,
    pub responsibility: Responsibility,
}

impl Responsibility {
    /// The responsibility of a set of parties: only the provider is
    /// inherited, only the customer is customer, both are shared. Nobody (no
    /// service in scope) counts as the customer's: nothing can be inherited
    /// from a provider that runs none of it.
    pub fn of_parties(parties: impl IntoIterator<Item = Party>) -> Self {
        let (mut provider, mut customer) = (false, false);
        for p in parties {
            match p {
                Party::Provider => provider = true,
                Party::Customer => customer = true,
            }
        }
        match (provider, customer) {
            (true, false) => Responsibility::Inherited,
            (true, true) => Responsibility::Shared,
            (false, _) => Responsibility::Customer,
        }
    }
}

/// Who is responsible for each layer of one service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayerMap([Party; 15]);

impl LayerMap {
    pub fn new(parties: [Party; 15]) -> Self {
        LayerMap(parties)
    }

    pub fn get(&self, layer: Layer) -> Party {
        self.0[layer as usize]
    }

    pub fn set(&mut self, layer: Layer, party: Party) {
        self.0[layer as usize] = party;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for l in Layer::ALL {
            assert_eq!(Layer::parse(l.as_str()), Some(*l));
        }
        assert_eq!(Layer::ALL.len(), 15);
        assert_eq!(Status::parse("planned"), Some(Status::Planned));
        assert_eq!(Status::parse("done"), None);
    }

    #[test]
    fn frequency_adds_calendar_time() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 8, 31).unwrap();
        assert_eq!(Frequency::Monthly.valid_until(d).to_string(), "2026-09-30");
        assert_eq!(
            Frequency::Quarterly.valid_until(d).to_string(),
            "2026-11-30"
        );
        assert_eq!(Frequency::Annually.valid_until(d).to_string(), "2027-08-31");
        assert_eq!(Frequency::Weekly.valid_until(d).to_string(), "2026-09-07");
    }
}
