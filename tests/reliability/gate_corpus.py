"""A generated corpus of ways to make a query reach out (SERVICE, FROM, LOAD), spelled every way we know the
engine or the SPARQL grammar may read: case, `\\u` escapes in keywords and prefixed names, comments and every
white space between tokens, keywords glued to what follows or to a term before them, nested groups, the
`<` that pyoxigraph may read as "less than", names the engine ends early. Decoys hide the same words in
comments, strings, IRIs and variable names, so the gate must also let harmless text through.

    spellings(url, count, seed)     # deterministic: the same corpus for the same arguments

`run_on_engine` runs texts on a plain pyoxigraph store in a child process (with a time limit), as the query
workers would, to see whether the engine makes a request.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from itertools import product


def escaped(word: str, which: str) -> str:
    """`word` with some letters written as codepoint escapes."""
    out = []
    for i, c in enumerate(word):
        if which == "all" or (which == "first" and i == 0) or (which == "last" and i == len(word) - 1) \
                or (which == "odd" and i % 2):
            out.append(f"\\u{ord(c):04X}" if i % 3 else f"\\U{ord(c):08x}")
        else:
            out.append(c)
    return "".join(out)


def forms(word: str) -> list[str]:
    """Spellings of a keyword: cases and escapes."""
    return [word, word.lower(), word.title(), "".join(c.lower() if i % 2 else c for i, c in enumerate(word)),
            escaped(word, "first"), escaped(word, "last"), escaped(word, "all"), escaped(word.lower(), "odd")]


SEPARATORS = [" ", "", "\t", "\n", "\r\n", "\r", "  \t ", "#c\n", " # SERVICE <x> {}\n", "#\r", "\\u0020", "\\u000A",
              "\f", "\u00a0", " #\u2028\n"]
PROLOGUES = ["PREFIX ex: <{url}>\n", "PREFIX ex:<{url}>", "prefix ex: <{url}> ", ("PREFIX SILENTex: <{url}> "
             "PREFIX ex: <{url}> "), "BASE <{url}> PREFIX ex: <> ", "PREFIX ex: <{url}> PREFIX e\\u0078: <{url}> ",
             "PREFIX SERVICE: <{url}> PREFIX ex: <{url}> "]
TARGETS = ["<{url}>", "<{url}sparql>", "ex:", "ex:x", "ex:sp\\.arql", "SILENTex:x", "SERVICE:x", "<\\u0068ttp://{host}/>",
           "\\u003c{url}\\u003e", "e\\u0078:x", "<sparql>", "?endpoint"]
SILENT = ["", "SILENT ", "SILENT", "silent\n", "\\u0053ILENT ", "SILENT#x\n"]
# Where a clause X goes (some bind ?endpoint first).
CONTEXTS = [
    "SELECT * WHERE { X }", "SELECT*{X}", "ASK{X}", "CONSTRUCT{?s ?p ?o}WHERE{X}",
    "DESCRIBE ?s WHERE { X }", "SELECT * WHERE { ?s ?p ?o X }", "SELECT * WHERE { ?s ?p ?o .X }",
    "SELECT * WHERE { {}X }", "SELECT * WHERE { OPTIONAL{}X }", "SELECT * WHERE { {} UNION {X} }",
    "SELECT * WHERE { GRAPH ?g {X} }", "SELECT * WHERE { FILTER EXISTS {X} }",
    "SELECT * WHERE { MINUS {X} }", "SELECT * WHERE { { SELECT * WHERE {X} } }",
    "SELECT * WHERE { ?s ?p 1X }", "SELECT * WHERE { ?s ?p \"x\"X }", "SELECT * WHERE { ?s ?p trueX }",
    "SELECT * WHERE { ?s ?p ex:a.b.X }", "SELECT * WHERE { ?s ?p ex:.X }", "SELECT * WHERE { ?s ?p ?oX }",
    "SELECT * WHERE { ?s ?p ?o FILTER(1<2)X }", "SELECT * WHERE { BIND(<{url}> AS ?endpoint)X }",
    "SELECT * WHERE { VALUES ?endpoint {<{url}>}X }", "SELECT * WHERE { FILTER(?a<?b#>\n) X }",
    "SELECT * WHERE { FILTER(?a<?b#>\"\"\"\n) X #\"\"\"\n}", "SELECT * WHERE { FILTER(?a<'>?b) X #'\n}",
    "SELECT * WHERE { { { { X } } } }", "SELECT * WHERE { ?s ?p ?o } # X", "SELECT * WHERE { BIND('X' AS ?t) }",
    "SELECT * WHERE { BIND(\"\"\"\nX\n\"\"\" AS ?t) }", "SELECT * WHERE { BIND(\"\\u0022 AS ?t) X BIND(\\u0022\" AS ?u) }",
]
DATASETS = ["FROM <{url}>", "FROM NAMED <{url}>", "FROMNAMED<{url}>", "FROM\tNAMED\nex:g", "FROMex:g", "from <{url}g>",
            "\\u0046ROM <{url}>", "FROM NAMEDex:g", "FROM#x\n<{url}>", "FROM <{url}> FROM NAMED ex:g"]
DATASET_QUERIES = ["SELECT * D WHERE { ?s ?p ?o }", "SELECT*D{?s ?p ?o}", "ASK D { GRAPH ?g { ?s ?p ?o } }",
                   "CONSTRUCT { ?s ?p ?o } D WHERE { ?s ?p ?o }", "DESCRIBE ?s D WHERE { ?s ?p ?o }",
                   "SELECT ?s D{?s ?p ?o}", "SELECT (1 AS ?x)D{}"]
LOADS = ["LOAD <{url}>", "LOAD<{url}>", "LOADSILENT<{url}>", "LOAD SILENT <{url}> INTO GRAPH <{url}g>", "LOADex:x",
         "load\n<{url}>", "\\u004cOAD <{url}>", "INSERT DATA { <a:a> <a:b> <a:c> }; LOAD <{url}>",
         "SELECT * {} ; LOAD <{url}>", "SELECT * WHERE { } LOAD <{url}>", "CLEAR ALL; LOAD <{url}>",
         "WITH <{url}> INSERT { ?s ?p ?o } WHERE { SERVICE <{url}> { } }"]


def service_clauses() -> list[str]:
    out = []
    for keyword, sep, silent, target in product(forms("SERVICE"), SEPARATORS, SILENT, TARGETS):
        out.append(f"{keyword}{sep}{silent}{target}{sep}{{ }}")
    return out


def spellings(url: str, count: int = 12000, seed: int = 12) -> list[str]:
    """`count` distinct query texts naming `url` (an http://127.0.0.1:PORT/ address) in SERVICE, FROM and
    LOAD, spelled as described above."""
    host = url.split("/")[2]
    rng = random.Random(seed)
    clauses = service_clauses()
    texts: set[str] = set()

    def add(template: str, prologue: str = "") -> None:
        texts.add((prologue + template).replace("{url}", url).replace("{host}", host))

    for prologue in PROLOGUES:             # every prologue, dataset clause and LOAD spelling at least once
        for dataset, query in product(DATASETS, DATASET_QUERIES):
            add(query.replace("D", " " + dataset + " "), prologue)
        for load in LOADS:
            add(load, prologue)
    while len(texts) < count:
        context = rng.choice(CONTEXTS)
        clause = rng.choice(clauses)
        add(context.replace("X", clause), rng.choice(PROLOGUES + [""]))
    return sorted(texts)[:count] if len(texts) > count else sorted(texts)


ENGINE = r'''
import json, sys
import pyoxigraph as ox
store = ox.Store()
store.add(ox.Quad(ox.NamedNode("http://a/s"), ox.NamedNode("http://a/p"), ox.NamedNode("http://a/o")))
ran = 0
for line in sys.stdin:
    item = json.loads(line)
    try:
        if item["update"]:
            store.update(item["text"])
        else:
            result = store.query(item["text"], base_iri="http://127.0.0.1/sparql")
            if not isinstance(result, bool):
                list(result)
    except Exception:
        pass
    ran += 1
print(ran)
'''


def run_on_engine(texts: list[str], *, update: bool = False, timeout: float = 300) -> int:
    """Run each text on a plain pyoxigraph store in a child process (Store.update too when `update`);
    the number run. Errors are the engine's business: only the requests it makes matter here."""
    modes = (False, True) if update else (False,)
    lines = "".join(json.dumps({"text": t, "update": u}) + "\n" for t in texts for u in modes)
    done = subprocess.run([sys.executable, "-c", ENGINE], check=False, input=lines, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
    return int(done.stdout.strip())
