"""Every string of the browser's interface, in Spanish and English, in one table.

Templates call `t("key")` (the request's language) or `t("key", n=3)` for strings with `{n}` fields. A
number field is written the language's way (Babel), and `{n:paso|pasos}` picks the word by the language's
plural rule (CLDR's "one", else the other form): "1 paso", "3 pasos". Data labels never come from here: they
are the graph's own `rdfs:label`s in both languages.
"""

from __future__ import annotations

from babel import Locale
from babel.numbers import format_decimal

LANGS = ("es", "en")
DEFAULT_LANG = "es"  # the report's language: the choice when the browser accepts neither

STRINGS: dict[str, tuple[str, str]] = {
    # site frame
    "site.name": ("Grafo CPS-LAC", "CPS-LAC graph"),
    "site.tagline": ("IV Reunión del Consejo de Expertos de Gobierno en Consumo y Producción Sustentable de "
                     "América Latina y el Caribe (São Paulo, 2007)",
                     "4th Meeting of the Latin America and Caribbean Council of Government Experts on Sustainable "
                     "Consumption and Production (São Paulo, 2007)"),
    "nav.label": ("Secciones", "Sections"),
    "nav.home": ("Inicio", "Home"),
    "nav.persons": ("Personas", "Persons"),
    "nav.organizations": ("Organizaciones", "Organizations"),
    "nav.priorities": ("Prioridades", "Priorities"),
    "nav.paths": ("Conexiones", "Connections"),
    "nav.query": ("Consultas SPARQL", "SPARQL queries"),
    "nav.dumps": ("Descargas", "Downloads"),
    "nav.ontology": ("Ontología", "Ontology"),
    "nav.quality": ("Calidad de datos", "Data quality"),
    "skip": ("Saltar al contenido", "Skip to content"),
    "lang.switch": ("English", "Español"),
    "lang.switch.label": ("Read this page in English", "Leer esta página en español"),
    "footer.licence": ("Datos y ontología: CC BY 4.0. Código: MIT. Fuente: informe final de la reunión "
                       "(PNUMA/DAES); el grafo lo cita, no reproduce su texto.",
                       "Data and ontology: CC BY 4.0. Code: MIT. Source: the meeting's final report "
                       "(UNEP/UNDESA); the graph cites it and does not reproduce its text."),
    "formats": ("Este recurso en otros formatos", "This resource in other formats"),
    # search
    "search.label": ("Buscar personas, organizaciones, países…", "Search persons, organizations, countries…"),
    "search.button": ("Buscar", "Search"),
    "search.title": ("Búsqueda", "Search"),
    "search.results": ("{n} resultados para «{q}»", "{n} results for “{q}”"),
    "search.none": ("Nada coincide con «{q}». Pruebe con parte de un nombre o una sigla.",
                    "Nothing matches “{q}”. Try part of a name or an acronym."),
    "search.also": ("también", "also"),
    "search.kind": ("Tipo", "Kind"),
    "search.empty": ("Escriba un nombre, una sigla o un país.", "Type a name, an acronym or a country."),
    # home
    "home.title": ("Qué contiene el grafo", "What the graph holds"),
    "home.intro": ("Todo lo que el informe dice sobre quién participó, con qué organización y país, los grupos "
                   "de trabajo, los planes de acción y sus prioridades, cada dato con el pasaje del informe "
                   "que lo sustenta.",
                   "Everything the report states about who took part, for which organization and country, the "
                   "working groups, the action plans and their priorities, each fact with the passage of the "
                   "report it comes from."),
    "home.counts": ("Entidades por tipo", "Entities by kind"),
    "home.subregions": ("Las cuatro subregiones", "The four subregions"),
    "home.countries": ("Países", "Countries"),
    "home.group": ("Grupo de trabajo", "Working group"),
    "home.plan": ("Plan de acción", "Action plan"),
    "home.who": ("Quién trabaja con quién en este grupo", "Who works with whom in this group"),
    "home.entry": ("Por dónde empezar", "Where to start"),
    "home.entry.persons": ("Participantes por país, subregión, sector, grupo y rol",
                           "Participants by country, subregion, sector, group and role"),
    "home.entry.organizations": ("Organizaciones por tipo y país", "Organizations by kind and country"),
    "home.entry.priorities": ("Prioridades por subregión, tema y plazo", "Priorities by subregion, theme and horizon"),
    "home.entry.paths": ("¿Cómo están conectadas dos personas u organizaciones?",
                         "How are two persons or organizations connected?"),
    "home.entry.query": ("Editor SPARQL con consultas de ejemplo", "SPARQL editor with example queries"),
    "home.entry.data": ("Descargas, descripción VoID, ontología y calidad de datos",
                        "Downloads, VoID description, ontology and data quality"),
    "home.groups": ("Otros grupos de trabajo", "Other working groups"),
    "home.groups.more": ("y {n} grupos más: todos figuran en el filtro «Grupo de trabajo» de la lista de personas",
                         "and {n} more groups: every one is in the “Working group” filter of the list of persons"),
    # resource page
    "res.iri": ("IRI", "IRI"),
    "res.attributes": ("Datos", "Facts"),
    "res.relations": ("Relaciones", "Relations"),
    "res.incoming": ("Mencionado en", "Mentioned in"),
    "res.incoming.as": ("como «{p}» de", "as “{p}” of"),
    "res.sources": ("Pasajes del informe", "Passages of the report"),
    "res.sources.none": ("Este recurso no cita pasajes propios.", "This resource cites no passages of its own."),
    "res.lines": ("líneas {a}–{b}", "lines {a}–{b}"),
    "res.outbound": ("Enlaces externos", "Outbound links"),
    "res.network": ("Su red: quién trabaja con quién", "Its network: who works with whom"),
    "res.group_network": ("Quién trabaja con quién en este grupo", "Who works with whom in this group"),
    "res.interlocks": ("Vínculos cruzados", "Interlocks"),
    "res.paths": ("Buscar una conexión desde aquí", "Find a connection from here"),
    "res.more": ("{n} más", "{n} more"),
    "res.show": ("Ver los {n}", "Show all {n}"),
    "res.other_lang": ("en otro idioma", "in another language"),
    # what a concept of one of the graph's vocabularies is (by its IRI's kind)
    "kind.actor-type": ("Tipo de actor", "Kind of actor"),
    "kind.event-role": ("Papel en un evento", "Role at an event"),
    "kind.horizon": ("Plazo", "Time horizon"),
    "kind.meeting-kind": ("Tipo de reunión", "Kind of meeting"),
    "kind.priority-level": ("Nivel de prioridad", "Priority level"),
    "kind.proposal-category": ("Categoría de propuesta", "Proposal category"),
    "kind.role": ("Rol", "Role"),
    "kind.sector": ("Sector", "Sector"),
    "kind.session-kind": ("Tipo de sesión", "Kind of session"),
    "kind.status": ("Estado", "Status"),
    "kind.theme": ("Tema", "Theme"),
    "res.line": ("línea {a}", "line {a}"),
    # lists and facets
    "list.persons": ("Personas", "Persons"),
    "list.organizations": ("Organizaciones", "Organizations"),
    "list.priorities": ("Prioridades de los planes de acción", "Priorities of the action plans"),
    "list.showing": ("{a}–{b} de {n}", "{a}–{b} of {n}"),
    "list.none": ("Ningún elemento cumple todos los filtros.", "No item matches every filter."),
    "list.filters": ("Filtros", "Filters"),
    "list.clear": ("Quitar todos los filtros", "Clear every filter"),
    "list.remove": ("quitar filtro", "remove filter"),
    "list.active": ("Filtros activos", "Active filters"),
    "list.prev": ("Anterior", "Previous"),
    "list.next": ("Siguiente", "Next"),
    "list.pages": ("Páginas", "Pages"),
    "facet.country": ("País", "Country"),
    "facet.subregion": ("Subregión", "Subregion"),
    "facet.sector": ("Sector", "Sector"),
    "facet.working-group": ("Grupo de trabajo", "Working group"),
    "facet.role": ("Rol", "Role"),
    "facet.kind": ("Tipo de organización", "Kind of organization"),
    "facet.theme": ("Tema", "Theme"),
    "facet.horizon": ("Plazo", "Time horizon"),
    "facet.plan": ("Plan de acción", "Action plan"),
    "facet.none": ("(sin dato)", "(not stated)"),
    # network
    "net.title": ("Quién trabaja con quién: {label}", "Who works with whom: {label}"),
    "net.group.intro": ("Los {n} integrantes de este grupo y lo que los une además del grupo mismo. Todos figuran "
                        "en el grupo según la lista de participantes (Anexo III).",
                        "The {n} members of this group and what links them besides the group itself. All are "
                        "listed in the group by the list of participants (Annex III)."),
    "net.members": ("Integrantes", "Members"),
    "net.filters": ("Mostrar", "Show"),
    "net.kinds": ("Tipos de relación", "Kinds of relation"),
    "net.depth": ("Distancia", "Depth"),
    "net.depth.n": ("{n} {n:paso|pasos}", "{n} {n:step|steps}"),
    "net.apply": ("Aplicar", "Apply"),
    "net.graph": ("Red de {label}: {nodes} actores y {edges} relaciones; las mismas relaciones están en la tabla "
                  "siguiente.",
                  "Network of {label}: {nodes} actors and {edges} connections; the same connections are in the "
                  "table below."),
    "net.shared": ("Qué los une", "What links them"),
    "net.via": ("A través de", "Through"),
    "net.who": ("Quiénes", "Who"),
    "net.table": ("Las relaciones, una por fila", "The connections, one per row"),
    "net.actor": ("Actor", "Actor"),
    "net.relation": ("Relación", "Relation"),
    "net.why": ("Por qué", "Why"),
    "net.passages": ("Pasajes", "Passages"),
    "net.none": ("No hay relaciones con estos filtros.", "There are no connections with these filters."),
    "net.export": ("Descargar la red", "Download the network"),
    "net.for.gexf": ("para Gephi (atributos de actores y relaciones incluidos)",
                     "for Gephi (with the actors' and connections' attributes)"),
    "net.for.graphml": ("para Gephi, Cytoscape, yEd, igraph o networkx", "for Gephi, Cytoscape, yEd, igraph or networkx"),
    "net.csv.edges": ("CSV de relaciones", "CSV of connections"),
    "net.csv.nodes": ("CSV de actores", "CSV of actors"),
    "net.for.csv": ("para planillas de cálculo o la importación de hojas de Gephi",
                    "for spreadsheets, or Gephi's spreadsheet import"),
    "net.for.json": ("para programas (lo que lee el dibujo)", "for programs (what the drawing reads)"),
    "net.legend": ("Colores", "Colours"),
    "net.selected": ("Seleccionado", "Selected"),
    "net.counts": ("{nodes} actores, {edges} relaciones", "{nodes} actors, {edges} connections"),
    "net.too_many": ("Se muestran las primeras {n} filas; descargue la red para verlas todas.",
                     "The first {n} rows are shown; download the network to see them all."),
    "net.capped": ("Vista limitada a los {n} actores con más evidencia de un vínculo.",
                   "This view is capped at the {n} actors with the most evidence of a link."),
    "net.capped.more": ("Quedan fuera {n} más", "{n} more are left out"),
    "net.capped.at_least": ("Quedan fuera al menos {n} más (no se recorrieron los pasos siguientes)",
                            "At least {n} more are left out (the further steps were not walked)"),
    "net.capped.whole": ("La red completa, con todos los actores", "The whole network, with every actor"),
    "net.kind.person": ("personas", "persons"),
    "net.kind.organization": ("organizaciones", "organizations"),
    "net.kind.other": ("otros", "others"),
    # paths
    "paths.title": ("¿Cómo están conectados?", "How are they connected?"),
    "paths.intro": ("Elija dos personas u organizaciones: se muestran los caminos más cortos entre ellas, con la "
                    "evidencia de cada paso.",
                    "Choose two persons or organizations: the shortest paths between them are shown, with the "
                    "evidence for every step."),
    "paths.from": ("Desde", "From"),
    "paths.to": ("Hasta", "To"),
    "paths.choose": ("— elija —", "— choose —"),
    "paths.find": ("Buscar caminos", "Find paths"),
    "paths.found": ("{n} {n:camino más corto|caminos más cortos}, de {hops} {hops:paso|pasos}",
                    "{n} shortest {n:path|paths} of {hops} {hops:step|steps}"),
    "paths.none": ("No hay camino entre {a} y {b} con estos tipos de relación.",
                   "There is no path between {a} and {b} with these kinds of relation."),
    "paths.path": ("Camino {n}", "Path {n}"),
    "paths.persons": ("Personas", "Persons"),
    "paths.organizations": ("Organizaciones", "Organizations"),
    # interlocks
    "inter.title": ("Vínculos cruzados: {label}", "Interlocks: {label}"),
    "inter.org.intro": ("Otras organizaciones a las que también pertenecen las personas de {label}.",
                        "Other organizations that the people of {label} also belong to."),
    "inter.person.intro": ("Quienes comparten dos o más grupos con {label}.",
                           "The others who share two or more groups with {label}."),
    "inter.through": ("A través de", "Through"),
    "inter.shared": ("Grupos compartidos", "Shared groups"),
    "inter.organization": ("Organización", "Organization"),
    "inter.person": ("Persona", "Person"),
    "inter.none": ("No hay vínculos cruzados.", "There are no interlocks."),
    # query page, quality, dumps, ontology
    "query.title": ("Consultas SPARQL", "SPARQL queries"),
    "query.intro": ("Escriba una consulta o abra uno de los ejemplos; el enlace para compartir guarda la consulta. "
                    "El punto de acceso es {endpoint}.",
                    "Write a query or open one of the examples; the share link keeps the query. The endpoint is "
                    "{endpoint}."),
    "query.examples": ("Consultas de ejemplo", "Example queries"),
    "query.open": ("Abrir en el editor", "Open in the editor"),
    "query.text": ("Ver el texto", "Show the text"),
    "query.label.query": ("Texto de la consulta SPARQL", "SPARQL query text"),
    "query.label.endpoint": ("Punto de acceso SPARQL", "SPARQL endpoint"),
    "query.label.rows": ("Filas por página", "Rows per page"),
    "query.label.filter": ("Filtrar los resultados", "Filter the results"),
    "query.editor": ("Editor de consultas", "Query editor"),
    # the kinds of stored query (queries/README.md)
    "qkind.participation": ("Participación", "Participation"),
    "qkind.network": ("Quién trabaja con quién", "Who works with whom"),
    "qkind.governance": ("Gobernanza", "Governance"),
    "qkind.task-forces": ("Grupos de Trabajo de Marrakech", "Marrakech task forces"),
    "qkind.priorities": ("Prioridades", "Priorities"),
    "qkind.action-plans": ("Planes de acción", "Action plans"),
    "qkind.programmes": ("Programas e iniciativas", "Programmes and initiatives"),
    "qkind.timeline": ("Cronología", "Timeline"),
    "qkind.provenance": ("Procedencia", "Provenance"),
    "qkind.quality": ("Calidad de datos", "Data quality"),
    "quality.title": ("Calidad de datos", "Data quality"),
    "quality.intro": ("El informe de validación SHACL del grafo publicado frente a las formas de shapes/.",
                      "The SHACL validation report of the published graph against the shapes of shapes/."),
    "quality.conforms": ("El grafo publicado cumple todas las formas ({w} {w:aviso|avisos}).",
                         "The published graph conforms to every shape ({w} {w:warning|warnings})."),
    "quality.fails": ("El grafo publicado no cumple: {v} {v:violación|violaciones}, {w} {w:aviso|avisos}.",
                      "The published graph does not conform: {v} {v:violation|violations}, {w} {w:warning|warnings}."),
    "quality.severity": ("Gravedad", "Severity"),
    "quality.focus": ("Recurso", "Resource"),
    "quality.path": ("Propiedad", "Property"),
    "quality.value": ("Valor", "Value"),
    "quality.message": ("Mensaje", "Message"),
    "quality.shape": ("Forma", "Shape"),
    "quality.citation": ("Cita", "Cites"),
    "quality.report": ("El informe como Turtle", "The report as Turtle"),
    "dumps.title": ("Descargas y descripción del conjunto de datos", "Downloads and dataset description"),
    "dumps.intro": ("El grafo público completo, en cada formato; los grafos con nombre se conservan en TriG.",
                    "The whole public graph, in every format; TriG keeps the named graphs."),
    "dumps.format": ("Formato", "Format"),
    "dumps.file": ("Archivo", "File"),
    "dumps.services": ("Servicios", "Services"),
    "dumps.endpoint": ("Punto de acceso SPARQL", "SPARQL endpoint"),
    "dumps.graphstore": ("Protocolo Graph Store (lectura)", "Graph Store Protocol (read)"),
    "dumps.void": ("Descripción VoID/DCAT", "VoID/DCAT description"),
    "dumps.ontology": ("Documentación de la ontología", "Ontology documentation"),
    "dumps.graphs": ("Grafos con nombre", "Named graphs"),
    "dumps.licence": ("Licencia: CC BY 4.0.", "Licence: CC BY 4.0."),
    "onto.title": ("Ontología CPS-LAC", "CPS-LAC ontology"),
    "onto.classes": ("Clases", "Classes"),
    "onto.properties": ("Propiedades", "Properties"),
    "onto.namespace": ("Espacio de nombres", "Namespace"),
    "onto.prefix": ("Prefijo", "Prefix"),
    "onto.version": ("Versión", "Version"),
    "onto.licence": ("Licencia", "Licence"),
    "onto.modified": ("Modificada", "Modified"),
    "onto.subclass": ("Subclase de", "Subclass of"),
    "onto.subproperty": ("Subpropiedad de", "Subproperty of"),
    "onto.domain": ("Dominio", "Domain"),
    "onto.range": ("Rango", "Range"),
    "onto.inverse": ("Inversa de", "Inverse of"),
    "onto.kind": ("Tipo", "Kind"),
    "onto.contents": ("Contenido", "Contents"),
    "error.title": ("No encontrado", "Not found"),
    # values
    "value.true": ("sí", "yes"),
    "value.false": ("no", "no"),
    # profiles: the infobox (profile.py, browse_queries.INFOBOX)
    "info.title": ("En resumen", "At a glance"),
    "info.more": ("y {n} más", "and {n} more"),
    "info.role": ("Rol en la reunión", "Role at the meeting"),
    "info.job": ("Cargo", "Post"),
    "info.organization": ("Organización", "Organization"),
    "info.country": ("País", "Country"),
    "info.working-group": ("Grupo de trabajo", "Working group"),
    "info.sector": ("Sector", "Sector"),
    "info.kind": ("Tipo", "Kind"),
    "info.parent": ("Depende de", "Part of"),
    "info.people": ("Personas en la reunión", "People at the meeting"),
    "info.subregion": ("Subregión", "Subregion"),
    "info.delegation": ("Delegación", "Delegation"),
    "info.focal-point": ("Punto focal", "Focal point"),
    "info.seat": ("Comité Directivo", "Steering Committee"),
    "info.code": ("Código ISO", "ISO code"),
    "info.meeting": ("Reunión", "Meeting"),
    "info.members": ("Integrantes", "Members"),
    "info.plan": ("Plan de acción", "Action plan"),
    "info.start": ("Inicio", "Start"),
    "info.end": ("Fin", "End"),
    "info.place": ("Lugar", "Place"),
    "info.meeting-of": ("Reunión de", "Meeting of"),
    "info.organizer": ("Organiza", "Organized by"),
    "info.host": ("Anfitrión", "Host"),
    "info.participants": ("Participantes", "Participants"),
    "info.session-kind": ("Tipo de sesión", "Kind of session"),
    "info.part-of": ("Parte de", "Part of"),
    "info.presenter": ("Presenta", "Presented by"),
    "info.on-behalf-of": ("En nombre de", "On behalf of"),
    "info.session": ("Sesión", "Session"),
    "info.about": ("Trata de", "About"),
    "info.status": ("Estado", "Status"),
    "info.led-by": ("Dirigido por", "Led by"),
    "info.date": ("Fecha", "Date"),
    "info.responsible": ("Responsables", "Responsible"),
    # what someone did at the meeting (browse_queries.ACTIVITY)
    "act.title": ("Qué hizo en la reunión", "What they did at the meeting"),
    "act.title.country": ("Qué hizo su delegación en la reunión", "What its delegation did at the meeting"),
    "act.presented": ("Presentaciones", "Presentations"),
    "act.committee": ("Comités", "Committees"),
    "act.authored": ("Documentos de los que es autor", "Documents authored"),
    "act.working-group": ("Grupo de trabajo", "Working group"),
    "act.seat": ("Puestos en el Comité Directivo", "Steering Committee seats"),
    "act.by": ("por", "by"),
    # the one-line summary
    "summary.person.1": ("Participó en la reunión por {country} como {role}; {organization}.",
                         "Took part in the meeting for {country} as {role}; {organization}."),
    "summary.person.2": ("Participó en la reunión por {country}.", "Took part in the meeting for {country}."),
    "summary.organization.1": ("{kind} de {country}.", "{kind} of {country}."),
    "summary.organization.2": ("{kind}.", "{kind}."),
    "summary.country.1": ("País de la {subregion}, con {delegation_n} {delegation_n:delegado|delegados} en la reunión.",
                          "Country of the {subregion}, with {delegation_n} {delegation_n:delegate|delegates} at the "
                          "meeting."),
    "summary.country.2": ("País de la {subregion}.", "Country of the {subregion}."),
    "summary.working-group.1": ("Grupo de trabajo de la reunión, con {members_n} "
                                "{members_n:integrante|integrantes}.",
                                "Working group of the meeting, with {members_n} {members_n:member|members}."),
    "summary.event.1": ("Del {start} al {end}, en {place}.", "From {start} to {end}, in {place}."),
    "summary.event.2": ("Desde el {start}, en {place}.", "From {start}, in {place}."),
    "summary.event.3": ("{start}.", "{start}."),
    "summary.session.1": ("{session_kind}, {start}.", "{session_kind}, {start}."),
    "summary.presentation.1": ("Presentada por {presenter} en «{session}».", "Presented by {presenter} in “{session}”."),
    # a country's delegation
    "delegation.title": ("Delegación en la reunión ({n})", "Delegation at the meeting ({n})"),
    "delegation.csv": ("La delegación como CSV", "The delegation as CSV"),
    "delegation.entry": ("Anexo III", "Annex III"),
    "delegation.person": ("Persona", "Person"),
    "delegation.organization": ("Organización", "Organization"),
    "delegation.job": ("Cargo", "Post"),
    "delegation.sector": ("Sector", "Sector"),
    "delegation.group": ("Grupo de trabajo", "Working group"),
    "delegation.role": ("Rol", "Role"),
}


def text(key: str, lang: str, **values) -> str:
    """The string `key` in `lang` with its `{fields}` filled in. Raises KeyError for an unknown key (a typo in
    a template must fail its test, not show the key)."""
    spanish, english = STRINGS[key]
    template = spanish if lang == "es" else english
    if not values:
        return template
    return template.format(**{name: _Count(value, lang) if isinstance(value, int) and not isinstance(value, bool)
                              else value for name, value in values.items()})


class _Count:
    """A number in a catalogue string: `{n}` writes it the language's way, `{n:one|other}` picks a word."""

    def __init__(self, n: int, lang: str):
        self.n, self.lang = n, lang

    def __format__(self, spec: str) -> str:
        if "|" in spec:
            one, other = spec.split("|", 1)
            return one if Locale.parse(self.lang).plural_form(self.n) == "one" else other
        return format_decimal(self.n, locale=self.lang)

    def __str__(self) -> str:
        return format_decimal(self.n, locale=self.lang)
