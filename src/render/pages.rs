//! Which page holds each control's section: every reported control is
//! rendered once per format, into `controls/<family>.EXT`, and a family
//! whose sections would exceed [`PAGE_BUDGET`] is split into
//! `controls/<family>-part-N.EXT` pages. Reports link to these pages.

use super::anchors::slug_of;
use crate::model::{ReportModel, ResolvedControl};
use crate::srm::Responsibility;
use serde::Serialize;
use std::collections::HashMap;

/// The most bytes of control sections one page should hold, as
/// [`estimate`] counts them (the HTML, the larger format).
pub const PAGE_BUDGET: usize = 1_500_000;

/// An estimate of the bytes one control takes on its HTML page: a fixed part
/// for its facts and headings, its texts, and a row per requirement,
/// evidence item (in its section and in the page's evidence index),
/// exception and earlier attestation.
pub fn estimate(c: &ResolvedControl) -> usize {
    let text = |a: &crate::model::ResolvedAttestation| {
        a.narrative.len() + a.attested_by.len() + a.location.len()
    };
    let evidence = |a: &crate::model::ResolvedAttestation| {
        a.evidence
            .iter()
            .map(|e| 4 * e.target.len() + e.description.len() + 700)
            .sum::<usize>()
            + a.exceptions
                .iter()
                .map(|x| x.description.len() + 260)
                .sum::<usize>()
    };
    let mut n = 2_500
        + c.title.len()
        + 2 * (c.description.len() + c.provider_part.len() + c.customer_part.len())
        + 120 * (c.requirements.len() + c.provider_attestations.len());
    if let Some(a) = &c.attestation {
        n += 600 + 2 * text(a) + evidence(a);
    }
    for a in &c.earlier {
        n += 300 + a.attested_by.len() + a.evidence.len() * 200;
    }
    n
}

/// One page of control sections.
#[derive(Debug, Serialize)]
pub struct ControlPage<'a> {
    /// Package-relative path without extension (`controls/iam`).
    pub stem: String,
    pub family: &'a str,
    /// 1-based part of the family, and how many parts it has.
    pub part: usize,
    pub parts: usize,
    #[serde(skip)]
    pub inherited: Vec<&'a ResolvedControl>,
    #[serde(skip)]
    pub shared: Vec<&'a ResolvedControl>,
    #[serde(skip)]
    pub customer: Vec<&'a ResolvedControl>,
    /// How many controls the page holds.
    pub count: usize,
}

/// Every control page of a package, families in name order.
#[derive(Debug)]
pub struct ControlPages<'a> {
    pub pages: Vec<ControlPage<'a>>,
    page_of: HashMap<&'a str, usize>,
}

impl<'a> ControlPages<'a> {
    /// The pages of every reported control of `model`.
    pub fn of(model: &'a ReportModel) -> Self {
        Self::split(model.controls.iter().filter(|c| c.reported()), PAGE_BUDGET)
    }

    /// Group `controls` by family (in name order; within a family,
    /// inherited, shared then customer, each in the given order) and cut a
    /// family into parts where its estimated size would pass `budget`.
    pub fn split(controls: impl Iterator<Item = &'a ResolvedControl>, budget: usize) -> Self {
        let mut families: std::collections::BTreeMap<&str, Vec<&ResolvedControl>> =
            Default::default();
        for c in controls {
            families.entry(c.family.as_str()).or_default().push(c);
        }
        let mut pages = Vec::new();
        let mut taken = std::collections::HashSet::new();
        for (family, mut list) in families {
            list.sort_by_key(|c| rank(c.responsibility));
            let mut slug = slug_of(family);
            if !taken.insert(slug.clone()) {
                let base = slug.clone();
                let mut n = 2;
                while !taken.insert(format!("{base}-{n}")) {
                    n += 1;
                }
                slug = format!("{base}-{n}");
            }
            let parts = cut(&list, budget);
            let count = parts.len();
            for (i, part) in parts.into_iter().enumerate() {
                let with = |r: Responsibility| {
                    part.iter()
                        .copied()
                        .filter(|c| c.responsibility == r)
                        .collect::<Vec<_>>()
                };
                pages.push(ControlPage {
                    stem: if count == 1 {
                        format!("controls/{slug}")
                    } else {
                        format!("controls/{slug}-part-{}", i + 1)
                    },
                    family,
                    part: i + 1,
                    parts: count,
                    inherited: with(Responsibility::Inherited),
                    shared: with(Responsibility::Shared),
                    customer: with(Responsibility::Customer),
                    count: part.len(),
                });
            }
        }
        let page_of = pages
            .iter()
            .enumerate()
            .flat_map(|(i, p)| p.controls().map(move |c| (c.id.as_str(), i)))
            .collect();
        ControlPages { pages, page_of }
    }

    /// The stem of the page holding control `id`.
    pub fn stem_of(&self, id: &str) -> Option<&str> {
        self.page_of.get(id).map(|&i| self.pages[i].stem.as_str())
    }

    /// Every control of responsibility `r`, in page order.
    pub fn with(&self, r: Responsibility) -> impl Iterator<Item = &'a ResolvedControl> + '_ {
        self.pages
            .iter()
            .flat_map(|p| p.controls())
            .filter(move |c| c.responsibility == r)
    }
}

impl<'a> ControlPage<'a> {
    /// The page's controls, inherited, shared then customer.
    pub fn controls(&self) -> impl Iterator<Item = &'a ResolvedControl> + '_ {
        self.inherited
            .iter()
            .chain(&self.shared)
            .chain(&self.customer)
            .copied()
    }
}

fn rank(r: Responsibility) -> u8 {
    match r {
        Responsibility::Inherited => 0,
        Responsibility::Shared => 1,
        Responsibility::Customer => 2,
    }
}

/// Consecutive runs of `list` whose estimates stay within `budget` (a
/// control larger than the budget gets a page of its own).
fn cut<'a>(list: &[&'a ResolvedControl], budget: usize) -> Vec<Vec<&'a ResolvedControl>> {
    let mut out: Vec<Vec<&ResolvedControl>> = vec![Vec::new()];
    let mut size = 0;
    for &c in list {
        let n = estimate(c);
        if size + n > budget && out.last().is_some_and(|p| !p.is_empty()) {
            out.push(Vec::new());
            size = 0;
        }
        size += n;
        if let Some(p) = out.last_mut() {
            p.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn control(
        id: &str,
        family: &str,
        responsibility: &str,
        description: usize,
    ) -> ResolvedControl {
        serde_json::from_value(serde_json::json!({
            "id": id, "title": "t", "family": family, "origin": "project", "in_scope": true,
            "layers": [], "services": [], "responsibility": responsibility,
            "derived": responsibility, "declared": null, "boundary_error": false, "matrix": [],
            "frequency": "annually", "owner": "", "description": "x".repeat(description),
            "provider_part": "", "customer_part": "", "status": "implemented",
            "freshness": "fresh", "attestation": null, "earlier": [], "issues": [],
            "requirements": [{"framework": "soc2", "id": "CC6.1"}], "provider_attestations": []
        }))
        .unwrap()
    }

    #[test]
    fn families_are_pages_and_large_ones_are_cut_into_parts_within_the_budget() {
        let controls = [
            control("B-1", "Backup", "customer", 10),
            control("A-1", "Access & Identity", "customer", 4_000),
            control("A-2", "Access & Identity", "inherited", 4_000),
            control("A-3", "Access & Identity", "shared", 4_000),
            control("X-1", "access identity", "customer", 10),
        ];
        let budget = 2 * estimate(&controls[1]);
        let pages = ControlPages::split(controls.iter(), budget);
        let stems: Vec<&str> = pages.pages.iter().map(|p| p.stem.as_str()).collect();
        assert_eq!(
            stems,
            [
                "controls/access-identity-part-1",
                "controls/access-identity-part-2",
                "controls/backup",
                "controls/access-identity-2"
            ]
        );
        // Inherited first, then shared, then customer, cut where the budget ends.
        let first: Vec<&str> = pages.pages[0].controls().map(|c| c.id.as_str()).collect();
        assert_eq!(first, ["A-2", "A-3"]);
        assert_eq!((pages.pages[1].part, pages.pages[1].parts), (2, 2));
        for p in &pages.pages {
            assert!(
                p.controls().map(estimate).sum::<usize>() <= budget,
                "{}",
                p.stem
            );
        }
        assert_eq!(
            pages.stem_of("A-1"),
            Some("controls/access-identity-part-2")
        );
        assert_eq!(pages.stem_of("Z-9"), None);
    }
}
