#!/usr/bin/env python3
"""Lists functions in src/ longer than a limit (default 80 lines), brace-counted."""
import re, sys, pathlib
limit = int(sys.argv[1]) if len(sys.argv) > 1 else 80
root = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else "src")
fn_re = re.compile(r'^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)')
def strip(line):
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(\\.|[^'\\])'", "''", line)
    return line.split('//')[0]
out = []
for path in sorted(root.rglob("*.rs")):
    lines = path.read_text().splitlines()
    i = 0
    while i < len(lines):
        m = fn_re.match(lines[i])
        if m:
            depth, started, j = 0, False, i
            while j < len(lines):
                s = strip(lines[j])
                if not started and ';' in s and '{' not in s:
                    break
                depth += s.count('{') - s.count('}')
                if '{' in s: started = True
                if started and depth <= 0:
                    n = j - i + 1
                    if n > limit: out.append((n, f"{path}:{i+1}", m.group(6)))
                    break
                j += 1
        i += 1
for n, loc, name in sorted(out, reverse=True):
    print(f"{n:5} {loc} {name}")
sys.exit(1 if out else 0)
