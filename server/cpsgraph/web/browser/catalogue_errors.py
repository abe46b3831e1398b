"""The service's own error messages in the reader's language (decision 0025): one entry per `CpsError.key`,
with the fields of the error's `values`. The English is the message protocol clients read (`CpsError.message`,
stable and documented); the Spanish says the same. An engine's own text (pyoxigraph's parse errors, a remote
store's answer) is not ours: pages show it beside our sentence, marked as the engine's and as English.
"""

from __future__ import annotations

AT = ("en la línea {line}, columna {column}", "at line {line}, column {column}")

STRINGS: dict[str, tuple[str, str]] = {
    # how an error page or the editor names the parts of an error
    "error.engine": ("Mensaje del motor de consultas, tal como lo da (en inglés)", "The query engine's own message"),
    "error.explained": ("Qué pasó", "What happened"),
    "error.403.title": ("Consulta rechazada", "Query refused"),
    "error.403.what": ("El servicio no ejecuta esta consulta; el detalle indica por qué y cómo escribirla.",
                       "The service does not run this query; the detail says why and how to write it."),
    "error.502.title": ("Error del almacén remoto", "Remote store error"),
    "error.502.what": ("El almacén de tripletas que usa este servicio respondió con un error.",
                       "The triplestore behind this service answered with an error."),
    # the query gate (store/guard.py, store/limits.py, sparql_lexer.py): what the service refuses to run
    "gate.unclosed": (f"La consulta tiene una cadena que no se cierra {AT[0]}.",
                      f"The query holds a string that does not close {AT[1]}."),
    "gate.character": (f"La consulta tiene el carácter {{character}} {AT[0]}, que no empieza ningún elemento de "
                       "SPARQL.", f"The query holds the character {{character}} {AT[1]}."),
    "gate.unreadable": (f"La consulta no se puede leer {AT[0]}.", f"The query cannot be read {AT[1]}."),
    "gate.tokens": (f"La consulta tiene más de {{limit}} elementos (el último {AT[0]}); este servicio acepta "
                    "como máximo {limit}.",
                    f"The query holds more than {{limit}} tokens (the last {AT[1]}); this service accepts at "
                    "most {limit}."),
    "gate.characters": ("La consulta tiene {count} caracteres «{character}»; este servicio acepta como máximo "
                        "{limit} (tantos como elementos).", "The query holds {count} `{character}` characters; this "
                        "service accepts at most {limit} (as many as tokens)."),
    "gate.quotes": ("La consulta tiene {count} caracteres «{character}»; este servicio acepta como máximo {limit} "
                    "(tantos como elementos, dos por cadena).", "The query holds {count} `{character}` characters; "
                    "this service accepts at most {limit} (as many as tokens, two per string)."),
    "gate.pname": (f"El nombre con prefijo {{name}} {AT[0]} está mal formado (un prefijo termina en punto, o a "
                   "un «%» no le siguen dos dígitos hexadecimales).",
                   f"The prefixed name {{name}} {AT[1]} is not well formed (a prefix ends with a dot, or a `%` "
                   "is not followed by two hex digits)."),
    "gate.escape": (f"El escape {AT[0]} equivale a {{character}}: SPARQL 1.1 lee esos escapes antes que la "
                    "gramática y el motor no, así que los dos leerían esta consulta de forma distinta. Escriba el "
                    "carácter mismo.",
                    f"The escape {AT[1]} stands for {{character}}: SPARQL 1.1 reads such escapes before the "
                    "grammar and the engine does not, so the two would read this query differently. Write the "
                    "character itself."),
    "gate.no-query": ("La solicitud no contiene ninguna consulta (solo un prólogo, comentarios o espacios).",
                      "The request holds no query (only a prologue, comments or white space)."),
    "gate.update": (f"Este punto de acceso es de solo lectura: no acepta SPARQL Update (aquí {{form}} {AT[0]}).",
                    f"This endpoint is read-only: SPARQL Update (here {{form}} {AT[1]}) is refused."),
    "gate.update-word": (f"{{form}} {AT[0]} no se acepta: este punto de acceso es de solo lectura.",
                         f"{{form}} {AT[1]} is refused: this endpoint is read-only."),
    "gate.form": (f"Se esperaba SELECT, CONSTRUCT, DESCRIBE o ASK {AT[0]}, y se encontró {{found}}.",
                  f"Expected SELECT, CONSTRUCT, DESCRIBE or ASK {AT[1]}, found {{found}}."),
    "gate.from": (f"FROM {AT[0]} debe nombrar un grafo por su IRI.", f"FROM {AT[1]} must name a graph by an IRI."),
    "gate.service-iri": (f"SERVICE {AT[0]} debe nombrar un punto de acceso por un IRI absoluto (se encontró "
                         "{found}); no se aceptan variables ni IRI relativos.",
                         f"SERVICE {AT[1]} must name an absolute endpoint IRI (found {{found}}); variables and "
                         "relative IRIs are refused."),
    "gate.glued": (f"{{word}} {AT[0]} no es una palabra clave de SPARQL, pero el motor la leería como {{keyword}} "
                   "pegada a lo que sigue; separe las palabras clave.",
                   f"{{word}} {AT[1]} is not a SPARQL keyword, but the engine would read it as {{keyword}} glued "
                   "to what follows; write keywords apart."),
    "gate.word": (f"{{word}} {AT[0]} no es una palabra clave de SPARQL (un nombre necesita un prefijo, "
                  "«prefijo:nombre», y una variable un «?»).",
                  f"{{word}} {AT[1]} is not a SPARQL keyword (a name needs a prefix, `prefix:name`, a variable "
                  "a `?`)."),
    "gate.glued-prefix": (f"El motor leería el nombre con prefijo {{name}} {AT[0]} como {{keyword}} pegada a un "
                          "nombre; cambie el prefijo.",
                          f"The prefixed name {{name}} {AT[1]} reads as {{keyword}} glued to a name for the "
                          "engine; rename the prefix."),
    "gate.hidden.dots": (f"La consulta tiene un nombre con prefijo con puntos en dos lugares {AT[0]} (el motor lo "
                         "termina en el segundo): el motor y la gramática de SPARQL leerían de forma distinta lo "
                         "que sigue, así que no se acepta.",
                         f"The query holds a prefixed name with dots in two places (the engine ends it at the "
                         f"second) {AT[1]}: the engine and the SPARQL grammar would read the text after it "
                         "differently, so it is refused."),
    "gate.hidden.string": (f"La consulta tiene una cadena que sigue en las líneas siguientes tras un IRI con «#» "
                           f"{AT[0]}: el motor y la gramática de SPARQL leerían de forma distinta lo que sigue, así "
                           "que no se acepta.",
                           f"The query holds a string running onto the next lines after an IRI holding `#` "
                           f"{AT[1]}: the engine and the SPARQL grammar would read the text after it differently, "
                           "so it is refused."),
    "gate.hidden.quote": (f"La consulta tiene un IRI con «'» {AT[0]} (escríbalo como nombre con prefijo, con "
                          "«\\'»): el motor y la gramática de SPARQL leerían de forma distinta lo que sigue, así "
                          "que no se acepta.",
                          f"The query holds an IRI holding `'` (write it as a prefixed name with `\\'`) {AT[1]}: "
                          "the engine and the SPARQL grammar would read the text after it differently, so it is "
                          "refused."),
    "gate.service": ("SERVICE <{endpoint}> no se acepta: las consultas federadas solo pueden llegar a los puntos "
                     "de acceso de la lista de este servicio (CPS_SERVICE_ALLOWLIST; permitidos: {listed}).",
                     "SERVICE <{endpoint}> is refused: federated queries may only reach the endpoints on this "
                     "service's allow-list (CPS_SERVICE_ALLOWLIST; allowed: {listed})."),
    "gate.service-none": ("SERVICE <{endpoint}> no se acepta: este servicio no hace consultas federadas a otros "
                          "puntos de acceso (su lista CPS_SERVICE_ALLOWLIST está vacía).",
                          "SERVICE <{endpoint}> is refused: federated queries may only reach the endpoints on "
                          "this service's allow-list (CPS_SERVICE_ALLOWLIST; allowed: {listed})."),
    "gate.nesting": (f"La consulta anida grupos, corchetes o paréntesis en más de {{limit}} niveles ({AT[0]}); "
                     "este servicio acepta como máximo {limit}.",
                     f"The query nests groups, brackets or parentheses more than {{limit}} levels deep "
                     f"({AT[1]}); this service accepts at most {{limit}}."),
    "gate.operators": (f"La consulta tiene más de {{limit}} operadores («||», «&&», «!», «+», «=», UNION…) "
                       f"({AT[0]}); este servicio acepta como máximo {{limit}}. Use VALUES o IN para las listas "
                       "largas.",
                       f"The query holds more than {{limit}} operators (`||`, `&&`, `!`, `+`, `=`, UNION, ...) "
                       f"({AT[1]}); this service accepts at most {{limit}}. Use VALUES or IN for long lists."),
    "gate.patterns": (f"La consulta tiene más de {{limit}} patrones (FILTER, BIND, OPTIONAL, UNION, GRAPH, VALUES, "
                      f"grupos «{{{{ }}}}», expresiones «(… AS ?x)», patrones de tripletas) ({AT[0]}); este servicio "
                      "acepta como máximo {limit}. Use VALUES o un camino de propiedades para las listas largas.",
                      f"The query holds more than {{limit}} patterns (FILTER, BIND, OPTIONAL, UNION, GRAPH, VALUES, "
                      f"`{{{{ }}}}` groups, `(... AS ?x)` expressions, triple patterns) ({AT[1]}); this service "
                      "accepts at most {limit}. Use VALUES or a property path for long lists."),
    # the engine's own parse error (store/workers.py): our sentence, its text beside it
    "engine.syntax": ("El motor de consultas no pudo leer la consulta: no sigue la gramática de SPARQL 1.1. Su "
                      "mensaje indica dónde se detuvo (línea:columna) y qué esperaba.",
                      "The query engine could not parse the query; its own message says where it stopped "
                      "(line:column) and what it expected."),
    # limits of a query's evaluation and a busy service (store/workers.py, web/fairness.py, store/answer.py)
    "limit.time": ("La consulta tardó más que el límite de {limit} s y se detuvo. Acote sus patrones o añada un "
                   "LIMIT; el operador fija el límite (CPS_QUERY_TIMEOUT).",
                   "The query ran longer than the time limit of {limit} s and was stopped. Narrow its patterns or "
                   "add a LIMIT; the operator sets the limit (CPS_QUERY_TIMEOUT)."),
    "limit.memory": ("La consulta necesitó más memoria que los {limit} MiB que puede usar una consulta y se "
                     "detuvo. Acote sus patrones, ordene o agrupe menos soluciones, o añada un LIMIT; el operador "
                     "fija el límite (CPS_QUERY_MEMORY). Las demás solicitudes no se ven afectadas.",
                     "The query needed more memory than the {limit} MiB a query may use and was stopped. Narrow "
                     "its patterns, sort or group fewer solutions, or add a LIMIT; the operator sets the limit "
                     "(CPS_QUERY_MEMORY). Other requests are not affected."),
    "busy.client": ("Este cliente ya tiene {share} solicitudes en curso, su parte del servicio "
                    "(CPS_CLIENT_QUERIES), y esta las esperó {wait} s (CPS_ADMISSION_WAIT); envíela de nuevo "
                    "cuando una de ellas haya respondido.",
                    "This client already has {share} requests being answered, its share of this service "
                    "(CPS_CLIENT_QUERIES), and this one waited for them for {wait} s (CPS_ADMISSION_WAIT); send it "
                    "again when one of them has answered."),
    "busy.fair": ("El punto de acceso SPARQL está ocupado y este cliente ya tiene su parte justa (los hilos se "
                  "reparten entre los clientes que preguntan); esta solicitud esperó {wait} s "
                  "(CPS_ADMISSION_WAIT). Envíela de nuevo cuando una de sus consultas haya respondido.",
                  "The SPARQL endpoint is busy and this client already holds its fair part of it (its request "
                  "threads shared among the clients asking); this request waited {wait} s (CPS_ADMISSION_WAIT). "
                  "Send it again when one of this client's queries has answered."),
    "busy.full": ("Todos los hilos que puede usar el punto de acceso SPARQL siguieron ocupados durante {wait} s "
                  "(CPS_ADMISSION_WAIT); vuelva a intentarlo en un momento.",
                  "Every request thread the SPARQL endpoint may use stayed busy for {wait} s (CPS_ADMISSION_WAIT); "
                  "try again in a moment."),
    "busy.workers": ("Los {size} procesos de consulta siguieron ocupados durante {wait} s; vuelva a intentarlo en "
                     "un momento.", "All {size} query workers stayed busy for {wait} s; try again in a moment."),
    "busy.unread": ("Las respuestas que este cliente aún no leyó llenan su parte de {limit} bytes "
                    "(CPS_CLIENT_QUERIES respuestas de CPS_RESULT_BYTES); léalas, o cierre esas conexiones, antes "
                    "de volver a preguntar.",
                    "This client's answers that it has not read yet fill its share of {limit} bytes "
                    "(CPS_CLIENT_QUERIES answers of CPS_RESULT_BYTES); read them, or close those connections, "
                    "before asking again."),
    "busy.spool": ("Las respuestas que este servicio guarda para clientes que aún las leen llenan su presupuesto "
                   "de {limit} bytes (CPS_ANSWER_SPOOL_BYTES); vuelva a intentarlo en un momento.",
                   "The answers this service holds for clients still reading them fill its budget of {limit} "
                   "bytes (CPS_ANSWER_SPOOL_BYTES); try again in a moment."),
    "store.closed": ("El almacén de datos está cerrado (el servicio se está deteniendo).",
                     "The store has been closed."),
    "store.no-worker": ("No hay ningún proceso de consulta en marcha; el servicio sigue intentando iniciarlos y se "
                        "recupera solo en cuanto puedan cargar los datos.",
                        "No query worker is running; the service keeps trying to start them and recovers by "
                        "itself once they can load the data."),
    "store.worker-stopped": ("El proceso de consulta se detuvo mientras respondía esta solicitud (código de salida "
                             "{code}); si esta consulta sigue fallando, simplifíquela. Las demás solicitudes no se "
                             "ven afectadas.",
                             "The query worker stopped while answering this request (exit code {code}); if this "
                             "query keeps failing, simplify it. Other requests are not affected."),
    # a remote triplestore behind the service (store/remote.py)
    "remote.rejected": ("El almacén remoto rechazó la consulta; su mensaje dice por qué.",
                        "The remote store rejected the query."),
    "remote.answered": ("El almacén remoto respondió con un error; su mensaje dice cuál.",
                        "The remote store answered with an error."),
    "remote.http": ("El almacén remoto respondió con el código HTTP {code}.", "The remote store answered HTTP {code}."),
    "remote.time": ("El almacén remoto no respondió dentro del límite de {limit} s (CPS_QUERY_TIMEOUT); este "
                    "servicio dejó de esperar.",
                    "The remote store did not answer within the time limit of {limit} s (CPS_QUERY_TIMEOUT); this "
                    "service stopped waiting."),
    "remote.down": ("No se puede llegar al almacén de tripletas que usa este servicio; el servicio vuelve a "
                    "responder en cuanto vuelva.",
                    "The triplestore behind this service cannot be reached; this service answers again as soon as "
                    "it is back."),
    "remote.unparseable": ("El almacén remoto envió una respuesta que no se puede leer.",
                           "The remote store sent an answer that does not parse."),
    "remote.pages-time": ("El almacén remoto no entregó todas las páginas de la respuesta dentro del límite de "
                          "tiempo ({limit} s, CPS_QUERY_TIMEOUT).",
                          "The remote store did not give every page of the answer within the time limit "
                          "({limit} s, CPS_QUERY_TIMEOUT)."),
    "remote.max-rows": ("El almacén remoto devuelve como máximo {limit} filas por consulta (X-SPARQL-MaxRows), menos "
                        "de las que pide este servicio ({want}): fije CPS_STORE_PAGE_SIZE en {limit} o menos.",
                        "The remote store returns at most {limit} rows per query (X-SPARQL-MaxRows), fewer than "
                        "this service asks for ({want}): set CPS_STORE_PAGE_SIZE to {limit} or below."),
    "remote.cut": ("El almacén remoto cortó esta respuesta en su propio límite de filas ({rows} filas) y la consulta "
                   "no se puede paginar (tiene un LIMIT o un VALUES final propio): este servicio no entrega una "
                   "respuesta cortada. Pida menos filas, o pagine con LIMIT y OFFSET.",
                   "The remote store cut this answer at its own row limit ({rows} rows) and the query cannot be "
                   "paged (it has a LIMIT or a trailing VALUES of its own): this service does not pass on a cut "
                   "answer. Ask for fewer rows, or page with LIMIT and OFFSET."),
    "remote.count": ("El almacén remoto cuenta {expected} tripletas en {graphs} grafo(s) pero entregó {got} "
                     "distintas página a página; este servicio no sirve un volcado cortado ni duplicado.",
                     "The remote store counts {expected} triples in {graphs} graph(s) but gave {got} distinct ones "
                     "page by page; this service does not serve a cut or doubled dump."),
    "remote.no-graph": ("El almacén remoto no tiene ningún grafo <{graph}>.", "The remote store holds no graph <{graph}>."),
    # the embedded store, its admission and its query workers (store/embedded.py, admission.py, workers.py)
    "store.no-graph": ("Este almacén no tiene ningún grafo <{graph}>.", "This store holds no graph <{graph}>."),
    "store.service": ("Falló un punto de acceso de SERVICE.", "A SERVICE endpoint failed."),
    "store.form": ("Un resultado {form} no se puede escribir como {media}.", "A {form} result cannot be written as {media}."),
    "limit.memory-total": ("Las consultas en curso necesitaron juntas más memoria que los {limit} MiB que el servicio "
                           "da a todas ellas, y esta, la mayor, se detuvo. Vuelva a intentarlo en un momento, o "
                           "acote sus patrones, ordene o agrupe menos soluciones, o añada un LIMIT; el operador fija "
                           "ese presupuesto (CPS_QUERY_MEMORY_TOTAL).",
                           "The queries running at once needed more memory together than the {limit} MiB the "
                           "service gives all of them, and this one, the largest, was stopped. Try again in a "
                           "moment, or narrow its patterns, sort or group fewer solutions, or add a LIMIT; the "
                           "operator sets the budget (CPS_QUERY_MEMORY_TOTAL)."),
    "busy.client-queries": ("Este cliente ya tiene {share} consultas en curso, su parte de este servicio "
                            "(CPS_CLIENT_QUERIES); envíe la siguiente cuando una de ellas haya respondido.",
                            "This client already has {share} queries running, its share of this service "
                            "(CPS_CLIENT_QUERIES); send the next one when one of them has answered."),
    "busy.fair-workers": ("El punto de acceso SPARQL está ocupado y sus últimos procesos de consulta libres se "
                          "reservan para los clientes que no tienen ninguna consulta en curso; este cliente la tiene, "
                          "y esta solicitud esperó {wait} s (CPS_ADMISSION_WAIT). Envíela de nuevo cuando una de sus "
                          "consultas haya respondido.",
                          "The SPARQL endpoint is busy and its last free query workers are kept for clients that "
                          "have no query running; this client has, and this request waited {wait} s "
                          "(CPS_ADMISSION_WAIT). Send it again when one of this client's queries has answered."),
    "busy.request-workers": ("Todos los procesos de consulta que puede usar esta solicitud siguieron ocupados "
                             "durante {wait} s (CPS_ADMISSION_WAIT); vuelva a intentarlo en un momento.",
                             "Every query worker this request may use stayed busy for {wait} s (CPS_ADMISSION_WAIT); "
                             "try again in a moment."),
    "busy.taken-back": ("Otros clientes llegaron al punto de acceso SPARQL mientras este cliente tenía más de su "
                        "parte justa de él, así que esta consulta, la más reciente, se detuvo para dejar entrar a "
                        "uno de ellos. Envíela de nuevo cuando una de las consultas de este cliente haya respondido.",
                        "Other clients came to the SPARQL endpoint while this client held more than its fair part "
                        "of it, so this query, its most recent, was stopped to let one of them in. Send it again "
                        "when one of this client's queries has answered."),
    # formats (formats.py): what content negotiation cannot give
    "format.accept": ("Ninguno de los formatos de Accept: {accept} se puede producir aquí. Disponibles: {available}.",
                      "None of the formats in Accept: {accept} can be produced here. Available: {available}."),
    "format.unknown": ("Formato desconocido {format} para esta solicitud. Disponibles: {available}.",
                       "Unknown format {format} for this request. Available: {available}."),
    # the restricted graph's bearer token (web/stores.py)
    "auth.malformed": ("La cabecera Authorization está mal formada: envíe «Authorization: Bearer <token>» (con un "
                       "solo espacio, RFC 6750), o ninguna para ver los grafos públicos.",
                       "The Authorization header is malformed: send `Authorization: Bearer <token>` (one space, "
                       "RFC 6750), or none to see the public graphs."),
    "auth.token": ("El token de portador (bearer) no es válido para este servicio. Las solicitudes sin token ven los "
                   "grafos públicos.",
                   "The bearer token is not valid for this service. Requests without a token see the public "
                   "graphs."),
    "auth.not-loaded": ("El grafo restringido no está cargado en este servicio (no hay una versión construida con "
                        "grafo restringido, o el servicio usa un almacén remoto).",
                        "The restricted graph is not loaded on this service (no build with a restricted graph, or "
                        "a remote store)."),
    # the Graph Store Protocol and the dumps (web/graphstore.py)
    "gsp.one-graph": ("Nombre un solo grafo: «?graph=IRI» una vez, o «?default».",
                      "Name one graph: `?graph=IRI` once, or `?default`."),
    "gsp.no-dump": ("No hay ningún volcado {name}; los volcados son {dumps} (cada uno también comprimido con gzip, "
                    "«.gz»).", "There is no dump {name}; the dumps are {dumps} (each also gzipped, `.gz`)."),
    "gsp.no-gzip": ("No hay ningún {name}: solo la versión publicada de una construcción tiene volcados comprimidos "
                    "con gzip (este servicio sirve otros datos); {plain} se sirve comprimido si se pide "
                    "(Accept-Encoding: gzip) cuando la construcción lo generó.",
                    "There is no {name}: only a build's release has gzipped dumps (this service serves other "
                    "data); {plain} is served gzipped on request (Accept-Encoding: gzip) when the build made it."),
    # the SPARQL Protocol (web/sparql/protocol.py)
    "protocol.utf8": ("La solicitud no está en UTF-8 (se necesita UTF-8, codificado con «%» en las direcciones).",
                      "The request is not valid UTF-8 (percent-encoded UTF-8 is required)."),
    "protocol.update": ("Este punto de acceso es de solo lectura: no acepta SPARQL Update.",
                        "This endpoint is read-only: SPARQL Update is refused."),
    "protocol.no-query": ("La solicitud no tiene parámetro «query». Envíe la consulta como «query=» (GET o POST "
                          "de formulario) o como cuerpo de un POST con Content-Type: application/sparql-query.",
                          "The request has no `query` parameter. Send the query as `query=` (GET or form POST) or "
                          "as the body of a POST with Content-Type: application/sparql-query."),
    "protocol.queries": ("La solicitud tiene {n} consultas; envíe exactamente una.",
                         "The request has {n} queries; send exactly one."),
    "protocol.empty": ("La consulta está vacía.", "The query is empty."),
    "protocol.twice": ("La consulta llegó a la vez en el cuerpo y como parámetro «query» de la dirección.",
                       "A query was sent both in the body and as a `query` URL parameter."),
    "protocol.graph-iri": ("«{name}» debe ser un IRI absoluto, no {iri}.", "`{name}` must be an absolute IRI, not {iri}."),
    "protocol.media": ("Un POST necesita Content-Type: {form} o {direct}.", "A POST needs a Content-Type: {form} or {direct}."),
    "http.404": ("Este servicio no tiene ninguna página ni recurso en esta dirección.",
                 "This service has no page or resource at this address."),
    "http.405": ("Esta dirección no admite el método {method}.", "This address does not accept the method {method}."),
    "http.413": ("El cuerpo de la solicitud supera lo que acepta este servicio ({limit} bytes, CPS_BODY_LIMIT).",
                 "The request body is larger than this service accepts ({limit} bytes, CPS_BODY_LIMIT)."),
    # the stored-query API (web/queries_api.py, queries.py)
    "api.unknown": ("No hay ninguna consulta guardada con el nombre «{name}» (vea GET /api/queries).",
                    "No stored query is named '{name}' (see GET /api/queries)."),
    "api.kind": ("«kind» debe ser uno de {kinds}, no {kind}.", "kind must be one of {kinds}, not {kind}"),
    "api.twice": ("?{name} aparece {n} veces; páselo una sola vez.", "?{name} is given {n} times; give it once"),
    "api.blank": ("?{name} está vacío o empieza o termina con espacios; dé su valor exacto, u omita el parámetro "
                  "para usar su valor por defecto.",
                  "?{name} is empty or begins or ends with white space; give its value exactly, or leave the "
                  "parameter out for its default"),
    "api.refused": ("Con estos parámetros la consulta no la acepta el motor; revise sus valores.",
                    "These parameters make a query the engine refuses; check their values."),
    "api.number": ("{name} debe ser un número entero de 1 a {largest}, no {shown}.",
                   "{name} must be a whole number from 1 to {largest}, not {shown}"),
    "api.page": ("«page» debe ser 1 o más, y «per_page» de 1 a {largest}.",
                 "page must be 1 or more and per_page between 1 and {largest}"),
    "param.integer": ("?{name} debe ser un número entero, no {value}.", "?{name} must be a whole number, not {value}"),
    "param.string": ("?{name} debe ser una sola línea de 200 caracteres como máximo.",
                     "?{name} must be one line of at most 200 characters"),
    "param.id": ("?{name} debe ser un IRI bajo {prefix} o el identificador que le sigue, no {value}.",
                 "?{name} must be an IRI under {prefix} or the id that follows it, not {value}"),
    "param.iri": ("?{name} debe ser un IRI http(s) absoluto, no {value}.",
                  "?{name} must be an absolute http(s) IRI, not {value}"),
    "param.invalid-iri": ("?{name} no es un IRI válido.", "?{name} is not a valid IRI"),
    "param.unknown": ("{query} no tiene el parámetro {unknown} (admite: {names}).",
                      "{query} has no parameter {unknown} (it takes: {names})"),
    # the linked-data pages
    "page.unknown": ("El grafo no contiene nada sobre <{iri}>. Búsquelo desde la página de inicio.",
                     "The graph holds nothing about <{iri}>. Search for it from the home page."),
    "page.format": ("Los documentos de datos terminan en {extensions}.", "Data documents end in {extensions}."),
    "page.graph": ("<{iri}> no es un grafo público de este servicio.", "<{iri}> is not a public graph of this service."),
    "page.no-void": ("Este servicio no sirve una versión construida, así que no tiene descripción VoID.",
                     "This service serves no build, so it has no VoID description."),
    "page.passage": ("El grafo no tiene ningún pasaje «{slug}».", "The graph has no passage '{slug}'."),
    "http.500": ("El servicio falló con esta solicitud; su operador encontrará el detalle en su registro.",
                 "The service failed on this request; the operator can find the details in its log."),
    # the network views (web/browser/network_views.py, suggest.py)
    "network.unknown": ("<{iri}> no es una persona ni una organización de la red, ni un grupo cuyos miembros estén "
                        "vinculados en ella.",
                        "<{iri}> is neither a person or organization of the network nor a group whose members it "
                        "links."),
    "network.no-connection": ("La red no tiene ninguna conexión del tipo {kind} a través de {via}.",
                              "The network holds no connection of kind {kind} through {via}."),
    "network.no-connection-between": ("La red no tiene ninguna conexión del tipo {kind} a través de {via} entre {a} "
                                      "y {b}.",
                                      "The network holds no connection of kind {kind} through {via} between {a} and "
                                      "{b}."),
    "network.not-actor": ("<{iri}> no es una persona ni una organización de la red.",
                          "<{iri}> is not a person or organization of the network."),
    "network.not-member": ("<{iri}> no es una persona, una organización ni un grupo de la red.",
                           "<{iri}> is not a person, organization or group of the network."),
    "network.interlocks-format": ("Los vínculos cruzados se sirven como HTML y .json.",
                                  "Interlocks are served as HTML and .json."),
    "network.no-match": ("Ninguna persona u organización de la red coincide con «{typed}»: pruebe con parte de un "
                         "nombre o una sigla.",
                         "No person or organization of the network matches “{typed}”: try part of a name or an "
                         "acronym."),
}
