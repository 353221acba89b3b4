//! The document outline (bookmarks): sections, and the headings inside each
//! (closed), as lopdf objects.

use super::file::text_string;
use super::pager::OutlineItem;
use super::style::PAGE_H;
use lopdf::{Dictionary, Object, ObjectId};

/// Add the outline of `items` to `doc`, pointing into the pages `page_id`
/// gives; its root, when there is anything in it. The root's id is taken
/// even for an empty outline.
pub fn add(
    doc: &mut lopdf::Document,
    items: &[OutlineItem],
    page_id: &dyn Fn(usize) -> ObjectId,
) -> Option<ObjectId> {
    let root = doc.new_object_id();
    let ids: Vec<ObjectId> = items.iter().map(|_| doc.new_object_id()).collect();
    // Top-level items, each with the indices of its children.
    let mut top: Vec<(usize, Vec<usize>)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match top.last_mut() {
            Some(last) if item.level > 1 => last.1.push(i),
            _ => top.push((i, Vec::new())),
        }
    }
    let entry = |i: usize, parent: ObjectId| {
        let item = &items[i];
        let mut d = Dictionary::new();
        d.set("Title", text_string(&item.title));
        d.set("Parent", Object::Reference(parent));
        d.set(
            "Dest",
            Object::Array(vec![
                Object::Reference(page_id(item.page)),
                Object::Name(b"XYZ".to_vec()),
                Object::Real(0.0),
                Object::Real(PAGE_H - item.y + 6.0),
                Object::Null,
            ]),
        );
        d
    };
    for (t, (i, children)) in top.iter().enumerate() {
        let mut d = entry(*i, root);
        siblings(
            &mut d,
            t.checked_sub(1).map(|p| ids[top[p].0]),
            top.get(t + 1).map(|n| ids[n.0]),
        );
        if let (Some(first), Some(last)) = (children.first(), children.last()) {
            d.set("First", Object::Reference(ids[*first]));
            d.set("Last", Object::Reference(ids[*last]));
            d.set("Count", Object::Integer(-(children.len() as i64)));
        }
        for (k, c) in children.iter().enumerate() {
            let mut cd = entry(*c, ids[*i]);
            let prev = k.checked_sub(1).map(|p| ids[children[p]]);
            siblings(&mut cd, prev, children.get(k + 1).map(|n| ids[*n]));
            doc.objects.insert(ids[*c], Object::Dictionary(cd));
        }
        doc.objects.insert(ids[*i], Object::Dictionary(d));
    }
    let (first, last) = (top.first()?, top.last()?);
    let mut o = Dictionary::new();
    o.set("Type", Object::Name(b"Outlines".to_vec()));
    o.set("First", Object::Reference(ids[first.0]));
    o.set("Last", Object::Reference(ids[last.0]));
    o.set("Count", Object::Integer(top.len() as i64));
    doc.objects.insert(root, Object::Dictionary(o));
    Some(root)
}

fn siblings(d: &mut Dictionary, prev: Option<ObjectId>, next: Option<ObjectId>) {
    if let Some(p) = prev {
        d.set("Prev", Object::Reference(p));
    }
    if let Some(n) = next {
        d.set("Next", Object::Reference(n));
    }
}
