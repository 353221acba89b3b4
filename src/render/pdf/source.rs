//! The blocks of a report, read chunk by chunk (`chunks.rs`) each time the
//! layout goes through them: only one chunk's blocks are held at a time,
//! and a long table is handed over as parts that are parsed when read.

use super::blocks::{parse, Block};
use super::chunks::Chunk;
use super::table;

/// A block, or a long table read part by part.
pub enum Item<'a> {
    Block(Block),
    Table(LongTable<'a>),
}

/// A table whose rows are parsed a group at a time.
pub struct LongTable<'a> {
    head: &'a str,
    groups: &'a [&'a str],
}

impl LongTable<'_> {
    /// Each group of rows, as a table with the header of the whole.
    pub fn each(&self, f: &mut dyn FnMut(&table::Table<'_>)) {
        for group in self.groups {
            let mut md = String::with_capacity(self.head.len() + group.len());
            md.push_str(self.head);
            md.push_str(group);
            for b in parse(&md) {
                if let Block::Table {
                    aligns,
                    head,
                    rows,
                    anchors,
                } = &b
                {
                    f(&table::Table {
                        aligns,
                        head,
                        rows,
                        anchors,
                    });
                }
            }
        }
    }

    /// The whole table as one block.
    pub fn whole(&self) -> Block {
        let mut whole: Option<Block> = None;
        self.each(&mut |t| match &mut whole {
            Some(Block::Table { rows, anchors, .. }) => {
                rows.extend_from_slice(t.rows);
                anchors.extend_from_slice(t.anchors);
            }
            _ => {
                whole = Some(Block::Table {
                    aligns: t.aligns.to_vec(),
                    head: t.head.to_vec(),
                    rows: t.rows.to_vec(),
                    anchors: t.anchors.to_vec(),
                })
            }
        });
        whole.unwrap_or(Block::Rule)
    }
}

/// The items of `chunks`, in order, each chunk parsed when reached.
pub fn items<'a>(chunks: &'a [Chunk<'a>]) -> impl Iterator<Item = Item<'a>> + 'a {
    chunks
        .iter()
        .flat_map(|c| -> Box<dyn Iterator<Item = Item<'a>>> {
            match c {
                Chunk::Text(md) => Box::new(parse(md).into_iter().map(Item::Block)),
                Chunk::Table { head, groups } => {
                    Box::new(std::iter::once(Item::Table(LongTable { head, groups })))
                }
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::chunks;

    /// A report of many sections and a table of many rows.
    fn long_report() -> String {
        let mut md = String::from(
            "# Audit — X\n\n## Matrix\n\n| Id | Control | Status |\n| --- | :-- | --: |\n",
        );
        for i in 0..4000 {
            md.push_str(&format!(
                "| R-{i} <a id=\"r-{i}\"></a> | [C-{c}](#c-{c}) **b** | ✅ implemented |\n",
                c = i % 9
            ));
        }
        md.push_str("\n## Controls\n\n");
        for i in 0..1500 {
            md.push_str(&format!("<a id=\"c-{i}\"></a>\n\n### C-{i} — *control*\n\n| | |\n| --- | --- |\n| Status | ◐ partial |\n\n- one\n- two\n\n> quoted\n\n```\ncode {i}\n\n# in code\n```\n\n"));
        }
        md
    }

    #[test]
    fn blocks_read_by_chunks_are_those_of_the_whole() {
        let md = long_report();
        let chunks = chunks::split(&md);
        assert!(chunks.len() > 5);
        assert!(chunks.iter().any(|c| matches!(c, Chunk::Table { .. })));
        let read: Vec<Block> = items(&chunks)
            .map(|i| match i {
                Item::Block(b) => b,
                Item::Table(t) => t.whole(),
            })
            .collect();
        assert!(read == parse(&md), "chunked parse differs");
    }
}
