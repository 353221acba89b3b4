#!/usr/bin/env python3
"""The module graph of `use crate::`/`crate::` paths in src/, and its cycles (strongly connected components)."""
import re, sys, pathlib
root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "src")
def module_of(path):
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] in ("mod", "main", "lib"): parts = parts[:-1]
    return "::".join(parts) or "crate"
mods = {module_of(p): p for p in root.rglob("*.rs")}
def resolve(path_parts):
    # longest prefix that is a module
    for k in range(len(path_parts), 0, -1):
        cand = "::".join(path_parts[:k])
        if cand in mods: return cand
    return None
edges = {m: set() for m in mods}
ref_re = re.compile(r'crate::((?:\w+::)*\w+)')
for m, p in mods.items():
    text = p.read_text()
    # expand `use crate::a::{b, c::d}` groups roughly
    for g in re.finditer(r'crate::((?:\w+::)*)\{([^}]*)\}', text):
        base = g.group(1).rstrip(':').split('::') if g.group(1) else []
        for item in g.group(2).split(','):
            item = item.strip().split(' as ')[0].split('::{')[0]
            if not item: continue
            t = resolve([x for x in base + item.split('::') if x and x != 'self'])
            if t and t != m and not m.startswith(t + "::") : edges[m].add(t)
    for r in ref_re.finditer(text):
        t = resolve(r.group(1).split('::'))
        if t and t != m and not m.startswith(t + "::"): edges[m].add(t)
    # super:: paths
    for r in re.finditer(r'super::((?:\w+::)*\w+)', text):
        base = m.split('::')
        is_mod = p.name == 'mod.rs'
        parent = base[:-1]
        t = resolve(parent + r.group(1).split('::'))
        if t and t != m and not m.startswith(t + "::"): edges[m].add(t)
# Tarjan SCC
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]
sys.setrecursionlimit(10000)
def strong(v):
    index[v] = low[v] = counter[0]; counter[0] += 1; stack.append(v); on.add(v)
    for w in edges[v]:
        if w not in index: strong(w); low[v] = min(low[v], low[w])
        elif w in on: low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        sccs.append(comp)
for v in edges:
    if v not in index: strong(v)
cycles = [sorted(c) for c in sccs if len(c) > 1]
if "-v" in sys.argv:
    for m in sorted(edges): print(m, "->", ", ".join(sorted(edges[m])))
for c in cycles: print("cycle:", " <-> ".join(c))
print(f"{len(mods)} modules, {sum(len(e) for e in edges.values())} edges, {len(cycles)} cycle(s)")
sys.exit(1 if cycles else 0)
