"""Interface strings of the evidence, report, search-as-you-type and dataset pages (Spanish, English), merged
into catalogue.STRINGS."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # evidence
    "evidence.attribution": ("Texto del informe final de la reunión, © PNUMA/DAES (UNEP/UNDESA), leído de la copia "
                             "del operador de este servicio al mostrar la página. No forma parte de los datos ni de "
                             "las descargas, y no está bajo su licencia CC BY. Los datos de contacto personales se "
                             "omiten.",
                             "Text of the meeting's final report, © UNEP/UNDESA, read from this service's copy "
                             "when the page is shown. It is not part of the data or the downloads and is not under "
                             "their CC BY licence. Personal contact details are withheld."),
    "evidence.source": ("Fuente: PNUMA/DAES", "Source: UNEP/UNDESA"),
    "evidence.withheld": ("datos de contacto omitidos", "contact details withheld"),
    "evidence.unavailable": ("Este servidor no tiene una copia legible del informe: se muestran los localizadores y "
                             "las líneas, no el texto.",
                             "This server has no readable copy of the report: the locators and lines are shown, "
                             "not the text."),
    "evidence.more": ("y {n} líneas más", "and {n} more lines"),
    "evidence.show": ("Mostrar el texto de", "Show the text of"),
    "evidence.passage": ("Página del pasaje", "Passage page"),
    "evidence.in_report": ("Leer en el informe", "Read it in the report"),
    "evidence.words": ("Lo que dice el informe", "What the report says"),
    "evidence.derived": ("Derivado de este pasaje", "Derived from this passage"),
    # the report as hypertext
    "report.title": ("El informe", "The report"),
    "report.toc": ("Contenido", "Contents"),
    "report.notes": ("Notas", "Notes"),
    "report.derived": ("En el grafo", "In the graph"),
    "report.derived.label": ("Entidades derivadas de {where}", "Entities derived from {where}"),
    "report.lines.short": ("la línea {a}", "line {a}"),
    "report.passage": ("Pasaje {loc}", "Passage {loc}"),
    "report.entries": ("Lista de participantes (Anexo III); los datos de contacto se omiten",
                       "List of participants (Anexo III); contact details withheld"),
    "nav.report": ("El informe", "The report"),
    # search as you type
    "search.results.many": ("Al menos {n} resultados para «{q}»: escriba más para acotarlos",
                            "At least {n} results for “{q}”: type more to narrow them"),
    "suggest.none": ("Nada coincide", "Nothing matches"),
    "suggest.all": ("Todos los resultados para «{q}»", "All results for “{q}”"),
    "suggest.hint": ("Escriba para buscar; flechas para elegir, Intro para abrir.",
                     "Type to search; arrow keys to choose, Enter to open."),
    "suggest.count": ("{n} sugerencias", "{n} suggestions"),
    "paths.type": ("Escriba un nombre y elija en la lista", "Type a name and choose from the list"),
    # the dataset page
    "dataset.title": ("El conjunto de datos", "The dataset"),
    "dataset.endpoint": ("Punto de acceso SPARQL", "SPARQL endpoint"),
    "dataset.release": ("Versión publicada", "Release"),
    "dataset.digest": ("Huella de la versión", "Release digest"),
    "dataset.built": ("Construida el", "Built on"),
    "dataset.ontology": ("Ontología", "Ontology"),
    "dataset.ontology.version": ("versión {v}, modificada el {d}", "version {v}, modified on {d}"),
    "dataset.triples": ("Tripletas públicas", "Public triples"),
    "dataset.licence": ("Licencia", "Licence"),
    "dataset.licence.text": ("Datos y ontología: Creative Commons Atribución 4.0 (CC BY 4.0). El texto del informe "
                             "no forma parte de los datos.",
                             "Data and ontology: Creative Commons Attribution 4.0 (CC BY 4.0). The report's text is "
                             "not part of the data."),
    "dataset.files": ("Descargas", "Downloads"),
    "dataset.size": ("Tamaño", "Size"),
    "dataset.cite": ("Cómo citarlo", "How to cite it"),
    "dataset.cite.text": ("Texto", "Text"),
    # the citation: our words in the reader's language; the titles and the author as published
    "dataset.cite.format": ("{author} ({year}). {title} [Conjunto de datos, CC BY 4.0].{release} Punto de acceso "
                            "SPARQL: {endpoint}. Derivado de: {source}.",
                            "{author} ({year}). {title} [Data set, CC BY 4.0].{release} SPARQL endpoint: {endpoint}. "
                            "Derived from: {source}."),
    "dataset.cite.release": (" Versión {digest}.", " Release {digest}."),
    "dataset.cite.file": ("El repositorio incluye CITATION.cff con los mismos datos.",
                          "The repository holds a CITATION.cff with the same details."),
    "dataset.graphs": ("Grafos con nombre", "Named graphs"),
    "dataset.none": ("Este servicio no sirve una versión construida: no hay huellas ni tamaños que mostrar.",
                     "This service serves no build: there are no digests or sizes to show."),
    "dataset.media": ("Tipo de medio", "Media type"),
    "dataset.sha256": ("SHA-256", "SHA-256"),
    "dataset.copy": ("Copiar", "Copy"),
}
