"""Evaluate incident-score's own norm() and match() for the Go cross-check.

usage: python3 pyfuncs.py PATH/TO/incident-score < request.json > answer.json

request: {"norm": [str, ...], "match": [[names, alts], ...], "chars": bool}
answer:  {"norm": [str, ...], "match": [bool, ...], "chars": [[codepoint, norm], ...]}
where "chars", if requested, lists every code point c for which norm("x" + c + "y")
is not "x y".
"""
import importlib.machinery, importlib.util, json, sys

loader = importlib.machinery.SourceFileLoader("incident_score", sys.argv[1])
spec = importlib.util.spec_from_loader("incident_score", loader)
mod = importlib.util.module_from_spec(spec)
loader.exec_module(mod)

req = json.load(sys.stdin)
chars = []
for cp in range(0x110000 if req.get("chars") else 0):
    if 0xD800 <= cp <= 0xDFFF:
        continue
    n = mod.norm("x" + chr(cp) + "y")
    if n != "x y":
        chars.append([cp, n])
json.dump({
    "norm": [mod.norm(s) for s in req["norm"]],
    "match": [mod.match(n, a) for n, a in req["match"]],
    "chars": chars,
}, sys.stdout)
