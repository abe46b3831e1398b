"""Human labels of the standard terms the graph reuses (org:memberOf, skos:altLabel, schema:jobTitle, ...).

The project's own terms are labelled by the ontology itself (its `rdfs:label`s, read from the store); this
small table covers the W3C/schema.org terms, which are not in our ontology graph. A term in neither place
is shown by its prefixed name (`schema:unitText`), never by its full IRI.
"""

from __future__ import annotations

from ...namespaces import PREFIXES

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
SCHEMA = "http://schema.org/"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
TIME = "http://www.w3.org/2006/time#"
BIBO = "http://purl.org/ontology/bibo/"
ADMS = "http://www.w3.org/ns/adms#"

STANDARD: dict[str, tuple[str, str]] = {
    # properties
    RDF + "type": ("tipo", "type"),
    RDFS + "label": ("etiqueta", "label"),
    RDFS + "comment": ("comentario", "comment"),
    RDFS + "seeAlso": ("véase también", "see also"),
    RDFS + "subClassOf": ("subclase de", "subclass of"),
    RDFS + "isDefinedBy": ("definido en", "defined by"),
    SKOS + "prefLabel": ("nombre preferido", "preferred label"),
    SKOS + "altLabel": ("otros nombres", "other names"),
    SKOS + "notation": ("código", "code"),
    SKOS + "definition": ("definición", "definition"),
    SKOS + "inScheme": ("en el vocabulario", "in vocabulary"),
    SKOS + "topConceptOf": ("concepto principal de", "top concept of"),
    SKOS + "exactMatch": ("equivale a", "exact match"),
    SKOS + "closeMatch": ("corresponde a", "close match"),
    SKOS + "broadMatch": ("dentro de", "broad match"),
    ORG + "memberOf": ("miembro de", "member of"),
    ORG + "hasMember": ("tiene como miembro", "has member"),
    ORG + "member": ("miembro", "member"),
    ORG + "organization": ("organización", "organization"),
    ORG + "role": ("rol", "role"),
    ORG + "classification": ("tipo de organización", "kind of organization"),
    ORG + "subOrganizationOf": ("parte de", "part of"),
    FOAF + "name": ("nombre", "name"),
    FOAF + "title": ("tratamiento", "honorific"),
    SCHEMA + "jobTitle": ("cargo", "post"),
    SCHEMA + "startDate": ("inicio", "start"),
    SCHEMA + "endDate": ("fin", "end"),
    SCHEMA + "location": ("lugar", "place"),
    SCHEMA + "superEvent": ("parte de", "part of"),
    SCHEMA + "subEvent": ("incluye", "includes"),
    SCHEMA + "containedInPlace": ("situado en", "located in"),
    SCHEMA + "about": ("trata de", "about"),
    SCHEMA + "attendee": ("participante", "attendee"),
    SCHEMA + "value": ("valor", "value"),
    SCHEMA + "unitText": ("unidad", "unit"),
    SCHEMA + "recipient": ("destinatario", "recipient"),
    SCHEMA + "mentions": ("menciona", "mentions"),
    SCHEMA + "author": ("autor", "author"),
    SCHEMA + "eventStatus": ("estado", "status"),
    SCHEMA + "name": ("nombre", "name"),
    SCHEMA + "description": ("descripción", "description"),
    SCHEMA + "position": ("posición", "position"),
    SCHEMA + "identifier": ("identificador", "identifier"),
    TIME + "before": ("antes de", "before"),
    TIME + "after": ("después de", "after"),
    DCTERMS + "hasPart": ("incluye", "has part"),
    DCTERMS + "contributor": ("participó en su elaboración", "contributor"),
    DCTERMS + "created": ("creado", "created"),
    DCTERMS + "modified": ("modificado", "modified"),
    DCTERMS + "source": ("fuente", "source"),
    DCTERMS + "bibliographicCitation": ("cita bibliográfica", "bibliographic citation"),
    SCHEMA + "organizer": ("organizador", "organizer"),
    SCHEMA + "supersededBy": ("reemplazado por", "superseded by"),
    DCTERMS + "creator": ("autor", "creator"),
    DCTERMS + "publisher": ("editor", "publisher"),
    BIBO + "locator": ("localizador", "locator"),
    ADMS + "status": ("estado", "status"),
    RDF + "subject": ("sujeto", "subject"),
    RDF + "predicate": ("relación", "predicate"),
    RDF + "object": ("objeto", "object"),
    DCTERMS + "isReplacedBy": ("reemplazado por", "replaced by"),
    SKOS + "changeNote": ("nota de cambio", "change note"),
    OWL + "deprecated": ("obsoleto", "deprecated"),
    DCTERMS + "subject": ("tema", "theme"),
    DCTERMS + "isPartOf": ("parte de", "part of"),
    DCTERMS + "date": ("fecha", "date"),
    DCTERMS + "type": ("tipo", "type"),
    DCTERMS + "identifier": ("identificador", "identifier"),
    DCTERMS + "language": ("idioma", "language"),
    DCTERMS + "title": ("título", "title"),
    DCTERMS + "description": ("descripción", "description"),
    DCTERMS + "license": ("licencia", "licence"),
    PROV + "wasDerivedFrom": ("fuente", "source"),
    # classes
    FOAF + "Person": ("Persona", "Person"),
    FOAF + "Organization": ("Organización", "Organization"),
    ORG + "Organization": ("Organización", "Organization"),
    ORG + "Membership": ("Membresía", "Membership"),
    SCHEMA + "Person": ("Persona", "Person"),
    SCHEMA + "Country": ("País", "Country"),
    SCHEMA + "Place": ("Lugar", "Place"),
    SCHEMA + "Event": ("Evento", "Event"),
    SCHEMA + "Report": ("Informe", "Report"),
    SCHEMA + "QuantitativeValue": ("Valor cuantitativo", "Quantitative value"),
    RDF + "Statement": ("Enunciado de una relación", "Statement of a relation"),
    SKOS + "Concept": ("Concepto", "Concept"),
    SKOS + "ConceptScheme": ("Vocabulario", "Vocabulary"),
    OWL + "Class": ("Clase", "Class"),
    OWL + "ObjectProperty": ("Propiedad de objeto", "Object property"),
    OWL + "DatatypeProperty": ("Propiedad de datos", "Datatype property"),
    OWL + "Ontology": ("Ontología", "Ontology"),
}


def prefixed(iri: str) -> str:
    """`schema:unitText` for a term in a known namespace, else the IRI itself."""
    for prefix, namespace in PREFIXES.items():
        namespace = str(namespace)
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def standard_label(iri: str, lang: str) -> str | None:
    labels = STANDARD.get(iri)
    if labels is None:
        return None
    return labels[0] if lang == "es" else labels[1]
